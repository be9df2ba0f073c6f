"""Organizations API through the client: scope, filters, stats, children, writes."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from xianfeng.core.models import AuditLog
from xianfeng.orgs.models import Organization, OrgKind
from xianfeng.testing import make_org

LIST = reverse("api:orgs-list")


def names(response):
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_list_is_scoped_to_the_grant(world, api):
    response = api(world.users["street_admin"]).get(LIST)
    assert names(response) == {"北坦街道党工委", "北关社区党支部", "第一党小组", "北坦社区党支部"}
    assert response.json()["count"] == 4


def test_branch_secretary_sees_only_their_branch_subtree(world, api):
    assert names(api(world.users["branch_secretary"]).get(LIST)) == {"北关社区党支部", "第一党小组"}


def test_superuser_sees_everything(world, api):
    assert len(names(api(world.users["admin"]).get(LIST))) == Organization.objects.count()


def test_anonymous_is_refused(world):
    assert APIClient().get(LIST).status_code == 401


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("北关", {"北关社区党支部"}),
        ("北關", {"北关社区党支部"}),  # 繁體 input
        ("b1", {"北关社区党支部"}),  # code prefix
        ("社区", {"北关社区党支部", "北坦社区党支部"}),
        ("十里堡", set()),  # exists, but in another street
    ],
)
def test_search(world, api, query, expected):
    assert names(api(world.users["street_admin"]).get(LIST, {"search": query})) == expected


def test_kind_and_status_filters(world, api):
    client = api(world.users["street_admin"])
    assert names(client.get(LIST, {"kind": OrgKind.GROUP})) == {"第一党小组"}
    assert names(client.get(LIST, {"kind": OrgKind.BRANCH, "status": "active"})) == {
        "北关社区党支部",
        "北坦社区党支部",
    }
    assert client.get(LIST, {"kind": "nonsense"}).status_code == 400


def test_parent_and_under_filters(world, api):
    client = api(world.users["street_admin"])
    assert names(client.get(LIST, {"parent": world.street.pk})) == {
        "北关社区党支部",
        "北坦社区党支部",
    }
    assert names(client.get(LIST, {"under": world.branch.pk})) == {"北关社区党支部", "第一党小组"}
    assert names(client.get(LIST, {"under": world.other_street.pk})) == set()
    assert names(client.get(LIST, {"parent": world.district.pk})) == set()
    assert client.get(LIST, {"under": 2**70}).status_code == 400


def test_retrieve_has_parent_id_and_is_404_outside_scope(world, api):
    client = api(world.users["street_admin"])
    body = client.get(reverse("api:orgs-detail", args=[world.branch.pk])).json()
    assert body["parent"] == world.street.pk and body["member_count"] == 4
    assert client.get(reverse("api:orgs-detail", args=[world.street.pk])).json()["parent"] == (
        world.district.pk
    )
    assert client.get(reverse("api:orgs-detail", args=[world.other_branch.pk])).status_code == 404
    assert client.get(reverse("api:orgs-detail", args=[10**9])).status_code == 404


def test_stats_counts_the_subtree(world, api):
    response = api(world.users["street_admin"]).get(
        reverse("api:orgs-stats", args=[world.street.pk])
    )
    assert response.json() == {
        "members": 5,
        "full_members": 4,
        "probationary_members": 1,
        "committees": 1,
        "general_branches": 0,
        "branches": 2,
        "groups": 1,
        "organizations": 4,
    }


def test_stats_outside_scope_is_404(world, api):
    client = api(world.users["outsider"])
    assert client.get(reverse("api:orgs-stats", args=[world.street.pk])).status_code == 404
    assert client.get(reverse("api:orgs-stats", args=[world.district.pk])).status_code == 404


def test_children(world, api):
    client = api(world.users["street_admin"])
    response = client.get(reverse("api:orgs-children", args=[world.street.pk]))
    assert names(response) == {"北关社区党支部", "北坦社区党支部"}
    assert client.get(reverse("api:orgs-children", args=[world.district.pk])).status_code == 404


def test_create_under_a_granted_parent(world, api):
    payload = {"parent": world.street.pk, "code": "B9", "name": "新建社区党支部", "kind": "branch"}
    response = api(world.users["org_officer"]).post(LIST, payload, format="json")
    assert response.status_code == 201, response.content
    org = Organization.objects.get(code="B9")
    assert (
        response.json()["parent"] == world.street.pk
        and Organization.objects.get_parent(org) == world.street
    )
    assert AuditLog.objects.filter(action="org.create", target_id=str(org.pk)).exists()


def test_create_outside_scope_is_a_400_and_writes_nothing(world, api):
    payload = {"parent": world.other_street.pk, "code": "B9", "name": "越权", "kind": "branch"}
    response = api(world.users["street_admin"]).post(LIST, payload, format="json")
    assert response.status_code == 400 and "parent" in response.json()
    assert not Organization.objects.filter(code="B9").exists()


def test_create_refused_by_a_rule_is_a_chinese_400(world, api):
    payload = {"parent": world.group.pk, "code": "B9", "name": "小组下的支部", "kind": "branch"}
    response = api(world.users["street_admin"]).post(LIST, payload, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "党支部只能设在党委或党总支之下"


def test_duplicate_code_is_refused(world, api):
    payload = {"parent": world.street.pk, "code": "B3", "name": "重复代码", "kind": "branch"}
    response = api(world.users["street_admin"]).post(LIST, payload, format="json")
    assert response.status_code == 400 and response.json()["field"] == "code"


def test_read_only_roles_cannot_write(world, api):
    payload = {"parent": world.street.pk, "code": "B9", "name": "x", "kind": "branch"}
    assert api(world.users["observer"]).post(LIST, payload).status_code == 403
    url = reverse("api:orgs-detail", args=[world.branch.pk])
    assert api(world.users["grid_worker"]).patch(url, {"name": "x"}).status_code == 403


def test_update_through_the_service(world, api):
    url = reverse("api:orgs-detail", args=[world.branch.pk])
    response = api(world.users["branch_secretary"]).patch(url, {"name": "北关社区第一党支部"})
    assert response.status_code == 200 and response.json()["name"] == "北关社区第一党支部"
    world.branch.refresh_from_db()
    assert world.branch.name == "北关社区第一党支部"
    assert world.branch.changes.filter(kind="rename").exists()


def test_update_of_a_viewable_but_not_changeable_org_is_404(world, api):
    url = reverse("api:orgs-detail", args=[world.street.pk])
    assert api(world.users["branch_secretary"]).patch(url, {"name": "x"}).status_code == 404
    world.street.refresh_from_db()
    assert world.street.name == "北坦街道党工委"


@pytest.mark.parametrize("extra", [5, 50])
def test_list_runs_a_constant_number_of_queries(world, api, django_assert_max_num_queries, extra):
    for i in range(extra):
        make_org(f"楼栋党小组{i}", parent=world.branch2, kind=OrgKind.GROUP)
    client = api(world.users["street_admin"])
    with django_assert_max_num_queries(4):
        response = client.get(LIST, {"page_size": 100})
    assert response.json()["count"] == 4 + extra


def test_nul_in_search_is_a_400_not_a_database_error(world, api):
    assert api(world.users["street_admin"]).get(LIST, {"search": "a\x00b"}).status_code == 400
