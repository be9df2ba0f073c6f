"""Correcting a household's file (update_case, optimistic locking, audit) and the reveal of
its 身份证号/phones (the members' reveal, refused without the right)."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from xianfeng.campaigns import services
from xianfeng.campaigns.models import CasePerson
from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog
from xianfeng.members.idcard import make_id_number

from .factories import campaign, case, recount, table

pytestmark = pytest.mark.django_db

ID1 = make_id_number("370112", date(1960, 5, 1), 11)
ID2 = make_id_number("370112", date(1988, 3, 2), 22)


def _household(world):
    c = campaign(world)
    h = case(c, id_number=ID1, persons=[("王小章", "子", ID2)])
    return c, h


def test_update_case_changes_fields_family_and_class_with_one_audit_row(world):
    c, h = _household(world)
    son = h.persons.get()
    nail = c.classes.get(name="钉子户")
    admin = world.users["admin"]
    services.update_case(
        h,
        actor=admin,
        expected_version=0,
        phone="0531-88881234",
        area="120.5",
        address="东辛村12号",
        case_class=nail,
        persons=[
            {"id": son.pk, "name": "王小章", "relation": "长子"},  # ID kept
            {"name": "李梅", "relation": "儿媳", "id_number": ""},
        ],
    )
    h.refresh_from_db()
    assert (h.phone, str(h.area), h.address, h.case_class, h.version) == (
        "0531-88881234",
        "120.50",
        "东辛村12号",
        nail,
        1,
    )
    son.refresh_from_db()
    assert (son.relation, son.id_number) == ("长子", ID2)
    assert sorted(CasePerson.objects.filter(case=h).values_list("name", flat=True)) == [
        "李梅",
        "王小章",
    ]
    assert table(c) == recount(c)  # the board follows the new class
    row = AuditLog.objects.get(action="campaign.case_edit")
    assert row.data["fields"] == ["address", "area", "case_class", "phone"]
    assert row.data["after"]["phone"] == "***" and "13912345678" not in str(row.data)
    assert row.data["after"]["case_class"] == "钉子户"
    assert row.data["persons"] == {"added": ["李梅"], "changed": ["王小章"], "removed": []}


def test_a_stale_edit_is_refused_and_writes_nothing(world):
    c, h = _household(world)
    first, second = type(h).objects.get(pk=h.pk), type(h).objects.get(pk=h.pk)
    services.update_case(first, actor=None, expected_version=0, head_name="王书章甲")
    with pytest.raises(DomainError) as err:
        services.update_case(second, actor=None, expected_version=0, head_name="王书章乙")
    assert err.value.code == "stale" and "已被他人修改" in err.value.message
    h.refresh_from_db()
    assert (h.head_name, h.version) == ("王书章甲", 1)
    assert AuditLog.objects.filter(action="campaign.case_edit").count() == 1


def test_assigning_bumps_the_version_so_an_edit_read_before_is_stale(world):
    c, h = _household(world)
    services.assign_case(h, actor=None, case_class=c.classes.first())
    with pytest.raises(DomainError):
        services.update_case(h, actor=None, expected_version=0, case_class=None)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"id_number": "370112196005011234"}, "id_number", "校验位"),
        ({"phone": "电话13912"}, "phone", "联系电话"),
        ({"people": 0}, "people", "人口数"),
        ({"area": "大约一百"}, "area", "面积"),
        ({"head_name": "  "}, "head_name", "户主"),
        ({"persons": [{"name": ""}]}, "persons", "姓名"),
        ({"persons": [{"id": 10**9, "name": "某"}]}, "persons", "不属于该户"),
        ({"expected_version": "x"}, "version", "版本号"),
    ],
)
def test_bad_input_is_a_chinese_error_per_field(world, fields, field, message):
    _c, h = _household(world)
    fields = {"expected_version": 0, **fields}
    with pytest.raises(DomainError) as err:
        services.update_case(h, actor=None, **fields)
    assert err.value.field == field and message in err.value.message


def test_a_class_of_another_campaign_is_refused(world):
    _c, h = _household(world)
    other = campaign(world)
    with pytest.raises(DomainError, match="类别不属于该专项工作"):
        services.update_case(h, actor=None, expected_version=0, case_class=other.classes.first())


def test_reveal_writes_the_audit_row_with_the_reason(world):
    _c, h = _household(world)
    with pytest.raises(DomainError, match="事由"):
        services.reveal_case(h, actor=world.users["street_admin"], reason=" ")
    shown = services.reveal_case(h, actor=world.users["street_admin"], reason="核对签约信息")
    assert shown["id_number"] == ID1 and shown["phone"] == "13912345678"
    assert shown["persons"][0]["id_number"] == ID2
    row = AuditLog.objects.get(action="campaign.case_reveal")
    assert row.actor == world.users["street_admin"] and row.target_id == str(h.pk)
    assert row.data == {"fields": ["id_number", "phone", "persons"], "reason": "核对签约信息"}


# ---------------------------------------------------------------- pages


def _client(world, role):
    client = Client()
    client.force_login(world.users[role])
    return client


def test_the_case_page_masks_and_reveals_only_for_the_right_role(world):
    _c, h = _household(world)
    page = _client(world, "street_admin").get(reverse("campaigns:case", args=[h.pk]))
    text = page.content.decode()
    assert "139****5678" in text and ID1 not in text and ID2 not in text
    assert 'data-testid="reveal-form"' in text

    url = reverse("campaigns:case_reveal", args=[h.pk])
    empty = _client(world, "street_admin").post(url, {"reason": ""})
    assert empty.status_code == 400 and not AuditLog.objects.filter(action="campaign.case_reveal")
    shown = _client(world, "street_admin").post(url, {"reason": "入户核对"})
    assert shown.status_code == 200
    assert ID1 in shown.content.decode() and ID2 in shown.content.decode()
    assert AuditLog.objects.filter(action="campaign.case_reveal").count() == 1

    # The observer sees the household (masked) but may not reveal; the 包户 cadre without
    # a grant neither.
    observer = _client(world, "observer")
    masked = observer.get(reverse("campaigns:case", args=[h.pk])).content.decode()
    assert 'data-testid="reveal-form"' not in masked
    assert observer.post(url, {"reason": "看看"}).status_code == 403
    services.assign_case(h, actor=None, responsible=world.users["member"])
    assert _client(world, "member").post(url, {"reason": "看看"}).status_code == 403
    other = _client(world, "outsider").post(url, {"reason": "看看"})
    assert other.status_code == 404
    assert AuditLog.objects.filter(action="campaign.case_reveal").count() == 1


def test_the_edit_page_saves_and_keeps_a_stale_edit_in_the_form(world):
    _c, h = _household(world)
    son = h.persons.get()
    url = reverse("campaigns:case_edit", args=[h.pk])
    client = _client(world, "street_admin")
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and ID1 not in text and ID2 not in text
    assert "370112**********" in text  # the masked value is only a placeholder
    post = {
        "version": 0,
        "head_name": "王书章",
        "village": "东辛村",
        "id_number": "",
        "phone": "",
        "people": 4,
        "address": "东辛村3号",
        "area": "88.00",
        "property_note": "",
        "case_class": "",
        "note": "",
        "p-TOTAL_FORMS": 3,
        "p-INITIAL_FORMS": 1,
        "p-0-id": son.pk,
        "p-0-name": "王小章",
        "p-0-relation": "子",
        "p-0-id_number": "",
        "p-1-name": "王小芳",
        "p-1-relation": "女",
        "p-1-id_number": "",
    }
    saved = client.post(url, post)
    assert saved.status_code == 302
    h.refresh_from_db()
    assert (h.people, h.address, h.version, h.id_number, h.phone) == (
        4,
        "东辛村3号",
        1,
        ID1,
        "13912345678",
    )
    assert h.persons.count() == 2 and h.persons.get(name="王小章").id_number == ID2

    # A second form read at version 0: refused, with what was typed still there.
    stale = client.post(url, {**post, "address": "东辛村5号（新）"})
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "已被他人修改" in body and "东辛村5号（新）" in body
    h.refresh_from_db()
    assert h.address == "东辛村3号"


def test_the_edit_page_is_for_those_who_may_change_the_household(world):
    _c, h = _household(world)
    url = reverse("campaigns:case_edit", args=[h.pk])
    assert _client(world, "observer").get(url).status_code == 403
    assert _client(world, "outsider").get(url).status_code == 404
    services.assign_case(h, actor=None, responsible=world.users["member"])
    page = _client(world, "member").get(url)
    assert page.status_code == 200
    assert 'name="case_class"' not in page.content.decode()  # the class is the branch's call
