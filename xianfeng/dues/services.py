"""党费: bases, dues per month, payments, arrears.

Dues start in the month of `joined_on` (for probationary members, the day the branch
meeting admitted them) or of the first basis, whichever is later. Arrears count only
months that are over: the current month is due, not yet overdue.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from xianfeng.core.audit import record
from xianfeng.core.errors import DomainError
from xianfeng.core.events import point_code, point_event
from xianfeng.members.models import Member
from xianfeng.orgs.rules import refuse_if_temporary

from .models import DuesBasis, DuesPayment, PaymentMethod, VoluntaryPayment
from .rules import IncomeCategory, chosen_amount_error, goes_to_centre, monthly_dues

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


def due_in(member, bases, month):
    """Dues for `month` given the member's sorted bases; None when not liable that month."""
    if month < month_start(member.joined_on):
        return None
    basis = basis_in(bases, month)
    if basis is None:
        return None
    return monthly_dues(basis.income_category, basis.monthly_income, basis.chosen_amount)


def first_liable_month(member, bases):
    if not bases:
        return None
    return max(month_start(member.joined_on), bases[0].valid_from)


def unpaid_months(member, bases, paid_months, as_of):
    """Over months since dues began that have no payment."""
    start = first_liable_month(member, bases)
    if start is None:
        return []
    last_over = month_start(as_of)
    return [m for m in months_between(start, last_over) if m < last_over and m not in paid_months]


def warning_for(count):
    """The highest warning threshold reached by `count` unpaid months, or 0."""
    return max((n for n in WARN_MONTHS if count >= n), default=0)


# ---------------------------------------------------------------- reads


def bases_of(member):
    return list(member.dues_bases.order_by("valid_from"))


def dues_for(member, month):
    return due_in(member, bases_of(member), month_start(month))


def arrears(member, as_of):
    paid = set(member.dues_payments.values_list("month", flat=True))
    return unpaid_months(member, bases_of(member), paid, as_of)


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


def branch_arrears(org, as_of, members=None):
    """Arrears of every active member of `org`, in three queries."""
    members = list(members if members is not None else org.members.active())
    ids = [m.pk for m in members]
    bases = bases_by_member(ids)
    paid = {pk: set() for pk in ids}
    for member_id, month in DuesPayment.objects.filter(member_id__in=ids).values_list(
        "member_id", "month"
    ):
        paid[member_id].add(month)
    return [MemberArrears(m, unpaid_months(m, bases[m.pk], paid[m.pk], as_of)) for m in members]


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
    with transaction.atomic():
        Member.objects.select_for_update().get(pk=member.pk)
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
    return basis


def record_payment(member, month, *, amount=None, paid_on, method, actor):
    """Record one month's regular dues; a month already paid is refused.

    Paid after the month is over, the member loses the `dues.late` points (sent on commit).
    """
    if method not in PaymentMethod.values:
        raise DomainError("交纳方式无效", field="method")
    month = month_start(month)
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("organization").get(pk=member.pk)
        refuse_if_temporary(member.organization, "dues")
        if DuesPayment.objects.filter(member=member, month=month).exists():
            raise DomainError(f"{member.name}：该月党费已缴纳")
        due = dues_for(member, month)
        if due is None:
            raise DomainError(f"{member.name}：该月无应交党费（未设置交纳基数或尚未入党）")
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
        members = list(Member.objects.select_for_update().filter(organization=org, pk__in=ids))
        if len(members) != len(ids):
            raise DomainError("所选党员不属于本组织")
        payments = [
            record_payment(m, month, paid_on=paid_on, method=PaymentMethod.BULK, actor=actor)
            for m in members
        ]
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
