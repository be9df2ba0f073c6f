"""流动党员 registry: members living away, where they are and who looks after them there.

The member stays in their branch (the relationship does not move); the record says where
they live and whom the branch contacts. One open (在外) record per member. Away six months or
more at a relatively fixed place, the relationship must move (rules.py): the registry
reminds the branch before and on that day (workbench and notices).
"""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from xianfeng.accounts.roles import Perm
from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.notices.models import NoticeKind
from xianfeng.notices.services import grant_holders, notify

from .models import MobileMember, MobileStatus
from .rules import mobile_remind_days, transfer_cutoff, transfer_due_on

FIELDS = (
    "place",
    "since",
    "reason",
    "fixed_place",
    "managing_org",
    "contact_name",
    "contact_phone",
    "mobile_branch",
    "liaison",
    "note",
)


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _check(fields):
    if not (fields.get("place") or "").strip():
        raise DomainError("请填写流入地", field="place")
    since = fields.get("since")
    if since is None:
        raise DomainError("请填写外出日期", field="since")
    if since > timezone.localdate():
        raise DomainError("外出日期不能晚于今天", field="since")


def register_mobile(member, *, actor, **fields) -> MobileMember:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise DomainError(f"未知字段：{', '.join(sorted(unknown))}")
    _check(fields)
    if not member.is_active:
        raise DomainError(f"该党员党籍状态为“{member.get_status_display()}”")
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = MobileMember.objects.create(
                    member=member, created_by=_user(actor), **fields
                )
        except IntegrityError as exc:
            raise DomainError("该党员已登记为在外流动党员", field="member") from exc
        audit.record("mobile.register", record, actor=actor, member=member.pk, place=record.place)
    return record


def update_mobile(record, *, actor, **fields) -> MobileMember:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise DomainError(f"未知字段：{', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = MobileMember.objects.select_for_update().get(pk=record.pk)
        _check({f: getattr(locked, f) for f in FIELDS} | fields)
        changed = sorted(f for f, v in fields.items() if getattr(locked, f) != v)
        for field, value in fields.items():
            setattr(locked, field, value)
        locked.save()
        audit.record("mobile.update", locked, actor=actor, fields=changed)
    return locked


def mark_returned(record, *, actor, returned_on) -> MobileMember:
    with transaction.atomic():
        locked = MobileMember.objects.select_for_update().get(pk=record.pk)
        if locked.status != MobileStatus.AWAY:
            raise DomainError("该记录已标记为返回")
        if returned_on < locked.since or returned_on > timezone.localdate():
            raise DomainError("返回日期应在外出日期与今天之间", field="returned_on")
        locked.status, locked.returned_on = MobileStatus.RETURNED, returned_on
        locked.save(update_fields=["status", "returned_on"])
        audit.record("mobile.return", locked, actor=actor, returned_on=returned_on)
    return locked


def settled_away(records, today: date):
    """Records (a MobileMember queryset) away at a fixed place whose six months are reached by
    `today`: their organizational relationship should move."""
    return records.filter(
        status=MobileStatus.AWAY, fixed_place=True, since__lte=transfer_cutoff(today)
    )


def send_mobile_reminders(today: date | None = None) -> int:
    """Tell the member's branch (logins that handle transfers there, or the nearest level
    above) `mobile_remind_days()` before and on the day a 流动党员 has been away six months at
    a fixed place. Each notice once (its key); returns the number of notices."""
    today = today or timezone.localdate()
    ahead = today + timedelta(days=mobile_remind_days())
    records = settled_away(MobileMember.objects.all(), ahead).select_related("member__organization")
    sent = 0
    with transaction.atomic():
        for record in records:
            due = transfer_due_on(record.since)
            stage = "due" if due <= today else "soon"
            when = "已于" if stage == "due" else "将于"
            member = record.member
            sent += len(
                notify(
                    grant_holders(member.organization, Perm.TRANSFER_ACT),
                    kind=NoticeKind.STANDING,
                    title=f"流动党员{member.name}{when}{due:%Y-%m-%d}在外满6个月",
                    body=f"{member.organization.name}的{member.name}自{record.since:%Y-%m-%d}起在"
                    f"{record.place}，地点相对固定，{when}{due:%Y-%m-%d}满6个月，应当转移组织关系"
                    "（党员教育管理工作条例第二十五条）",
                    link=reverse("transfers:mobile_list"),
                    key=f"transfers.mobile:{record.pk}:{stage}",
                )
            )
    return sent
