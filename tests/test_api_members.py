"""Members API through the client: scope, search, masking, reveal audit, writes, query counts."""

from datetime import date

import pytest
from django.urls import reverse

from xianfeng.core.models import AuditLog
from xianfeng.members.idcard import make_id_number
from xianfeng.members.models import Member
from xianfeng.testing import make_member

LIST = reverse("api:members-list")


def rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def names(response):
    return {row["name"] for row in rows(response)}


def detail(member):
    return reverse("api:members-detail", args=[member.pk])


def test_list_is_scoped(world, api):
    assert names(api(world.users["street_admin"]).get(LIST)) == {
        "张三",
        "李四",
        "李五",
        "李六",
        "王五",
    }
    assert names(api(world.users["outsider"]).get(LIST)) == {"赵六"}
    assert names(api(world.users["grid_worker"]).get(LIST)) == {"张三", "李四", "李五", "李六"}


def test_a_member_sees_only_their_own_record_masked(world, api):
    client = api(world.users["member"])
    [row] = rows(client.get(LIST))
    assert row["id_number"] != world.member.id_number and row["phone"] == "139****5678"
    assert client.get(detail(world.other_member)).status_code == 404
    assert client.get(detail(world.member)).status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zs", {"张三"}),
        ("zhangsan", {"张三"}),
        ("張三", {"张三"}),
        ("5678", {"张三"}),
        ("l", {"李四", "李五", "李六"}),
        ("zl", set()),  # 赵六 lives in another street
    ],
)
def test_search(world, api, query, expected):
    assert names(api(world.users["street_admin"]).get(LIST, {"q": query})) == expected


def test_org_filter_takes_the_subtree_and_stays_in_scope(world, api):
    client = api(world.users["street_admin"])
    assert names(client.get(LIST, {"org": world.branch2.pk})) == {"王五"}
    assert names(client.get(LIST, {"org": world.other_branch.pk})) == set()
    assert names(client.get(LIST, {"category": "probationary"})) == {"王五"}


def test_pagination(world, api):
    body = api(world.users["street_admin"]).get(LIST, {"page_size": 2, "page": 2}).json()
    assert body["count"] == 5 and len(body["results"]) == 2 and body["previous"] and body["next"]


def test_grid_worker_sees_masked_numbers(world, api):
    row = api(world.users["grid_worker"]).get(detail(world.member)).json()
    assert row["phone"] == "139****5678" and row["sensitive_masked"] is True
    number = world.member.id_number
    assert row["id_number"] == number[:6] + "*" * 10 + number[-2:]
    assert "birth_date" not in row and row["birth_year"] == world.member.birth_date.year


def test_branch_secretary_sees_masked_numbers_too(world, api):
    row = api(world.users["branch_secretary"]).get(detail(world.member)).json()
    assert row["id_number"] != world.member.id_number and row["sensitive_masked"] is True


def test_reveal_is_audited(world, api):
    user = world.users["branch_secretary"]
    url = reverse("api:members-reveal", args=[world.member.pk])
    assert api(user).post(url).status_code == 400  # no reason, no reveal
    response = api(user).post(url, {"reason": "核对党费"}, format="json")
    assert response.json() == {
        "id_number": world.member.id_number,
        "phone": "13912345678",
        "birth_date": world.member.birth_date.isoformat(),
    }
    log = AuditLog.objects.get(action="member.reveal")
    assert log.actor == user and log.target_id == str(world.member.pk)
    assert log.data["reason"] == "核对党费"


def test_reveal_is_refused_without_the_permission(world, api):
    url = reverse("api:members-reveal", args=[world.member.pk])
    assert api(world.users["grid_worker"]).post(url).status_code == 403
    assert api(world.users["observer"]).post(url).status_code == 403
    assert api(world.users["outsider"]).post(url).status_code == 404
    assert not AuditLog.objects.filter(action="member.reveal").exists()


def new_member_payload(org, **extra):
    born = date(1985, 3, 9)
    return {
        "organization": org.pk,
        "name": "孙七",
        "id_number": make_id_number("370102", born, 123),
        "phone": "13800001111",
        "joined_on": "2010-07-01",
        **extra,
    }


def test_create_through_the_service(world, api):
    response = api(world.users["branch_secretary"]).post(
        LIST, new_member_payload(world.branch), format="json"
    )
    assert response.status_code == 201, response.content
    member = Member.objects.get(name="孙七")
    assert member.organization == world.branch and member.birth_date == date(1985, 3, 9)
    assert member.memberships.filter(ended_on__isnull=True).exists()
    world.branch.refresh_from_db()
    assert world.branch.member_count == 5
    assert AuditLog.objects.filter(action="member.create").exists()


def test_create_reports_every_bad_field_in_chinese(world, api):
    valid = make_id_number("370102", date(1985, 3, 9), 123)
    wrong_checksum = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    payload = new_member_payload(world.branch, id_number=wrong_checksum, phone="123")
    response = api(world.users["street_admin"]).post(LIST, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "id_number" in body and body["phone"] == ["手机号应为以1开头的11位数字"]
    assert not Member.objects.filter(name="孙七").exists()


def test_create_outside_the_change_scope_is_refused(world, api):
    payload = new_member_payload(world.branch2)
    response = api(world.users["branch_secretary"]).post(LIST, payload, format="json")
    assert response.status_code == 400 and "organization" in response.json()
    assert api(world.users["observer"]).post(LIST, payload, format="json").status_code == 403
    assert not Member.objects.filter(name="孙七").exists()


def test_update_through_the_service(world, api):
    response = api(world.users["branch_secretary"]).patch(
        detail(world.member), {"employer": "北关社区居委会", "version": 0}, format="json"
    )
    assert response.status_code == 200, response.content
    world.member.refresh_from_db()
    assert world.member.employer == "北关社区居委会" and world.member.version == 1


def test_stale_update_is_refused(world, api):
    client = api(world.users["branch_secretary"])
    client.patch(detail(world.member), {"employer": "甲", "version": 0}, format="json")
    response = client.patch(detail(world.member), {"employer": "乙", "version": 0}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "stale"
    world.member.refresh_from_db()
    assert world.member.employer == "甲"


def test_update_outside_the_change_scope_is_404(world, api):
    url = detail(world.other_member)
    assert api(world.users["street_admin"]).patch(url, {"employer": "x"}).status_code == 404
    assert (
        api(world.users["member"]).patch(detail(world.member), {"employer": "x"}).status_code == 403
    )


@pytest.mark.parametrize("extra", [5, 50])
def test_list_runs_a_constant_number_of_queries(world, api, django_assert_max_num_queries, extra):
    tag_ids = list(world.member.tags.model.objects.values_list("pk", flat=True)[:2])
    for i in range(extra):
        make_member(world.branch2, f"新党员{i}").tags.set(tag_ids)
    client = api(world.users["street_admin"])
    with django_assert_max_num_queries(5):
        response = client.get(LIST, {"page_size": 100, "q": ""})
    assert response.json()["count"] == 5 + extra


def test_nul_in_search_is_a_400_not_a_database_error(world, api):
    assert api(world.users["street_admin"]).get(LIST, {"q": "a\x00b"}).status_code == 400
