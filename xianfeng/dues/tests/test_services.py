from datetime import date
from decimal import Decimal

import pytest

from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog
from xianfeng.dues import services
from xianfeng.dues.models import DuesPayment, VoluntaryPayment
from xianfeng.members.models import Category
from xianfeng.testing import make_member

D = Decimal


@pytest.fixture
def admin(world):
    return world.users["branch_secretary"]


def test_income_change_takes_effect_from_its_month(world, admin):
    m = world.member
    services.set_dues_basis(
        m, category="salaried", income="4000", from_month=date(2024, 1, 1), actor=admin
    )
    services.set_dues_basis(
        m, category="salaried", income="6000", from_month=date(2024, 5, 20), actor=admin
    )
    assert services.dues_for(m, date(2024, 4, 1)) == D("40.00")
    assert services.dues_for(m, date(2024, 5, 1)) == D("90.00")
    assert services.dues_for(m, date(2023, 12, 1)) is None
    assert m.dues_bases.count() == 2
    assert AuditLog.objects.filter(action="dues.basis_set").count() == 2


def test_probationary_pays_from_admission_month(world, admin):
    m = make_member(
        world.branch, "新人", category=Category.PROBATIONARY, joined_on=date(2024, 3, 15)
    )
    services.set_dues_basis(
        m, category="student", income=0, from_month=date(2024, 1, 1), actor=admin
    )
    assert services.dues_for(m, date(2024, 2, 1)) is None
    assert services.dues_for(m, date(2024, 3, 1)) == D("0.20")
    assert services.arrears(m, date(2024, 6, 10)) == [
        date(2024, 3, 1),
        date(2024, 4, 1),
        date(2024, 5, 1),
    ]


def test_double_payment_refused(world, admin):
    m = world.member
    services.set_dues_basis(
        m, category="salaried", income="3000", from_month=date(2024, 1, 1), actor=admin
    )
    p = services.record_payment(
        m, date(2024, 2, 9), paid_on=date(2024, 2, 9), method="self", actor=admin
    )
    assert (p.month, p.amount_due, p.amount_paid) == (date(2024, 2, 1), D("15.00"), D("15.00"))
    with pytest.raises(DomainError, match="该月党费已缴纳"):
        services.record_payment(
            m, date(2024, 2, 1), paid_on=date(2024, 2, 10), method="self", actor=admin
        )
    assert DuesPayment.objects.filter(member=m).count() == 1
    assert AuditLog.objects.filter(action="dues.paid").count() == 1


def test_payment_without_basis_refused(world, admin):
    with pytest.raises(DomainError):
        services.record_payment(
            world.member, date(2024, 2, 1), paid_on=date(2024, 2, 1), method="self", actor=admin
        )


def test_bulk_is_all_or_nothing(world, admin):
    members = list(world.branch.members.all())
    for m in members[:-1]:
        services.set_dues_basis(
            m, category="farmer", income=0, from_month=date(2024, 1, 1), actor=admin
        )
    services.set_dues_basis(
        members[-1], category="farmer", income=0, from_month=date(2024, 1, 1), actor=admin
    )
    services.record_payment(
        members[-1], date(2024, 3, 1), paid_on=date(2024, 3, 1), method="self", actor=admin
    )
    with pytest.raises(DomainError, match="该月党费已缴纳"):
        services.record_bulk_payments(
            world.branch,
            date(2024, 3, 1),
            [m.pk for m in members],
            paid_on=date(2024, 3, 5),
            actor=admin,
        )
    assert DuesPayment.objects.count() == 1
    done = services.record_bulk_payments(
        world.branch,
        date(2024, 3, 1),
        [m.pk for m in members[:-1]],
        paid_on=date(2024, 3, 5),
        actor=admin,
    )
    assert len(done) == len(members) - 1
    assert set(DuesPayment.objects.values_list("method", flat=True)) == {"self", "bulk"}


def test_bulk_refuses_members_of_another_org(world, admin):
    with pytest.raises(DomainError):
        services.record_bulk_payments(
            world.branch,
            date(2024, 3, 1),
            [world.other_member.pk],
            paid_on=date(2024, 3, 5),
            actor=admin,
        )


def test_arrears_warnings_at_3_and_6_months(world, admin):
    m = world.member
    services.set_dues_basis(
        m, category="salaried", income="2000", from_month=date(2024, 1, 1), actor=admin
    )
    services.record_payment(
        m, date(2024, 1, 1), paid_on=date(2024, 1, 5), method="self", actor=admin
    )
    counts = {}
    for as_of in (date(2024, 3, 15), date(2024, 4, 15), date(2024, 7, 1), date(2024, 8, 1)):
        months = services.arrears(m, as_of)
        counts[as_of] = (len(months), services.warning_for(len(months)))
    assert counts == {
        date(2024, 3, 15): (1, 0),  # February over, March still running
        date(2024, 4, 15): (2, 0),
        date(2024, 7, 1): (5, 3),
        date(2024, 8, 1): (6, 6),
    }


def test_branch_arrears_constant_queries(world, admin, django_assert_num_queries):
    for i in range(5):
        m = make_member(world.branch, f"欠费{i}")
        services.set_dues_basis(
            m, category="salaried", income="5000", from_month=date(2024, 1, 1), actor=admin
        )
    with django_assert_num_queries(4):  # members, bases, exemptions, payments
        rows = services.branch_arrears(world.branch, date(2024, 5, 2))
    by_name = {r.member.name: r for r in rows}
    assert by_name["欠费0"].count == 4 and by_name["欠费0"].warning == 3
    assert by_name["张三"].count == 0


def test_voluntary_payment_flags_centre(world, admin):
    big = services.record_voluntary_payment(
        world.member, amount="1000", paid_on=date(2024, 7, 1), actor=admin
    )
    small = services.record_voluntary_payment(
        world.member, amount="999.99", paid_on=date(2024, 7, 1), actor=admin
    )
    assert VoluntaryPayment.objects.get(pk=big.pk).to_centre is True
    assert VoluntaryPayment.objects.get(pk=small.pk).to_centre is False


def test_farmer_basis_with_a_chosen_amount(world):
    member = world.member
    basis = services.set_dues_basis(
        member,
        category="farmer",
        income=0,
        from_month=date(2024, 1, 1),
        chosen_amount="0.80",
        actor=None,
    )
    assert services.due_in(member, [basis], date(2024, 3, 1)) == Decimal("0.80")
    with pytest.raises(DomainError, match="0.20元至1.00元"):
        services.set_dues_basis(
            member,
            category="farmer",
            income=0,
            from_month=date(2024, 2, 1),
            chosen_amount="1.20",
            actor=None,
        )
