"""Issue 13 §1: masking holds as a whole record on every surface, for every role by default.

A masked ID keeps 6 + 2 characters, the birth date only its year, the phone 3 + 4; full values
come only through an audited reveal (with a reason) or an audited unmasked export.
"""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xianfeng.core.models import AuditLog
from xianfeng.grid.models import Household
from xianfeng.grid.testing import build_grid_world
from xianfeng.members.models import Member
from xianfeng.resident_requests.testing import make_request

ROLES = ["street_admin", "committee_secretary", "branch_secretary", "grid_worker", "observer"]


def hidden_parts(member):
    """What no masked surface may show: the birth-date digits and the full numbers."""
    return [member.id_number, member.id_number[6:14], member.birth_date.strftime("%Y-%m-%d")]


def assert_masked(body, member):
    for part in hidden_parts(member):
        assert part not in body, part
    assert member.phone not in body


@pytest.mark.parametrize("role", ROLES)
def test_detail_page_cannot_rebuild_the_number(world, login, role):
    body = login(world.users[role]).get(f"/members/{world.member.pk}/").content.decode()
    assert_masked(body, world.member)
    number = world.member.id_number
    assert f"{number[:6]}{'*' * 10}{number[-2:]}" in body
    assert f"{world.member.birth_date.year}年" in body


@pytest.mark.parametrize("role", ROLES)
def test_api_cannot_rebuild_the_number(world, api, role):
    client = api(world.users[role])
    body = client.get(reverse("api:members-detail", args=[world.member.pk])).content.decode()
    assert_masked(body, world.member)
    assert_masked(client.get(reverse("api:members-list")).content.decode(), world.member)


@pytest.mark.parametrize("role", ["street_admin", "observer"])
def test_default_export_is_masked_as_a_whole_record(world, login, role):
    response = login(world.users[role]).get(reverse("excel:export_members"))
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)))["党员"]
    text = "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert_masked(text, world.member)


def test_unmasked_export_needs_a_reason_and_writes_one_audit_row(world, login):
    client = login(world.users["street_admin"])
    url = reverse("excel:export_members")
    response = client.get(url, {"unmasked": "1"})
    assert response.status_code == 400 and "事由" in response.content.decode()
    assert not AuditLog.objects.filter(action="excel.export_members").exists()
    response = client.get(url, {"unmasked": "1", "reason": "换届选举核对", "q": "zs"})
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)))["党员"]
    assert world.member.id_number in [r[1] for r in sheet.iter_rows(values_only=True)]
    log = AuditLog.objects.get(action="excel.export_members")
    assert log.actor == world.users["street_admin"]
    assert log.data["reason"] == "换届选举核对" and log.data["rows"] == 1
    assert log.data["filters"]["q"] == "zs"


def test_unmasked_export_still_masks_what_the_role_may_not_see(world, login):
    response = login(world.users["observer"]).get(
        reverse("excel:export_members"), {"unmasked": "1", "reason": "核对"}
    )
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)))["党员"]
    text = "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert_masked(text, world.member)


@pytest.mark.parametrize("role", ["grid_worker", "observer"])
def test_masked_role_probing_a_full_number_finds_nothing(world, login, api, role):
    user = world.users[role]
    for query in (world.member.id_number, world.member.phone):
        body = login(user).get("/members/", {"q": query}).content.decode()
        assert "张三" not in body
        data = api(user).get(reverse("api:members-list"), {"q": query}).json()
        assert data["results"] == []
    # the last four digits (part of the mask) still find the member
    assert "张三" in login(user).get("/members/", {"q": "5678"}).content.decode()


def test_sensitive_role_finds_a_full_number(world, api):
    data = api(world.users["street_admin"]).get(
        reverse("api:members-list"), {"q": world.member.id_number}
    )
    assert [r["name"] for r in data.json()["results"]] == ["张三"]


def test_reveal_needs_a_reason_and_is_audited(world, login):
    client = login(world.users["street_admin"])
    url = f"/members/{world.member.pk}/reveal/"
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert_masked(response.content.decode(), world.member)
    assert not AuditLog.objects.filter(action="member.reveal").exists()
    body = client.post(url, {"reason": "办理转接"}, HTTP_HX_REQUEST="true").content.decode()
    assert world.member.id_number in body and world.member.phone in body
    log = AuditLog.objects.get(action="member.reveal")
    assert (log.actor, log.target_id) == (world.users["street_admin"], str(world.member.pk))
    assert log.data["reason"] == "办理转接"
    assert set(log.data["fields"]) == {"id_number", "phone", "birth_date"}


def test_edit_form_never_carries_full_values_and_blank_keeps_them(world, login):
    client = login(world.users["street_admin"])
    url = f"/members/{world.member.pk}/edit/"
    assert_masked(client.get(url).content.decode(), world.member)
    m = world.member
    response = client.post(
        url,
        {
            "organization": m.organization_id,
            "name": m.name,
            "ethnicity": m.ethnicity,
            "joined_on": m.joined_on.isoformat(),
            "category": m.category,
            "employer": "新单位",
            "version": m.version,
        },
    )
    assert response.status_code == 302, response.content.decode()
    fresh = Member.objects.get(pk=m.pk)
    assert (fresh.id_number, fresh.phone, fresh.birth_date) == (m.id_number, m.phone, m.birth_date)
    assert fresh.employer == "新单位"


def test_edit_form_error_does_not_reveal_the_stored_birth_date(world, login):
    m = world.member
    response = login(world.users["street_admin"]).post(
        f"/members/{m.pk}/edit/",
        {
            "organization": m.organization_id,
            "name": m.name,
            "ethnicity": m.ethnicity,
            "birth_date": "1901-01-01",
            "joined_on": m.joined_on.isoformat(),
            "category": m.category,
            "version": m.version,
        },
    )
    assert response.status_code == 200
    assert_masked(response.content.decode(), m)


def test_resident_phone_on_request_page_is_masked_for_viewers(world, login):
    gw = build_grid_world(world)
    req = make_request(grid=gw.building1, resident_phone="13900001111")
    body = login(world.users["observer"]).get(reverse("requests:detail", args=[req.pk]))
    assert body.status_code == 200
    text = body.content.decode()
    assert "13900001111" not in text and "139****1111" in text


def test_household_edit_form_does_not_show_the_masked_phone_in_full(world, login):
    gw = build_grid_world(world)
    household = Household.objects.create(
        grid=gw.building1, address="1单元101", head_name="王", phone="13700001234"
    )
    client = login(world.users["street_admin"])
    url = reverse("grid:household_edit", args=[household.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "13700001234" not in page.content.decode()
    response = client.post(url, {"address": "1单元102", "head_name": "王", "size": 2})
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.address, household.phone) == ("1单元102", "13700001234")


def test_volunteer_phones_are_masked_for_every_role(world, login):
    from datetime import date

    from xianfeng.service.volunteering import register_volunteer

    register_volunteer(
        world.branch,
        actor=world.users["street_admin"],
        name="志愿者甲",
        phone="13700000001",
        registered_on=date(2026, 1, 5),
    )
    page = login(world.users["street_admin"]).get(reverse("service:volunteers"))
    text = page.content.decode()
    assert "志愿者甲" in text and "13700000001" not in text and "137****0001" in text


def test_export_audit_row_does_not_copy_a_searched_full_number(world, login):
    number = world.member.id_number
    login(world.users["street_admin"]).get(reverse("excel:export_members"), {"q": number})
    log = AuditLog.objects.get(action="excel.export_members")
    assert number not in str(log.data) and log.data["filters"]["q"].startswith(number[:6])
