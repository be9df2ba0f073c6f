"""党费: bases, dues per month, payments, arrears.

Dues start in the month of `joined_on` (for probationary members, the day the branch
meeting admitted them) or of the first basis, whichever is later. Arrears count only
months that are over: the current month is due, not yet overdue.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xianfeng.core.audit import record
from xianfeng.core.errors import DomainError
from xianfeng.core.events import point_code, point_event
from xianfeng.members.models import Member
from xianfeng.orgs.rules import refuse_if_temporary

from . import rollups
from .models import (
    DuesBasis,
    DuesExemption,
    DuesPayment,
    ExemptionKind,
    PaymentMethod,
    VoluntaryPayment,
)
from .rules import (
    QUARTER_BASIS_CATEGORIES,
    IncomeCategory,
    chosen_amount_error,
    goes_to_centre,
    monthly_dues,
)

WARN_MONTHS = (3, 6)
# A month paid after it ended is late: the deduction is booked when the late payment is recorded.
LATE_CODE = point_code("dues.late")


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_between(first: date, last: date):
    """Months from `first` to `last`, both included."""
    month = month_start(first)
    while month <= last:
        yield month
        month = next_month(month)


# ---------------------------------------------------------------- pure helpers


def basis_in(bases, month):
    """The basis valid in `month` from `bases` sorted by valid_from, or None."""
    found = None
    for basis in bases:
        if basis.valid_from > month:
            break
        found = basis
    return found


def exemption_in(exemptions, month):
    """The approved 少交/免交 covering `month`, or None."""
    return next((e for e in exemptions if e.covers(month)), None)


def due_in(member, bases, month, exemptions=()):
    """Dues for `month` given the member's sorted bases and approved exemptions; None when not
    liable that month. A waived month is due 0, a reduced one the approved amount (at most
    the regular amount)."""
    if month < month_start(member.joined_on):
        return None
    basis = basis_in(bases, month)
    if basis is None:
        return None
    due = monthly_dues(basis.income_category, basis.monthly_income, basis.chosen_amount)
    exemption = exemption_in(exemptions, month)
    if exemption is None:
        return due
    if exemption.kind == ExemptionKind.WAIVED:
        return Decimal("0.00")
    return min(due, exemption.monthly_amount)


def first_liable_month(member, bases):
    if not bases:
        return None
    return max(month_start(member.joined_on), bases[0].valid_from)


def unpaid_months(member, bases, paid_months, as_of, exemptions=()):
    """Over months since dues began that have no payment; a waived month is never unpaid."""
    start = first_liable_month(member, bases)
    if start is None:
        return []
    last_over = month_start(as_of)
    waived = [e for e in exemptions if e.kind == ExemptionKind.WAIVED]
    return [
        m
        for m in months_between(start, last_over)
        if m < last_over and m not in paid_months and exemption_in(waived, m) is None
    ]


def warning_for(count):
    """The highest warning threshold reached by `count` unpaid months, or 0."""
    return max((n for n in WARN_MONTHS if count >= n), default=0)


# ---------------------------------------------------------------- reads


def bases_of(member):
    return list(member.dues_bases.order_by("valid_from"))


def exemptions_of(member):
    return list(member.dues_exemptions.order_by("from_month"))


def dues_for(member, month):
    return due_in(member, bases_of(member), month_start(month), exemptions_of(member))


def arrears(member, as_of):
    paid = set(member.dues_payments.values_list("month", flat=True))
    return unpaid_months(member, bases_of(member), paid, as_of, exemptions_of(member))


@dataclass
class MemberArrears:
    member: Member
    months: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.months)

    @property
    def warning(self):
        return warning_for(self.count)


def bases_by_member(member_ids):
    grouped = {pk: [] for pk in member_ids}
    for basis in DuesBasis.objects.filter(member_id__in=member_ids).order_by("valid_from"):
        grouped[basis.member_id].append(basis)
    return grouped


def exemptions_by_member(member_ids):
    grouped = {pk: [] for pk in member_ids}
    for exemption in DuesExemption.objects.filter(member_id__in=member_ids).order_by("from_month"):
        grouped[exemption.member_id].append(exemption)
    return grouped


def branch_arrears(org, as_of, members=None):
    """Arrears of every active member of `org`, in four queries."""
    members = list(members if members is not None else org.members.active())
    ids = [m.pk for m in members]
    bases = bases_by_member(ids)
    exemptions = exemptions_by_member(ids)
    paid = {pk: set() for pk in ids}
    for member_id, month in DuesPayment.objects.filter(member_id__in=ids).values_list(
        "member_id", "month"
    ):
        paid[member_id].add(month)
    return [
        MemberArrears(m, unpaid_months(m, bases[m.pk], paid[m.pk], as_of, exemptions[m.pk]))
        for m in members
    ]


# ---------------------------------------------------------------- writes


def set_dues_basis(member, *, category, income, from_month, actor, chosen_amount=None):
    """Set the basis from `from_month` on; earlier months keep their old basis. A farmer's
    monthly amount may be chosen within the rule's range (0.2–1 元)."""
    if category not in IncomeCategory.values:
        raise DomainError("收入类别无效", field="category")
    income = Decimal(income or 0)
    if income < 0:
        raise DomainError("月收入不能为负数", field="income")
    if chosen_amount is not None:
        error = chosen_amount_error(category, chosen_amount)
        if error:
            raise DomainError(error, field="chosen_amount")
    month = month_start(from_month)
    if category in QUARTER_BASIS_CATEGORIES and month.month not in (1, 4, 7, 10):
        raise DomainError(
            "个体经营等不按月取得收入的党员，以上季度月平均纯收入为基数，基数自每季度首月"
            "（1、4、7、10月）起调整",
            field="from_month",
        )
    with transaction.atomic():
        locked = Member.objects.locked().get(pk=member.pk)
        basis, _ = DuesBasis.objects.update_or_create(
            member=member,
            valid_from=month,
            defaults={
                "income_category": category,
                "monthly_income": income,
                "chosen_amount": chosen_amount,
                "set_by": actor,
            },
        )
        record(
            "dues.basis_set",
            member,
            actor=actor,
            category=category,
            income=income,
            from_month=month,
            monthly_dues=monthly_dues(category, income, chosen_amount),
        )
        rollups.recount([locked.organization_id])
    return basis


def record_payment(member, month, *, amount=None, paid_on, method, actor, recount=True):
    """Record one month's regular dues; a month already paid is refused.

    Paid after the month is over, the member loses the `dues.late` points (sent on commit).
    The organization's collection rows are re-counted in the transaction (`recount=False`
    for a caller that re-counts once for many payments).
    """
    if method not in PaymentMethod.values:
        raise DomainError("交纳方式无效", field="method")
    month = month_start(month)
    with transaction.atomic():
        member = Member.objects.locked().select_related("organization").get(pk=member.pk)
        refuse_if_temporary(member.organization, "dues")
        if DuesPayment.objects.filter(member=member, month=month).exists():
            raise DomainError(f"{member.name}：该月党费已缴纳")
        due = dues_for(member, month)
        if due is None:
            raise DomainError(f"{member.name}：该月无应交党费（未设置交纳基数或尚未入党）")
        if not due:
            raise DomainError(f"{member.name}：该月党费经批准免交，无需登记")
        paid = due if amount is None else Decimal(amount)
        if paid < due:
            raise DomainError(f"{member.name}：实交金额不能少于应交金额 {due} 元", field="amount")
        payment = DuesPayment.objects.create(
            member=member,
            month=month,
            amount_due=due,
            amount_paid=paid,
            paid_on=paid_on,
            method=method,
            recorded_by=actor,
        )
        record("dues.paid", member, actor=actor, month=month, due=due, paid=paid, method=method)
        if paid_on >= next_month(month):
            _announce_late(payment, actor)
        if recount:
            rollups.recount([member.organization_id])
    return payment


def _announce_late(payment, actor):
    point_event.send(
        sender=DuesPayment,
        member=payment.member,
        rule_code=LATE_CODE,
        source=payment,
        occurred_on=payment.paid_on,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=f"{payment.month:%Y年%m月}党费逾期交纳",
    )


def record_bulk_payments(org, month, member_ids, *, paid_on, actor):
    """Mark the members' dues for `month` paid at the amount due: all of them or none."""
    ids = sorted({int(pk) for pk in member_ids})
    if not ids:
        raise DomainError("请选择要登记的党员")
    with transaction.atomic():
        members = list(Member.objects.locked().filter(organization=org, pk__in=ids))
        if len(members) != len(ids):
            raise DomainError("所选党员不属于本组织")
        payments = [
            record_payment(
                m, month, paid_on=paid_on, method=PaymentMethod.BULK, actor=actor, recount=False
            )
            for m in members
        ]
        rollups.recount([org.pk])
        record("dues.bulk_paid", org, actor=actor, month=month_start(month), members=ids)
    return payments


def record_voluntary_payment(member, *, amount, paid_on, note="", actor):
    amount = Decimal(amount)
    if amount <= 0:
        raise DomainError("金额必须大于零", field="amount")
    refuse_if_temporary(member.organization, "dues")
    with transaction.atomic():
        payment = VoluntaryPayment.objects.create(
            member=member,
            amount=amount,
            paid_on=paid_on,
            note=note,
            to_centre=goes_to_centre(amount),
            recorded_by=actor,
        )
        record(
            "dues.voluntary",
            member,
            actor=actor,
            amount=amount,
            to_centre=payment.to_centre,
        )
    return payment


def grant_dues_exemption(
    member,
    *,
    kind,
    from_month,
    until_month,
    reason,
    approved_by,
    approved_on,
    actor,
    monthly_amount=None,
) -> DuesExemption:
    """Record an approved 少交/免交 (党费规定 第七条) for the months from–until, both included.

    The approval of the level above is required (who and when); the months may not overlap
    another exemption of the member; a reduced amount is more than 0 (0 is 免交) and a month
    never costs more than its regular amount."""
    if kind not in ExemptionKind.values:
        raise DomainError("类型无效", field="kind")
    from_month, until_month = month_start(from_month), month_start(until_month)
    if until_month < from_month:
        raise DomainError("截止月份不能早于起始月份", field="until_month")
    if not (reason or "").strip():
        raise DomainError("请填写困难情况", field="reason")
    if not (approved_by or "").strip():
        raise DomainError("请填写批准的上一级党委", field="approved_by")
    if approved_on is None or approved_on > timezone.localdate():
        raise DomainError("请填写批准日期（不能晚于今天）", field="approved_on")
    if kind == ExemptionKind.REDUCED:
        if monthly_amount is None or Decimal(monthly_amount) <= 0:
            raise DomainError("少交须填写大于0的月交纳额；不交请选“免交”", field="monthly_amount")
        monthly_amount = Decimal(monthly_amount).quantize(Decimal("0.01"))
    else:
        monthly_amount = None
    with transaction.atomic():
        member = Member.objects.locked().select_related("organization").get(pk=member.pk)
        refuse_if_temporary(member.organization, "dues")
        overlap = DuesExemption.objects.filter(
            member=member, from_month__lte=until_month, until_month__gte=from_month
        )
        if overlap.exists():
            raise DomainError("所选月份已有少交或免交记录", field="from_month")
        exemption = DuesExemption.objects.create(
            member=member,
            kind=kind,
            monthly_amount=monthly_amount,
            from_month=from_month,
            until_month=until_month,
            reason=reason.strip(),
            approved_by=approved_by.strip(),
            approved_on=approved_on,
            recorded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        record(
            "dues.exemption",
            member,
            actor=actor,
            kind=kind,
            monthly_amount=monthly_amount,
            from_month=from_month,
            until_month=until_month,
            approved_by=exemption.approved_by,
            approved_on=approved_on,
        )
        rollups.recount([member.organization_id])
    return exemption
