"""党费 exceptions: 年薪制 (第三条), 个体经营 (第四条), 少交或免交 with approval (第七条)."""

from datetime import date
from decimal import Decimal

import pytest

from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog
from xianfeng.dues import services
from xianfeng.dues.ledger import build_ledger
from xianfeng.dues.models import DuesExemption
from xianfeng.dues.rules import RULES, monthly_dues
from xianfeng.testing import make_member

D = Decimal


@pytest.fixture
def actor(world):
    return world.users["branch_secretary"]


def basis(member, actor, category="salaried", income="4000", month=date(2024, 1, 1)):
    return services.set_dues_basis(
        member, category=category, income=income, from_month=month, actor=actor
    )


def exempt(member, actor, kind="waived", start=date(2024, 3, 1), end=date(2024, 5, 1), **kw):
    return services.grant_dues_exemption(
        member,
        kind=kind,
        from_month=start,
        until_month=end,
        reason=kw.pop("reason", "大病住院，生活困难"),
        approved_by=kw.pop("approved_by", "北坦街道党工委"),
        approved_on=kw.pop("approved_on", date(2024, 2, 20)),
        actor=actor,
        **kw,
    )


# ---------------------------------------------------------------- 年薪制, 个体经营


@pytest.mark.parametrize("category", ["annual_salary", "self_employed"])
@pytest.mark.parametrize(
    ("income", "due"),
    [("3000.00", "15.00"), ("3000.01", "30.00"), ("5000.00", "50.00"), ("10000.01", "200.00")],
)
def test_own_basis_same_bands(category, income, due):
    assert monthly_dues(category, D(income)) == D(due)


def test_every_new_row_cites_its_article():
    sources = {r.category: r.source for r in RULES}
    assert "第三条" in sources["annual_salary"] and "当月实际领取" in sources["annual_salary"]
    assert "第四条" in sources["self_employed"] and "上季度月平均纯收入" in sources["self_employed"]


def test_annual_salary_month_of_performance_pay(world, actor):
    """The 12371 example: 5,000 a month pays 1%; the month the performance pay is paid out,
    245,000 received that month pays 2% of it; the month after goes back to the base pay."""
    m = world.member
    basis(m, actor, "annual_salary", "5000", date(2024, 1, 1))
    basis(m, actor, "annual_salary", "245000", date(2024, 12, 1))
    basis(m, actor, "annual_salary", "5000", date(2025, 1, 1))
    assert services.dues_for(m, date(2024, 11, 1)) == D("50.00")
    assert services.dues_for(m, date(2024, 12, 1)) == D("4900.00")
    assert services.dues_for(m, date(2025, 1, 1)) == D("50.00")


@pytest.mark.parametrize(("month", "ok"), [(1, True), (4, True), (7, True), (10, True), (2, False)])
def test_self_employed_basis_changes_at_a_quarter(world, actor, month, ok):
    if ok:
        basis(world.member, actor, "self_employed", "4500", date(2024, month, 1))
        assert services.dues_for(world.member, date(2024, month, 1)) == D("45.00")
    else:
        with pytest.raises(DomainError, match="上季度月平均纯收入"):
            basis(world.member, actor, "self_employed", "4500", date(2024, month, 1))


# ---------------------------------------------------------------- 少交或免交


def test_waived_months_are_not_due_nor_in_arrears(world, actor):
    m = world.member
    basis(m, actor)
    exempt(m, actor)  # March–May 2024
    assert services.dues_for(m, date(2024, 2, 1)) == D("40.00")
    assert services.dues_for(m, date(2024, 3, 1)) == D("0.00")  # first month: edge
    assert services.dues_for(m, date(2024, 5, 1)) == D("0.00")  # last month: edge
    assert services.dues_for(m, date(2024, 6, 1)) == D("40.00")
    assert services.arrears(m, date(2024, 7, 2)) == [date(2024, m_, 1) for m_ in (1, 2, 6)]
    (row,) = services.branch_arrears(world.branch, date(2024, 7, 2), [m])
    assert row.count == 3
    with pytest.raises(DomainError, match="免交"):
        services.record_payment(
            m, date(2024, 4, 1), paid_on=date(2024, 4, 3), method="self", actor=actor
        )


def test_reduced_months_are_due_at_the_approved_amount(world, actor):
    m = world.member
    basis(m, actor)
    exempt(m, actor, "reduced", monthly_amount="5")
    assert services.dues_for(m, date(2024, 4, 1)) == D("5.00")
    assert services.arrears(m, date(2024, 7, 1))[2] == date(2024, 3, 1)  # still owed, at 5 元
    p = services.record_payment(
        m, date(2024, 4, 1), paid_on=date(2024, 4, 3), method="self", actor=actor
    )
    assert p.amount_due == D("5.00")
    # A "reduction" above the regular amount never raises what is due.
    other = make_member(world.branch, "李四")
    basis(other, actor, income="1000")
    exempt(other, actor, "reduced", monthly_amount="30")
    assert services.dues_for(other, date(2024, 3, 1)) == D("5.00")


def test_ledger_totals_respect_exemptions(world, actor):
    m = world.member
    basis(m, actor)
    exempt(m, actor)
    ledger = build_ledger([m], 2024)
    assert ledger["due_total"] == D("360.00")  # 9 × 40, not 12 × 40


def test_exemption_needs_the_approval_and_is_audited(world, actor):
    m = world.member
    with pytest.raises(DomainError, match="批准"):
        exempt(m, actor, approved_by=" ")
    with pytest.raises(DomainError, match="批准日期"):
        exempt(m, actor, approved_on=None)
    with pytest.raises(DomainError, match="截止月份"):
        exempt(m, actor, start=date(2024, 5, 1), end=date(2024, 4, 1))
    with pytest.raises(DomainError, match="大于0"):
        exempt(m, actor, "reduced", monthly_amount="0")
    e = exempt(m, actor, end=date(2024, 3, 31))  # one month: until is inclusive
    assert (e.from_month, e.until_month, e.approved_by) == (
        date(2024, 3, 1),
        date(2024, 3, 1),
        "北坦街道党工委",
    )
    with pytest.raises(DomainError, match="已有"):
        exempt(m, actor, start=date(2024, 3, 1), end=date(2024, 6, 1))
    exempt(m, actor, start=date(2024, 4, 1), end=date(2024, 4, 1))  # the next month: no overlap
    assert DuesExemption.objects.filter(member=m).count() == 2
    log = AuditLog.objects.filter(action="dues.exemption").first()
    assert log.actor == actor


def test_exemption_page_and_post(world, client, actor):
    client.force_login(actor)
    url = f"/dues/member/{world.member.pk}/exemption/"
    response = client.post(
        url,
        {
            "kind": "waived",
            "from_month": "2024-03",
            "until_month": "2024-04",
            "reason": "失业",
            "approved_by": "北坦街道党工委",
            "approved_on": "2024-02-01",
        },
    )
    assert response.status_code == 302
    assert DuesExemption.objects.get(member=world.member).until_month == date(2024, 4, 1)
    page = client.get(f"/dues/member/{world.member.pk}/")
    assert "北坦街道党工委" in page.content.decode()
    bad = client.post(
        url,
        {
            "kind": "reduced",
            "from_month": "2024-06",
            "until_month": "2024-06",
            "reason": "x",
            "approved_by": "y",
            "approved_on": "2024-02-01",
        },
    )
    assert bad.status_code == 302 and DuesExemption.objects.count() == 1
    # Outside the subtree: 404, nothing written.
    client.force_login(world.users["outsider"])
    assert client.post(url, {"kind": "waived"}).status_code == 404
