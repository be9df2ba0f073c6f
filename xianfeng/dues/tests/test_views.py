from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xianfeng.dues import services
from xianfeng.dues.models import DuesBasis, DuesPayment
from xianfeng.members.models import Member
from xianfeng.testing import FORMULA_TEXT, assert_safe_and_printable, make_member

MONTH = "2024-03"


@pytest.fixture
def secretary(world):
    return world.users["branch_secretary"]


def _bases(world, actor):
    for m in world.branch.members.all():
        services.set_dues_basis(
            m, category="salaried", income="3000", from_month=date(2024, 1, 1), actor=actor
        )


def test_sheet_lists_members_due_and_paid(world, secretary, login):
    _bases(world, secretary)
    services.record_payment(
        world.member, date(2024, 3, 1), paid_on=date(2024, 3, 2), method="self", actor=secretary
    )
    response = login(secretary).get(reverse("dues:sheet", args=[world.branch.pk]), {"month": MONTH})
    assert response.status_code == 200
    rows = {r["member"].name: r for r in response.context["rows"]}
    assert rows["张三"]["payment"].amount_paid == Decimal("15.00")
    assert rows["李四"]["due"] == Decimal("15.00") and rows["李四"]["payment"] is None
    assert "王五" not in rows  # another branch


def test_sheet_query_count_is_constant(world, secretary, login, django_assert_max_num_queries):
    _bases(world, secretary)
    client = login(secretary)
    url = reverse("dues:sheet", args=[world.branch.pk])
    client.get(url, {"month": MONTH})  # warm session/caches
    # session, user, grants, org, members, bases+exemptions ×2, payments, paid months,
    # the bell, the breadcrumb trail (2)
    with django_assert_max_num_queries(14) as few:
        client.get(url, {"month": MONTH})
    for i in range(15):
        m = make_member(world.branch, f"新增{i}")
        services.set_dues_basis(
            m, category="farmer", income=0, from_month=date(2024, 1, 1), actor=secretary
        )
        services.record_payment(
            m, date(2024, 3, 1), paid_on=date(2024, 3, 2), method="self", actor=secretary
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"month": MONTH})
    assert len(response.context["rows"]) == 19


def test_bulk_marks_paid_through_the_page(world, secretary, login):
    _bases(world, secretary)
    ids = list(world.branch.members.values_list("pk", flat=True))
    response = login(secretary).post(
        reverse("dues:bulk", args=[world.branch.pk]),
        {"month": MONTH, "paid_on": "2024-03-20", "members": ids},
    )
    assert response.status_code == 302
    assert DuesPayment.objects.filter(month=date(2024, 3, 1), method="bulk").count() == len(ids)


def test_bulk_refusal_is_a_message_not_a_500(world, secretary, login):
    _bases(world, secretary)
    services.record_payment(
        world.member, date(2024, 3, 1), paid_on=date(2024, 3, 2), method="self", actor=secretary
    )
    ids = list(world.branch.members.values_list("pk", flat=True))
    response = login(secretary).post(
        reverse("dues:bulk", args=[world.branch.pk]),
        {"month": MONTH, "paid_on": "2024-03-20", "members": ids},
        follow=True,
    )
    assert "该月党费已缴纳" in response.content.decode()
    assert DuesPayment.objects.count() == 1


def test_outsider_gets_404(world, login):
    client = login(world.users["outsider"])
    assert client.get(reverse("dues:sheet", args=[world.branch.pk])).status_code == 404
    assert client.get(reverse("dues:member", args=[world.member.pk])).status_code == 404
    response = client.post(
        reverse("dues:basis", args=[world.member.pk]),
        {"category": "salaried", "income": "100", "from_month": MONTH},
    )
    assert response.status_code == 404
    assert not DuesBasis.objects.exists()


def test_member_history_and_basis_form(world, secretary, login):
    client = login(secretary)
    response = client.post(
        reverse("dues:basis", args=[world.member.pk]),
        {"category": "retired", "income": "5000.01", "from_month": MONTH},
    )
    assert response.status_code == 302
    basis = DuesBasis.objects.get(member=world.member)
    assert (basis.valid_from, basis.income_category) == (date(2024, 3, 1), "retired")
    client.post(
        reverse("dues:pay", args=[world.member.pk]),
        {"month": MONTH, "paid_on": "2024-03-05", "method": "on_behalf"},
    )
    page = client.get(reverse("dues:member", args=[world.member.pk]))
    assert page.status_code == 200
    assert [p.amount_paid for p in page.context["payments"]] == [Decimal("50.00")]


def test_member_sees_own_history(world, login):
    response = login(world.users["member"]).get(reverse("dues:member", args=[world.member.pk]))
    assert response.status_code == 200
    assert response.context["can_change"] is False


def test_ledger_page_and_xlsx(world, secretary, login):
    _bases(world, secretary)
    Member.objects.filter(name="李四").update(name=FORMULA_TEXT)
    services.record_payment(
        world.member, date(2024, 3, 1), paid_on=date(2024, 3, 2), method="self", actor=secretary
    )
    client = login(secretary)
    page = client.get(reverse("dues:ledger", args=[world.branch.pk]), {"year": 2024})
    ledger = page.context["ledger"]
    assert ledger["paid_total"] == Decimal("15.00")
    assert ledger["due_total"] == Decimal("15.00") * 12 * 4
    response = client.get(reverse("dues:ledger_xlsx", args=[world.branch.pk]), {"year": 2024})
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == "姓名" and rows[1][3] == "3月实交"
    zhang = next(r for r in rows if r[0] == "张三")
    assert zhang[3] == 15.0 and zhang[-1] == 15.0
    totals = next(r for r in rows if r[0] == "合计")
    assert totals[-1] == 15.0
    assert ws.cell(3, 2).number_format == "0.00"
    assert_safe_and_printable(ws, header_row=2)
    assert ws.page_setup.orientation == "landscape"
