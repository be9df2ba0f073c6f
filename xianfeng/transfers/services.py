"""组织关系转接 use cases: start, approve, reject, withdraw, accept, issue letters, receipts.

Every action locks the transfer row, checks that the actor holds `transfer.act` on the
organization holding the current step (`can`), writes a timeline event and an audit row in
the same transaction. Moving the member goes through `members.services`, so the membership
history and the organizations' member counts stay exact; everything keyed on the member
(points, archive, dues) follows by itself.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can
from xianfeng.core import audit
from xianfeng.core.dates import add_months
from xianfeng.core.errors import DomainError
from xianfeng.members import services as member_services
from xianfeng.members.models import INBOUND_REASON, Member, Membership, MemberStatus
from xianfeng.notices.models import NoticeKind
from xianfeng.notices.services import grant_holders, notify
from xianfeng.orgs.models import OrgStatus

from .chain import build_chain
from .letters import next_letter_no
from .models import (
    AWAITING_RECEIPT,
    OPEN_STATUSES,
    Decision,
    StepAction,
    Transfer,
    TransferEvent,
    TransferKind,
    TransferStatus,
    TransferStep,
)

LETTER_MONTHS = 3  # 介绍信有效期 (地方惯例; the issuer may choose another length)
OPEN_EXISTS = "该党员已有办理中的组织关系转接"
PERSON_FIELDS = ("gender", "birth_date", "joined_on", "confirmed_on", "category", "phone")


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def may_act(user, step) -> bool:
    """Only the organization holding the step (a user with transfer.act on it) may act."""
    return step is not None and can(user, Perm.TRANSFER_ACT, step.organization)


def _check_holder(step, actor):
    if not may_act(actor, step):
        raise DomainError(f"此环节由{step.organization.name}办理", code="forbidden")


def _event(transfer, action, label, actor):
    TransferEvent.objects.create(transfer=transfer, action=action, label=label, actor=_user(actor))


def _lock(transfer):
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("member", "from_org", "to_org")
        .get(pk=transfer.pk)
    )


def _steps(transfer):
    return list(transfer.steps.select_related("organization").order_by("position"))


def _current(steps):
    return next((s for s in steps if s.decision == Decision.PENDING), None)


def _sync(transfer, locked):
    for field in ("status", "member_id", "letter_no", "issued_on", "valid_until", "receipt_on"):
        setattr(transfer, field, getattr(locked, field))
    return transfer


# ---------------------------------------------------------------- starting


def _check_target(org):
    if org.status != OrgStatus.ACTIVE:
        raise DomainError(f"{org.name}已撤销，不能接收党员", field="to_org")


def _check_member(member):
    if member.status not in (MemberStatus.NORMAL, MemberStatus.LOST_CONTACT):
        raise DomainError(f"该党员党籍状态为“{member.get_status_display()}”，不能转接")


def _create(fields, chain, *, actor, by_member, label, duplicate=OPEN_EXISTS, field=None):
    """Create the transfer and its chain; the initiator's own first step is agreed at once."""
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                **fields, by_member=by_member, created_by=_user(actor)
            )
    except IntegrityError as exc:
        raise DomainError(duplicate, code="duplicate", field=field) from exc
    steps = TransferStep.objects.bulk_create(
        [
            TransferStep(transfer=transfer, position=i, organization=org, action=action)
            for i, (org, action) in enumerate(chain, 1)
        ]
    )
    _event(transfer, "start", label, actor)
    first = steps[0]
    if not by_member and len(steps) > 1 and may_act(actor, first):
        _decide(transfer, first, Decision.APPROVED, actor, "发起即同意")
        _after_approval(transfer, steps)
    audit.record("transfer.start", transfer, actor=actor, kind=transfer.kind, steps=len(steps))
    _notify_holder(transfer, steps, actor)
    return transfer


def start_transfer(
    member, *, kind, actor, reason, to_org=None, destination="", by_member=False, batch=None
):
    """Start moving `member` to `to_org` (internal) or out of the system to `destination`."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写转接原因", field="reason")
    if kind == TransferKind.INTERNAL:
        if to_org is None:
            raise DomainError("请选择转入党组织", field="to_org")
        _check_target(to_org)
        destination = ""
    elif kind == TransferKind.OUTBOUND:
        destination = (destination or "").strip()
        if not destination:
            raise DomainError("请填写去往的党组织", field="destination")
        to_org = None
    else:
        raise DomainError("转接类型无效", field="kind")
    with transaction.atomic():
        member = Member.objects.locked().select_related("organization").get(pk=member.pk)
        _check_member(member)
        if to_org is not None and to_org.pk == member.organization_id:
            raise DomainError("转入党组织与现所在党组织相同", field="to_org")
        fields = {
            "kind": kind,
            "member": member,
            "name": member.name,
            "id_number": member.id_number,
            "from_org": member.organization,
            "to_org": to_org,
            "destination": destination,
            "reason": reason,
            "batch": batch,
        }
        chain = build_chain(kind, member.organization, to_org)
        label = "党员本人申请" if by_member else "发起转接"
        return _create(fields, chain, actor=actor, by_member=by_member, label=label)


def register_inbound(
    to_org, *, actor, name, id_number, incoming_letter_no, origin, reason, **person
):
    """Register a letter from outside the system (来信) for a person who is not yet a member."""
    unknown = set(person) - set(PERSON_FIELDS)
    if unknown:
        raise DomainError(f"未知字段：{', '.join(sorted(unknown))}")
    fields = {"name": name, "id_number": id_number, **{k: v for k, v in person.items() if v}}
    errors = member_services.member_errors(fields)
    if errors:
        raise member_services.InvalidMember(errors)
    letter_no = (incoming_letter_no or "").strip()
    if not letter_no:
        raise DomainError("请填写来信介绍信编号", field="incoming_letter_no")
    if not (origin or "").strip():
        raise DomainError("请填写转出党组织(系统外)", field="origin")
    _check_target(to_org)
    if Member.objects.filter(id_number=fields["id_number"]).exists():
        raise DomainError("该身份证号已在系统中登记，请办理系统内转接", field="id_number")
    person_json = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v)
        for k, v in fields.items()
        if k in PERSON_FIELDS and k != "phone"
    }
    data = {
        "kind": TransferKind.INBOUND,
        "name": fields["name"].strip(),
        "id_number": fields["id_number"],
        "person": person_json,
        "phone": (fields.get("phone") or "").strip(),
        "to_org": to_org,
        "origin": origin.strip(),
        "reason": (reason or "").strip() or "系统外转入",
        "incoming_letter_no": letter_no,
    }
    chain = build_chain(TransferKind.INBOUND, None, to_org)
    with transaction.atomic():
        return _create(
            data,
            chain,
            actor=actor,
            by_member=False,
            label="登记来信",
            duplicate="该来信编号已登记",
            field="incoming_letter_no",
        )


# ---------------------------------------------------------------- the chain


def _decide(transfer, step, decision, actor, reason=""):
    step.decision = decision
    step.decided_by = _user(actor)
    step.decided_at = timezone.now()
    step.reason = reason
    step.save(update_fields=["decision", "decided_by", "decided_at", "reason"])
    verb = {Decision.APPROVED: "同意", Decision.REJECTED: "退回"}[decision]
    note = f"：{reason}" if reason else ""
    _event(transfer, f"step.{decision}", f"{step.organization.name}{verb}{note}", actor)


def _notify_holder(transfer, steps, actor):
    step = _current(steps)
    if step is None:
        return
    notify(
        grant_holders(step.organization, Perm.TRANSFER_ACT),
        kind=NoticeKind.TRANSFER,
        title=f"组织关系转接待{step.get_action_display()}：{transfer.name}",
        body=str(transfer),
        link=reverse("transfers:detail", args=[transfer.pk]),
        exclude=[actor.pk] if actor is not None and actor.is_authenticated else (),
    )


def _after_approval(transfer, steps):
    """Once only the final step is left, the transfer waits for acceptance or the letter."""
    pending = [s for s in steps if s.decision == Decision.PENDING]
    if len(pending) == 1 and transfer.status == TransferStatus.PENDING:
        transfer.status = TransferStatus.APPROVED
        transfer.save(update_fields=["status"])


def _open_step(transfer, actor, action):
    """Lock, check the transfer is open and `actor` holds the current step of kind `action`."""
    locked = _lock(transfer)
    if locked.status not in OPEN_STATUSES:
        raise DomainError(f"该转接{locked.get_status_display()}，不能再办理", code="closed")
    steps = _steps(locked)
    step = _current(steps)
    if action is not None and step.action != action:
        raise DomainError(f"当前环节为“{step.get_action_display()}”", code="wrong_step")
    _check_holder(step, actor)
    return locked, steps, step


def approve_step(transfer, *, actor, reason=""):
    with transaction.atomic():
        locked, steps, step = _open_step(transfer, actor, StepAction.APPROVE)
        _decide(locked, step, Decision.APPROVED, actor, reason)
        _after_approval(locked, steps)
        audit.record("transfer.approve", locked, actor=actor, step=step.position, reason=reason)
        _notify_holder(locked, steps, actor)
    return _sync(transfer, locked)


def _close(transfer, steps, status):
    for s in steps:
        if s.decision == Decision.PENDING:
            s.decision = Decision.CANCELLED
            s.save(update_fields=["decision"])
    transfer.status = status
    transfer.closed_at = timezone.now()
    transfer.save(update_fields=["status", "closed_at"])


def reject_transfer(transfer, *, actor, reason):
    """The holder of the current step sends the transfer back, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("退回须填写理由", field="reason")
    with transaction.atomic():
        locked, steps, step = _open_step(transfer, actor, None)
        _decide(locked, step, Decision.REJECTED, actor, reason)
        _close(locked, steps, TransferStatus.REJECTED)
        audit.record("transfer.reject", locked, actor=actor, step=step.position, reason=reason)
    return _sync(transfer, locked)


def may_withdraw(user, transfer, steps) -> bool:
    """The initiating side (holder of the first step) or the member who asked, before the end."""
    if transfer.status not in OPEN_STATUSES:
        return False
    if transfer.by_member and user.is_authenticated and user.member_id == transfer.member_id:
        return True
    return may_act(user, steps[0])


def withdraw_transfer(transfer, *, actor, reason=""):
    with transaction.atomic():
        locked = _lock(transfer)
        steps = _steps(locked)
        if locked.status not in OPEN_STATUSES:
            raise DomainError(f"该转接{locked.get_status_display()}，不能撤回", code="closed")
        if not may_withdraw(actor, locked, steps):
            raise DomainError("只有发起方可以撤回", code="forbidden")
        _close(locked, steps, TransferStatus.WITHDRAWN)
        _event(locked, "withdraw", f"撤回{'：' + reason if reason else ''}", actor)
        audit.record("transfer.withdraw", locked, actor=actor, reason=reason)
    return _sync(transfer, locked)


# ---------------------------------------------------------------- the end of the chain


def accept_transfer(transfer, *, actor, on=None):
    """The receiving organization takes the member in; accepting twice moves once."""
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = _lock(transfer)
        if locked.status == TransferStatus.ACCEPTED:
            return _sync(transfer, locked)
        locked, steps, step = _open_step(transfer, actor, StepAction.ACCEPT)
        if locked.kind == TransferKind.INBOUND:
            locked.member = _admit(locked, actor, on)
            locked.save(update_fields=["member"])
        else:
            _move(locked, actor, on)
        _decide(locked, step, Decision.APPROVED, actor, "接收")
        _close(locked, steps, TransferStatus.ACCEPTED)
        audit.record("transfer.accept", locked, actor=actor, member=locked.member_id, on=on)
    return _sync(transfer, locked)


def _move(transfer, actor, on):
    member = Member.objects.locked().get(pk=transfer.member_id)
    if member.organization_id != transfer.from_org_id:
        raise DomainError("该党员所在党组织已变化，请撤回后重新发起", code="moved")
    _check_target(transfer.to_org)
    member_services.move_members(
        [member.pk], transfer.to_org, actor=actor, on=on, reason=f"组织关系转接：{transfer.reason}"
    )


def _admit(transfer, actor, on):
    person = dict(transfer.person)
    if transfer.phone:
        person["phone"] = transfer.phone
    for field in ("birth_date", "joined_on", "confirmed_on"):
        if person.get(field):
            person[field] = date.fromisoformat(person[field])
    try:
        return member_services.create_member(
            transfer.to_org,
            actor=actor,
            since=on,
            reason=f"{INBOUND_REASON}（{transfer.origin}）"[:200],
            name=transfer.name,
            id_number=transfer.id_number,
            **person,
        )
    except member_services.InvalidMember as exc:
        raise DomainError(f"不能登记为党员：{exc.message}") from exc


def issue_letter(transfer, *, actor, on=None, months=LETTER_MONTHS):
    """The sending committee issues the 介绍信: numbered, valid `months`; the member moves out."""
    on = on or timezone.localdate()
    if not 1 <= int(months) <= 12:
        raise DomainError("有效期应为1至12个月", field="months")
    if on > timezone.localdate():
        raise DomainError("开具日期不能晚于今天", field="on")
    with transaction.atomic():
        locked = _lock(transfer)
        if locked.status in AWAITING_RECEIPT or locked.status == TransferStatus.RECEIPT_RETURNED:
            return _sync(transfer, locked)
        locked, steps, step = _open_step(transfer, actor, StepAction.ISSUE)
        member = locked.member
        if member.organization_id != locked.from_org_id:
            raise DomainError("该党员所在党组织已变化，请撤回后重新发起", code="moved")
        locked.letter_no = next_letter_no(step.organization, on.year)
        locked.issued_on, locked.valid_until = on, add_months(on, int(months))
        _decide(locked, step, Decision.APPROVED, actor, f"开具介绍信 {locked.letter_no}")
        locked.status = TransferStatus.LETTER_ISSUED
        locked.save(update_fields=["letter_no", "issued_on", "valid_until", "status"])
        member_services.change_status(
            member, MemberStatus.MOVED_OUT, on=on, reason=f"转出至{locked.destination}", actor=actor
        )
        Membership.objects.filter(member=member, ended_on__isnull=True).update(ended_on=on)
        audit.record("transfer.letter", locked, actor=actor, letter_no=locked.letter_no)
    return _sync(transfer, locked)


def record_receipt(transfer, *, actor, returned_on, note=""):
    """The receiving side's 回执 came back; the issuing committee records it."""
    with transaction.atomic():
        locked = _lock(transfer)
        if locked.status not in AWAITING_RECEIPT:
            raise DomainError("该转接没有待回执的介绍信", code="closed")
        issuer = _steps(locked)[-1]
        _check_holder(issuer, actor)
        if returned_on < locked.issued_on or returned_on > timezone.localdate():
            raise DomainError("回执日期应在开具日期与今天之间", field="returned_on")
        late = locked.status == TransferStatus.EXPIRED
        locked.status = TransferStatus.RECEIPT_RETURNED
        locked.receipt_on, locked.receipt_note = returned_on, note
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "receipt_on", "receipt_note", "closed_at"])
        label = f"回执已返回({returned_on:%Y-%m-%d}{'，逾期' if late else ''})"
        _event(locked, "receipt", label, actor)
        audit.record("transfer.receipt", locked, actor=actor, returned_on=returned_on, late=late)
    return _sync(transfer, locked)


def expire_letters(*, today=None):
    """Mark issued letters whose validity ended without a receipt; returns how many."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(
            Transfer.objects.select_for_update().filter(
                status=TransferStatus.LETTER_ISSUED, valid_until__lt=today
            )
        )
        for transfer in due:
            transfer.status = TransferStatus.EXPIRED
            transfer.save(update_fields=["status"])
            _event(
                transfer,
                "expire",
                f"介绍信已过有效期({transfer.valid_until:%Y-%m-%d})未收到回执",
                None,
            )
            audit.record("transfer.expire", transfer, valid_until=transfer.valid_until)
    return len(due)
