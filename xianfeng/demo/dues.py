"""A year of 党费 for 郭店: bases by occupation, monthly payments, some members in arrears.

Keyed on members: a member who already has a dues basis is left alone, so loading twice (or
on a later day) adds nothing.
"""

from datetime import date, timedelta
from decimal import Decimal

from xianfeng.dues.models import DuesBasis, DuesPayment, PaymentMethod, VoluntaryPayment
from xianfeng.dues.rules import IncomeCategory, goes_to_centre, monthly_dues
from xianfeng.dues.services import month_start, months_between
from xianfeng.members.models import Member
from xianfeng.orgs.models import Domain

STREET = "370112-01"  # 郭店街道党工委
ARREARS_SHARE = 0.07
SALARIED_INCOME = {
    Domain.ORGAN: (4500, 9000),
    Domain.INSTITUTION: (4000, 8500),
    Domain.SCHOOL: (4200, 8000),
    Domain.SOE: (4000, 12000),
    Domain.PRIVATE: (2600, 11000),
    Domain.SOCIAL: (2800, 5200),
}


def load(ctx):
    rng = ctx.rng("dues")
    street = ctx.orgs[STREET]
    members = list(
        Member.objects.active()
        .filter(organization__path__startswith=street.path, dues_bases__isnull=True)
        .select_related("organization")
        .order_by("id_number")
    )
    first = month_start(ctx.today).replace(year=ctx.today.year - 1)
    last_over = month_start(ctx.today) - timedelta(days=1)
    bases, payments, voluntary = [], [], []
    for member in members:
        category, income = basis_for(rng, member, ctx.today)
        start = max(first, month_start(member.joined_on))
        bases.append(
            DuesBasis(
                member=member, income_category=category, monthly_income=income, valid_from=start
            )
        )
        due = monthly_dues(category, income)
        unpaid = rng.randint(1, 7) if rng.random() < ARREARS_SHARE else 0
        months = list(months_between(start, last_over))
        for month in months[: len(months) - unpaid]:
            payments.append(
                DuesPayment(
                    member=member,
                    month=month,
                    amount_due=due,
                    amount_paid=due,
                    paid_on=month + timedelta(days=rng.randrange(0, 25)),
                    method=PaymentMethod.BULK if rng.random() < 0.7 else PaymentMethod.SELF,
                )
            )
        if rng.random() < 0.01:
            amount = Decimal(rng.choice((200, 500, 1000, 2000)))
            voluntary.append(
                VoluntaryPayment(
                    member=member,
                    amount=amount,
                    paid_on=date(first.year, 7, 1),
                    to_centre=goes_to_centre(amount),
                    note="七一自愿多交党费",
                )
            )
    DuesBasis.objects.bulk_create(bases, batch_size=1000)
    DuesPayment.objects.bulk_create(payments, batch_size=2000)
    VoluntaryPayment.objects.bulk_create(voluntary)


def basis_for(rng, member, today):
    domain = member.organization.domain
    if domain == Domain.RURAL:
        return IncomeCategory.FARMER, Decimal("0")
    if member.age(today) >= 60:
        return IncomeCategory.RETIRED, Decimal(rng.randrange(2800, 6500))
    if domain == Domain.COMMUNITY:
        return IncomeCategory.NO_INCOME, Decimal("0")
    low, high = SALARIED_INCOME.get(domain, (3000, 6000))
    return IncomeCategory.SALARIED, Decimal(rng.randrange(low, high))
