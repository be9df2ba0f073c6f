"""党籍管理 use cases: the 自行脱党 check and its handling, 失联 → 停止党籍 → 除名 or 恢复.

Member statuses change only through `members.services.change_status` (its StatusChange row
carries the date, its audit row the change); this module adds the time rules of rules.py,
its own cases and audit rows, and the reminders (notices written in the same transaction,
delivered by the outbox).
"""

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can
from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.dues.models import DuesPayment
from xianfeng.dues.services import (
    bases_by_member,
    due_in,
    exemptions_by_member,
    months_between,
    next_month,
)
from xianfeng.meetings.models import Attendance, AttendanceStatus, MeetingStatus
from xianfeng.members.models import Member, MemberStatus
from xianfeng.members.services import change_status
from xianfeng.notices.models import NoticeKind
from xianfeng.notices.services import grant_holders, notify
from xianfeng.orgs.models import Organization

from .models import OPEN_STATUSES, ActionKind, CaseStatus, LapseAction, LapseCase
from .rules import (
    lapse_months,
    lapse_window,
    may_remove_from,
    may_suspend_from,
    remind_days,
    removal_cutoff,
    suspend_cutoff,
)

# Members the 自行脱党 check looks at: those in contact and free. A member out of contact has
# the 失联 procedure; one under 留置/逮捕 cannot take part, which is a reason in itself.
CHECKED_STATUSES = (MemberStatus.NORMAL, MemberStatus.PARTY_PROBATION)
CHUNK = 2000


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


# ---------------------------------------------------------------- 自行脱党: the check


def lapse_facts(members, first: date, last: date) -> dict[int, tuple[bool, bool]]:
    """{member id: (no_life, no_dues)} over the months first–last, in four queries.

    no_life: invited to at least one meeting held in those months and present at none (a
    branch that held no meeting does not make its members lapse). no_dues: liable for every
    one of those months (a basis, not waived) and paid none of them."""
    ids = [m.pk for m in members]
    end = next_month(last)
    months = list(months_between(first, last))
    attendance = (
        Attendance.objects.filter(
            member_id__in=ids,
            meeting__status=MeetingStatus.HELD,
            meeting__held_on__gte=first,
            meeting__held_on__lt=end,
        )
        .values("member_id")
        .annotate(present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)))
    )
    invited = {row["member_id"]: row["present"] for row in attendance}
    bases, exemptions = bases_by_member(ids), exemptions_by_member(ids)
    paid = defaultdict(set)
    for member_id, month in DuesPayment.objects.filter(
        member_id__in=ids, month__gte=first, month__lte=last
    ).values_list("member_id", "month"):
        paid[member_id].add(month)
    facts = {}
    for member in members:
        no_life = member.pk in invited and invited[member.pk] == 0
        dues = [due_in(member, bases[member.pk], m, exemptions[member.pk]) for m in months]
        no_dues = all(d for d in dues) and not paid[member.pk]
        facts[member.pk] = (no_life, no_dues)
    return facts


def detect_lapses(today: date | None = None) -> int:
    """The periodic check: open a case for each member who, over the last six months that are
    over, took part in no organizational life or paid no dues; tell the branch. A member with
    an open case, or whose last case already covered part of these months, is not flagged
    again. Returns the number of new cases; running it twice opens nothing new."""
    today = today or timezone.localdate()
    first, last = lapse_window(today)
    covered = LapseCase.objects.filter(Q(status__in=OPEN_STATUSES) | Q(last_month__gte=first))
    candidates = (
        Member.objects.filter(status__in=CHECKED_STATUSES, joined_on__lt=first)
        .exclude(pk__in=covered.values("member_id"))
        .select_related("organization")
        .order_by("pk")
    )
    created = 0
    batch = []
    for member in candidates.iterator(chunk_size=CHUNK):
        batch.append(member)
        if len(batch) == CHUNK:
            created += _open_cases(batch, first, last, today)
            batch = []
    if batch:
        created += _open_cases(batch, first, last, today)
    return created


def _open_cases(members, first, last, today):
    facts = lapse_facts(members, first, last)
    cases = [
        LapseCase(
            member=m,
            organization=m.organization,
            first_month=first,
            last_month=last,
            no_life=facts[m.pk][0],
            no_dues=facts[m.pk][1],
            detected_on=today,
        )
        for m in members
        if any(facts[m.pk])
    ]
    if not cases:
        return 0
    by_org = defaultdict(list)
    with transaction.atomic():
        LapseCase.objects.bulk_create(cases, ignore_conflicts=True)
        for case in cases:
            by_org[case.member.organization].append(case.member)
        for org, members in by_org.items():
            audit.record(
                "standing.lapse_detected",
                org,
                members=[m.pk for m in members],
                first_month=first,
                last_month=last,
            )
            notify(
                grant_holders(org, Perm.MEMBER_CHANGE),
                kind=NoticeKind.STANDING,
                title=f"{org.name}：{len(members)}名党员疑似自行脱党",
                body=f"{first:%Y年%m月}至{last:%Y年%m月}连续{_months(first, last)}个月未参加组织"
                "生活或未交纳党费，请核实情况并登记处置（党章第九条）",
                link=reverse("standing:list"),
                key=f"standing.lapse:{org.pk}:{last:%Y-%m}",
            )
    return len(cases)


def _months(first, last):
    return (last.year - first.year) * 12 + last.month - first.month + 1


def open_lapse_case(member, *, first_month: date, note: str, actor) -> LapseCase:
    """A case the branch opens itself: 不做党所分配的工作 is not in any record here."""
    first_month = first_month.replace(day=1)
    today = timezone.localdate()
    _, last = lapse_window(today)
    if not (note or "").strip():
        raise DomainError("请填写未做党所分配工作的情况", field="note")
    if _months(first_month, last) < lapse_months():
        raise DomainError("须连续6个月以上未做党所分配的工作", field="first_month")
    with transaction.atomic():
        locked = Member.objects.locked().select_related("organization").get(pk=member.pk)
        if locked.status not in CHECKED_STATUSES:
            raise DomainError(f"该党员党籍状态为“{locked.get_status_display()}”")
        if LapseCase.objects.filter(member=locked, status__in=OPEN_STATUSES).exists():
            raise DomainError("该党员已有待处理的疑似自行脱党记录")
        case = LapseCase.objects.create(
            member=locked,
            organization=locked.organization,
            first_month=first_month,
            last_month=last,
            no_work=True,
            detected_on=today,
        )
        audit.record("standing.lapse_opened", case, actor=actor, member=locked.pk, note=note)
    return case


# ---------------------------------------------------------------- 自行脱党: the handling

NEXT_STATUS = {
    ActionKind.TALKED: None,
    ActionKind.REASON_ACCEPTED: CaseStatus.REASON_ACCEPTED,
    ActionKind.RESUMED: CaseStatus.RESUMED,
    ActionKind.REMOVAL_PROPOSED: CaseStatus.REMOVAL_PROPOSED,
    ActionKind.REMOVAL_APPROVED: CaseStatus.REMOVED,
}
REMOVAL_REASON = "自行脱党（党章第九条），支部大会决定除名，上级党组织批准"


def record_lapse_action(case, kind, *, on: date, note: str, actor) -> LapseAction:
    """One step of the handling, with its record: a talk keeps the case open; a good reason or
    a member back in organizational life closes it; 除名 is decided by the 支部大会 and then
    approved by the level above (a login with 编辑党员 on the branch's parent), which records
    the member as 已出党."""
    if kind not in ActionKind.values:
        raise DomainError("处置类型无效", field="kind")
    if not (note or "").strip():
        raise DomainError("请填写情况说明", field="note")
    if on > timezone.localdate():
        raise DomainError("日期不能晚于今天", field="on")
    with transaction.atomic():
        locked = (
            LapseCase.objects.select_for_update().select_related("organization").get(pk=case.pk)
        )
        if not locked.is_open:
            raise DomainError(f"该记录已办结（{locked.get_status_display()}）")
        if on < locked.first_month:
            raise DomainError("日期不能早于所查月份", field="on")
        if kind == ActionKind.REMOVAL_APPROVED:
            if locked.status != CaseStatus.REMOVAL_PROPOSED:
                raise DomainError("须先由支部大会决定除名，再报上级党组织批准", field="kind")
            parent = Organization.objects.get_parent(locked.organization)
            if actor is not None and (parent is None or not can(actor, Perm.MEMBER_CHANGE, parent)):
                raise DomainError("除名须由上级党组织批准", field="kind")
            change_status(
                locked.member, MemberStatus.LEFT, on=on, reason=REMOVAL_REASON, actor=actor
            )
        elif kind == ActionKind.REMOVAL_PROPOSED and locked.status != CaseStatus.OPEN:
            raise DomainError("已决定除名，待上级党组织批准", field="kind")
        action = LapseAction.objects.create(
            case=locked, kind=kind, on=on, note=note.strip(), actor=_user(actor)
        )
        status = NEXT_STATUS[kind]
        if status is not None:
            locked.status = status
            if status not in OPEN_STATUSES:
                locked.closed_on = on
            locked.save(update_fields=["status", "closed_on"])
        audit.record(
            "standing.lapse_action", locked, actor=actor, kind=kind, on=on, note=note.strip()
        )
    case.status, case.closed_on = locked.status, locked.closed_on
    return action


# ---------------------------------------------------------------- 失联 → 停止党籍 → 除名


def _since(member, status):
    """The date the member's current `status` began (its StatusChange), or a refusal."""
    locked = Member.objects.with_status_since().get(pk=member.pk)
    if locked.status != status:
        label = MemberStatus(status).label
        raise DomainError(f"该党员党籍状态为“{locked.get_status_display()}”，不是“{label}”")
    if locked.status_since is None:
        raise DomainError("未记录该状态的起始日期，请先在党籍状态中登记")
    return locked.status_since


def suspend_membership(member, *, on: date, reason: str, actor):
    """停止党籍 (条例 第二十四条): out of contact six months or more and still not found."""
    if not (reason or "").strip():
        raise DomainError("请填写查找情况", field="reason")
    with transaction.atomic():
        lost_on = _since(member, MemberStatus.LOST_CONTACT)
        if on < may_suspend_from(lost_on):
            raise DomainError(
                f"失去联系满6个月（{may_suspend_from(lost_on):%Y-%m-%d}）后方可停止党籍",
                field="on",
            )
        change = change_status(
            member,
            MemberStatus.SUSPENDED,
            on=on,
            reason=f"失联满6个月，停止党籍：{reason}",
            actor=actor,
        )
        audit.record("standing.suspend", member, actor=actor, lost_on=lost_on, on=on)
    return change


def restore_membership(member, *, on: date, reason: str, actor):
    """恢复党籍: a suspended member found again, by the prescribed procedure."""
    if not (reason or "").strip():
        raise DomainError("请填写恢复党籍的依据", field="reason")
    with transaction.atomic():
        suspended_on = _since(member, MemberStatus.SUSPENDED)
        if on < suspended_on:
            raise DomainError("恢复日期不能早于停止党籍日期", field="on")
        change = change_status(
            member, MemberStatus.NORMAL, on=on, reason=f"恢复党籍：{reason}", actor=actor
        )
        audit.record("standing.restore", member, actor=actor, suspended_on=suspended_on, on=on)
    return change


def remove_suspended(member, *, on: date, reason: str, actor):
    """除名 (条例 第二十四条): two years after the suspension, still not found."""
    if not (reason or "").strip():
        raise DomainError("请填写查找情况", field="reason")
    with transaction.atomic():
        suspended_on = _since(member, MemberStatus.SUSPENDED)
        if on < may_remove_from(suspended_on):
            raise DomainError(
                f"停止党籍满2年（{may_remove_from(suspended_on):%Y-%m-%d}）后方可按自行脱党除名",
                field="on",
            )
        change = change_status(
            member,
            MemberStatus.LEFT,
            on=on,
            reason=f"停止党籍2年后确实无法取得联系，按照自行脱党予以除名：{reason}",
            actor=actor,
        )
        audit.record("standing.remove", member, actor=actor, suspended_on=suspended_on, on=on)
    return change


# ---------------------------------------------------------------- reminders


def lost_contact_due(members, today):
    """Members out of contact whose 6 months are reached by `today` (annotated status_since)."""
    return (
        members.filter(status=MemberStatus.LOST_CONTACT)
        .with_status_since()
        .filter(status_since__lte=suspend_cutoff(today))
    )


def suspended_due(members, today):
    return (
        members.filter(status=MemberStatus.SUSPENDED)
        .with_status_since()
        .filter(status_since__lte=removal_cutoff(today))
    )


def send_reminders(today: date | None = None) -> int:
    """Tell the branch (logins with 编辑党员 on it, or the nearest level above) before and on
    each edge: 失联 reaching 6 months, 停止党籍 reaching 2 years. Each notice once (its key)."""
    today = today or timezone.localdate()
    ahead = today.fromordinal(today.toordinal() + remind_days())
    sent = 0
    edges = (
        (MemberStatus.LOST_CONTACT, suspend_cutoff, may_suspend_from, "失联", "可作停止党籍处理"),
        (MemberStatus.SUSPENDED, removal_cutoff, may_remove_from, "停止党籍", "可按自行脱党除名"),
    )
    with transaction.atomic():
        for status, cutoff, edge_of, label, then in edges:
            members = (
                Member.objects.filter(status=status)
                .with_status_since()
                .filter(status_since__lte=cutoff(ahead))
                .select_related("organization")
            )
            for member in members:
                edge = edge_of(member.status_since)
                stage = "due" if edge <= today else "soon"
                when = "已于" if stage == "due" else "将于"
                sent += len(
                    notify(
                        grant_holders(member.organization, Perm.MEMBER_CHANGE),
                        kind=NoticeKind.STANDING,
                        title=f"{member.name}{label}{when}{edge:%Y-%m-%d}到期",
                        body=f"{member.organization.name}的{member.name}自"
                        f"{member.status_since:%Y-%m-%d}起{label}，{when}{edge:%Y-%m-%d}{then}"
                        "（党员教育管理工作条例第二十四条）",
                        link=reverse("standing:list"),
                        key=f"standing.{status}:{member.pk}:{member.status_since}:{stage}",
                    )
                )
    return sent
