from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xianfeng.members.models import Member
from xianfeng.orgs import services
from xianfeng.orgs.models import (
    Committee,
    CommitteeSeat,
    CommitteeStatus,
    Organization,
    OrgKind,
    OrgStatus,
)
from xianfeng.testing import make_member, make_org


def today():
    return timezone.localdate()


def url(name, *args):
    return reverse(f"orgs:{name}", args=args)


def fresh(org):
    return Organization.objects.get(pk=org.pk)


@pytest.mark.parametrize(
    ("role", "root"),
    [
        ("admin", "district"),
        ("street_admin", "street"),
        ("branch_secretary", "branch"),
        ("grid_worker", "branch"),
        ("outsider", "other_branch"),
    ],
)
def test_tree_roots_are_the_granted_tops(world, login, role, root):
    response = login(world.users[role]).get(url("tree"))
    assert response.status_code == 200
    assert [o.pk for o in response.context["roots"]] == [getattr(world, root).pk]


def test_tree_needs_login_and_a_grant(world, client, login):
    assert client.get(url("tree")).status_code == 302
    assert login(world.users["member"]).get(url("tree")).status_code == 403


def test_children_fragment_loads_one_level(world, login):
    response = login(world.users["street_admin"]).get(
        url("children", world.street.pk), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "北关社区党支部" in body and "北坦社区党支部" in body
    assert "第一党小组" not in body
    assert f'hx-get="{url("children", world.branch.pk)}"' in body


def test_children_of_another_street_is_404(world, login):
    client = login(world.users["outsider"])
    assert client.get(url("children", world.street.pk)).status_code == 404
    assert client.get(url("detail", world.branch.pk)).status_code == 404
    assert client.get(url("detail", 999999)).status_code == 404


def test_grid_worker_sees_branch_not_street(world, login):
    client = login(world.users["grid_worker"])
    assert client.get(url("detail", world.branch.pk)).status_code == 200
    assert client.get(url("detail", world.street.pk)).status_code == 404


def test_search_in_scope_with_traditional_input(world, login):
    response = login(world.users["street_admin"]).get(url("tree"), {"q": "北關"})
    names = [o.name for o in response.context["results"].object_list]
    assert names == ["北关社区党支部"]
    response = login(world.users["outsider"]).get(url("tree"), {"q": "北关"})
    assert list(response.context["results"].object_list) == []


def test_detail_page(world, login):
    committee = services.start_committee(world.street, elected_on=today(), actor=None)
    services.assign_seat(committee, world.member, "secretary", started_on=today(), actor=None)
    response = login(world.users["street_admin"]).get(url("detail", world.street.pk))
    body = response.content.decode()
    assert response.context["stats"]["members"] == 5
    assert "echarts-5.6.0.min.js" in body and 'id="org-chart-data"' in body
    assert "不足100名，设立基层党委须经上级党组织批准" in body
    assert "正式党员不足3名" in body  # branch2 badge in the children list
    assert "张三" in body and "书记" in body
    assert f"/members/?org={world.street.pk}" in body
    assert url("move", world.street.pk) in body


def test_read_only_roles_see_no_edit_links(world, login):
    body = login(world.users["observer"]).get(url("detail", world.street.pk)).content.decode()
    assert url("edit", world.street.pk) not in body and url("move", world.street.pk) not in body


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _grow(world):
    for i in range(6):
        branch = make_org(f"新增支部{i}", parent=world.street)
        make_member(branch)
        make_org(f"新增小组{i}", parent=branch, kind=OrgKind.GROUP)
        services.start_committee(branch, elected_on=today(), actor=None)
    gb = make_org("总支", parent=world.street, kind=OrgKind.GENERAL_BRANCH)
    make_org("总支下支部", parent=gb)


@pytest.mark.parametrize("page", ["tree", "children", "detail", "warnings", "terms"])
def test_page_query_count_is_constant(world, login, django_assert_max_num_queries, page):
    client = login(world.users["street_admin"])
    path = url(page, world.street.pk) if page in ("children", "detail") else url(page)
    before = _count(client, path)
    _grow(world)
    with django_assert_max_num_queries(before):
        client.get(path)
    assert before <= 16


def test_create_child(world, login):
    client = login(world.users["committee_secretary"])
    data = {"code": "B9", "name": "新建党支部", "kind": OrgKind.BRANCH, "domain": "community"}
    response = client.post(url("create", world.street.pk), data)
    org = Organization.objects.get(code="B9")
    assert response.status_code == 302 and response.url == url("detail", org.pk)
    assert Organization.objects.get_parent(org) == world.street


def test_create_child_nesting_error_is_shown(world, login):
    client = login(world.users["branch_secretary"])
    data = {"code": "B9", "name": "错误", "kind": OrgKind.BRANCH}
    response = client.post(url("create", world.branch.pk), data)
    assert response.status_code == 200
    assert "党支部只能设在党委或党总支之下" in response.content.decode()
    assert not Organization.objects.filter(code="B9").exists()


def test_change_forms_need_change_permission_in_scope(world, login):
    assert login(world.users["observer"]).get(url("edit", world.branch.pk)).status_code == 403
    client = login(world.users["branch_secretary"])
    assert client.get(url("edit", world.street.pk)).status_code == 404
    assert client.get(url("edit", world.branch.pk)).status_code == 200


def test_edit(world, login):
    client = login(world.users["branch_secretary"])
    data = {
        "code": "B1",
        "name": "北关社区第一党支部",
        "kind": OrgKind.BRANCH,
        "domain": "community",
    }
    assert client.post(url("edit", world.branch.pk), data).status_code == 302
    assert fresh(world.branch).name == "北关社区第一党支部"


def test_committee_and_seats_through_pages(world, login):
    client = login(world.users["branch_secretary"])
    response = client.post(
        url("committee_start", world.branch.pk), {"elected_on": today(), "term_years": 3}
    )
    assert response.status_code == 302
    committee = Committee.objects.get(organization=world.branch, status=CommitteeStatus.CURRENT)
    assert committee.term_years == 3
    data = {"member": world.member.pk, "post": "secretary", "started_on": today()}
    assert client.post(url("seat_add", committee.pk), data).status_code == 302
    seat = CommitteeSeat.objects.get(committee=committee)
    response = client.post(url("seat_add", committee.pk), {**data, "post": "propaganda"})
    assert "已在本届委员会任职" in response.content.decode()
    assert client.post(url("seat_end", seat.pk), {"ended_on": today()}).status_code == 302
    seat.refresh_from_db()
    assert seat.ended_on == today()


def test_outsider_cannot_touch_committees(world, login):
    committee = services.start_committee(world.branch, elected_on=today(), actor=None)
    client = login(world.users["outsider"])
    assert client.get(url("seat_add", committee.pk)).status_code == 404
    assert (
        client.post(
            url("committee_start", world.branch.pk), {"elected_on": today(), "term_years": 5}
        ).status_code
        == 404
    )


def test_move_through_page(world, login):
    gb = make_org("北坦总支", parent=world.street, kind=OrgKind.GENERAL_BRANCH, code="GB1")
    client = login(world.users["org_officer"])
    response = client.post(url("move", world.branch2.pk), {"new_parent": "GB1", "on": today()})
    assert response.status_code == 302
    assert Organization.objects.get_parent(fresh(world.branch2)) == gb


def test_move_errors_are_clear(world, login):
    client = login(world.users["org_officer"])
    response = client.post(url("move", world.street.pk), {"new_parent": "B1", "on": today()})
    assert "不能把组织移动到它自己或它的下级组织之下" in response.content.decode()
    response = client.post(url("move", world.branch.pk), {"new_parent": "S2", "on": today()})
    assert "找不到组织代码“S2”" in response.content.decode()
    assert Organization.objects.get_parent(fresh(world.branch)) == world.street


def test_restructure_needs_its_permission(world, login):
    assert (
        login(world.users["committee_secretary"]).get(url("move", world.branch.pk)).status_code
        == 403
    )


def test_merge_through_page(world, login):
    client = login(world.users["street_admin"])
    response = client.post(
        url("merge", world.branch.pk), {"target": "B2", "on": today(), "confirm": "on"}
    )
    assert response.status_code == 302 and response.url == url("detail", world.branch2.pk)
    assert fresh(world.branch).status == OrgStatus.DISSOLVED
    assert Member.objects.get(pk=world.member.pk).organization_id == world.branch2.pk


def test_split_through_page(world, login):
    client = login(world.users["street_admin"])
    li = Member.objects.filter(name__startswith="李").first()
    data = {"new_name": "分出支部", "new_code": "B1B", "members": [li.pk], "on": today()}
    assert client.post(url("split", world.branch.pk), data).status_code == 302
    assert Member.objects.get(pk=li.pk).organization.code == "B1B"


def test_dissolve_through_page(world, login):
    client = login(world.users["street_admin"])
    response = client.post(url("dissolve", world.branch2.pk), {"on": today(), "confirm": "on"})
    assert "还有在册党员" in response.content.decode()
    empty = make_org("空支部", parent=world.street)
    assert (
        client.post(url("dissolve", empty.pk), {"on": today(), "confirm": "on"}).status_code == 302
    )
    assert fresh(empty).status == OrgStatus.DISSOLVED


def test_terms_page_in_scope(world, login):
    Committee.objects.create(
        organization=world.branch, elected_on=date(2020, 1, 1), ends_on=today() - timedelta(days=3)
    )
    Committee.objects.create(
        organization=world.branch2,
        elected_on=date(2022, 1, 1),
        ends_on=today() + timedelta(days=30),
    )
    Committee.objects.create(
        organization=world.other_branch,
        elected_on=date(2020, 1, 1),
        ends_on=today() - timedelta(days=3),
    )
    response = login(world.users["street_admin"]).get(url("terms"))
    body = response.content.decode()
    assert "北关社区党支部" in body and "北坦社区党支部" in body and "十里堡村党支部" not in body
    assert "已超期" in body


def test_warnings_page_in_scope(world, login):
    response = login(world.users["street_admin"]).get(url("warnings"))
    names = {o.name for o in response.context["page"].object_list}
    assert names == {"北坦街道党工委", "北坦社区党支部"}
    response = login(world.users["outsider"]).get(url("warnings"))
    assert {o.name for o in response.context["page"].object_list} == {"十里堡村党支部"}


def test_size_exception_recorded_and_shown_on_the_org_page(world, login):
    gb = make_org("小总支", parent=world.street, kind=OrgKind.GENERAL_BRANCH)
    client = login(world.users["street_admin"])
    assert "不足50名" in client.get(url("detail", gb.pk)).content.decode()
    response = client.post(
        url("size_exception", gb.pk),
        {"approved_on": "2024-03-01", "approval": "区委组织部〔2024〕5号"},
    )
    assert response.status_code == 302
    body = client.get(url("detail", gb.pk)).content.decode()
    assert "不足50名" not in body
    assert "区委组织部〔2024〕5号" in body


def test_size_exception_refused_for_a_branch_as_a_form_error(world, login):
    client = login(world.users["street_admin"])
    response = client.post(
        url("size_exception", world.branch.pk), {"approved_on": "2024-03-01", "approval": "批复"}
    )
    assert response.status_code == 200
    assert "只有党总支、党委" in response.content.decode()
