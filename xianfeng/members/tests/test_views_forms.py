from datetime import date

import pytest
from django.utils import timezone

from xianfeng.core.models import AuditLog
from xianfeng.members import services
from xianfeng.members.idcard import make_id_number
from xianfeng.members.models import Member, MemberTag, StatusChange

NEW_ID = make_id_number("370105", date(1988, 8, 8), 246)


def form_data(org, **overrides):
    data = {
        "organization": org.pk,
        "name": "孙八",
        "id_number": NEW_ID,
        "ethnicity": "汉族",
        "phone": "13700001234",
        "joined_on": "2012-07-01",
        "category": "full",
    }
    return data | overrides


def test_create_member(world, login):
    response = login(world.users["branch_secretary"]).post(
        "/members/new/", form_data(world.branch, tags=[MemberTag.objects.get(code="veteran").pk])
    )
    member = Member.objects.get(name="孙八")
    assert response.status_code == 302 and response.url == f"/members/{member.pk}/"
    assert (member.gender, member.birth_date) == ("F", date(1988, 8, 8))
    assert list(member.tags.values_list("code", flat=True)) == ["veteran"]
    world.branch.refresh_from_db()
    assert world.branch.member_count == 5


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"id_number": "110105194912310021"}, "身份证号校验位错误"),
        ({"birth_date": "1988-08-09"}, "出生日期与身份证号不一致"),
        ({"gender": "M"}, "性别与身份证号不一致"),
        ({"joined_on": "2005-01-01"}, "入党时应年满18周岁"),
        ({"joined_on": "2999-01-01"}, "入党日期不能晚于今天"),
        ({"phone": "1370000123"}, "手机号应为以1开头的11位数字"),
        ({"name": ""}, "请填写姓名"),
        ({"joined_on": "2012/13/01"}, "日期格式应为"),
    ],
)
def test_create_shows_chinese_errors(world, login, overrides, message):
    response = login(world.users["street_admin"]).post(
        "/members/new/", form_data(world.branch, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Member.objects.filter(id_number=NEW_ID).exists()


def test_create_duplicate_id(world, login):
    response = login(world.users["street_admin"]).post(
        "/members/new/", form_data(world.branch, id_number=world.other_member.id_number)
    )
    body = response.content.decode()
    assert "该身份证号已登记" in body and world.other_branch.name not in body


def test_create_refuses_org_outside_scope(world, login):
    response = login(world.users["branch_secretary"]).post(
        "/members/new/", form_data(world.branch2)
    )
    assert response.status_code == 200
    assert "所选党组织不存在或无权在其中登记党员" in response.content.decode()
    assert not Member.objects.filter(id_number=NEW_ID).exists()
    assert world.branch2.name not in response.content.decode()


@pytest.mark.parametrize("role", ["grid_worker", "observer", "member"])
def test_create_forbidden_without_member_change(world, login, role):
    assert login(world.users[role]).get("/members/new/").status_code == 403


def edit_data(member, **overrides):
    data = {
        "organization": member.organization_id,
        "name": member.name,
        "id_number": member.id_number,
        "gender": member.gender,
        "birth_date": member.birth_date.isoformat(),
        "ethnicity": member.ethnicity,
        "phone": member.phone,
        "joined_on": member.joined_on.isoformat(),
        "category": member.category,
        "version": member.version,
    }
    return data | overrides


def test_edit_member(world, login):
    client = login(world.users["street_admin"])
    assert client.get(f"/members/{world.member.pk}/edit/").status_code == 200
    response = client.post(
        f"/members/{world.member.pk}/edit/",
        edit_data(world.member, employer="历下区教育局", organization=world.branch2.pk),
    )
    assert response.status_code == 302
    member = Member.objects.get(pk=world.member.pk)
    assert (member.employer, member.organization) == ("历下区教育局", world.branch2)
    assert AuditLog.objects.filter(action="member.update", target_id=str(member.pk)).exists()


def test_stale_edit_refused(world, login):
    client = login(world.users["street_admin"])
    stale = edit_data(world.member, employer="乙单位")
    services.update_member(world.member, actor=None, employer="甲单位")
    response = client.post(f"/members/{world.member.pk}/edit/", stale)
    assert response.status_code == 200
    assert "该记录已被他人修改，请刷新后重试" in response.content.decode()
    assert Member.objects.get(pk=world.member.pk).employer == "甲单位"


def test_edit_outside_scope_is_404(world, login):
    client = login(world.users["outsider"])
    assert client.get(f"/members/{world.member.pk}/edit/").status_code == 404
    response = client.post(f"/members/{world.member.pk}/edit/", edit_data(world.member, name="X"))
    assert response.status_code == 404
    assert Member.objects.get(pk=world.member.pk).name == "张三"


def test_change_status(world, login):
    client = login(world.users["branch_secretary"])
    path = f"/members/{world.member.pk}/status/"
    assert client.get(path).status_code == 200
    response = client.post(
        path, {"to_status": "deceased", "on": "2024-03-01", "reason": "病故", "version": 0}
    )
    assert response.status_code == 302
    assert StatusChange.objects.get(member=world.member).to_status == "deceased"
    world.branch.refresh_from_db()
    assert world.branch.member_count == 3


def test_change_status_error_next_to_field(world, login):
    response = login(world.users["branch_secretary"]).post(
        f"/members/{world.member.pk}/status/",
        {"to_status": "lost_contact", "on": "1999-01-01", "version": 0},
    )
    assert "变化日期不能早于入党日期" in response.content.decode()
    assert not StatusChange.objects.exists()


def test_confirm_probationary(world, login):
    member = Member.objects.get(name="王五")
    response = login(world.users["street_admin"]).post(
        f"/members/{member.pk}/confirm/",
        {"confirmed_on": timezone.localdate().isoformat(), "version": member.version},
    )
    assert response.status_code == 302
    assert Member.objects.get(pk=member.pk).category == "full"


def test_set_tags(world, login):
    tags = MemberTag.objects.filter(code__in=["hardship", "fifty_years"])
    client = login(world.users["branch_secretary"])
    path = f"/members/{world.member.pk}/tags/"
    assert client.get(path).status_code == 200
    assert client.post(path, {"tags": [t.pk for t in tags]}).status_code == 302
    assert set(world.member.tags.values_list("code", flat=True)) == {"hardship", "fifty_years"}


@pytest.mark.parametrize("action", ["status/", "confirm/", "tags/", "edit/"])
def test_actions_forbidden_for_readers(world, login, action):
    assert (
        login(world.users["grid_worker"]).get(f"/members/{world.member.pk}/{action}").status_code
        == 403
    )
