"""Property: whatever the tree and the grants, nothing outside the grant is ever returned.

Hypothesis builds a random organization tree (depth up to 4), random members and random
role grants for one user (sometimes linked to a member). The expected sets are computed
from the generated parent links, independently of the stored tree paths, and compared with
scope_orgs / scope_members, the API lists, the member search and the stats endpoint.
"""

from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from xianfeng.accounts.models import RoleGrant, User
from xianfeng.accounts.roles import ROLE_PERMS, Perm, Role
from xianfeng.accounts.scoping import scope_members, scope_orgs
from xianfeng.orgs.models import OrgKind
from xianfeng.testing import make_member, make_org

NAMES = ("张三", "张珊", "李四", "王五", "赵六")
MAX_DEPTH = 4


@st.composite
def worlds(draw):
    """parents[i] is the index of node i's parent (None for a root); depth stays <= 4."""
    size = draw(st.integers(1, 30))
    parents, depths = [], []
    for i in range(size):
        options = [None] + [j for j in range(i) if depths[j] < MAX_DEPTH]
        parent = draw(st.sampled_from(options)) if i else None
        parents.append(parent)
        depths.append(1 if parent is None else depths[parent] + 1)
    members = draw(
        st.lists(st.tuples(st.integers(0, size - 1), st.sampled_from(NAMES)), max_size=25)
    )
    grants = draw(
        st.lists(st.tuples(st.sampled_from(list(Role)), st.integers(0, size - 1)), max_size=4)
    )
    self_member = draw(st.none() | st.integers(0, max(len(members) - 1, 0)))
    return parents, members, grants, self_member if members else None


def ancestors(parents, i):
    while i is not None:
        yield i
        i = parents[i]


def allowed_nodes(parents, grants, perm):
    granted = {node for role, node in grants if perm in ROLE_PERMS[role]}
    return {i for i in range(len(parents)) if granted & set(ancestors(parents, i))}


def build(parents, members, grants, self_member):
    orgs = []
    for i, parent in enumerate(parents):
        kind = OrgKind.COMMITTEE if parent is None else OrgKind.BRANCH
        orgs.append(
            make_org(f"组织{i}", parent=None if parent is None else orgs[parent], kind=kind)
        )
    people = [
        make_member(orgs[node], name, born=date(1970, 1, 1 + k % 28), phone=f"138{k:08d}")
        for k, (node, name) in enumerate(members)
    ]
    user = User.objects.create_user(
        "probe", member=people[self_member] if self_member is not None else None
    )
    for role, node in set(grants):
        RoleGrant.objects.create(user=user, organization=orgs[node], role=role)
    return orgs, people, user


def api_ids(client, url, **params):
    response = client.get(url, {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(worlds())
def test_nothing_outside_the_grant(generated):
    parents, members, grants, self_member = generated
    with transaction.atomic():
        orgs, people, user = build(parents, members, grants, self_member)
        check(parents, members, grants, orgs, people, user)
        transaction.set_rollback(True)


def check(parents, members, grants, orgs, people, user):
    org_ids = {i: org.pk for i, org in enumerate(orgs)}
    visible_nodes = allowed_nodes(parents, grants, Perm.ORG_VIEW)
    expected_orgs = {org_ids[i] for i in visible_nodes}
    member_nodes = allowed_nodes(parents, grants, Perm.MEMBER_VIEW)
    own = {user.member_id} if user.member_id else set()
    expected_members = {
        p.pk for p, (node, _) in zip(people, members, strict=True) if node in member_nodes
    } | own

    for perm in Perm:
        nodes = allowed_nodes(parents, grants, perm)
        assert set(scope_orgs(user, perm).values_list("pk", flat=True)) == {
            org_ids[i] for i in nodes
        }
    assert set(scope_members(user).values_list("pk", flat=True)) == expected_members

    client = APIClient()
    client.force_authenticate(user)
    if expected_orgs:
        assert api_ids(client, "/api/v1/orgs/") == expected_orgs
    else:
        assert client.get("/api/v1/orgs/").status_code == 403
    if not (member_nodes or own):
        assert client.get("/api/v1/members/").status_code == 403
    else:
        assert api_ids(client, "/api/v1/members/") == expected_members
        for query in ("zs", "张", "李四", "5678"):
            found = api_ids(client, "/api/v1/members/", q=query)
            assert found <= expected_members
        matching = {p.pk for p in people if p.name_initials.startswith("zs")}
        assert api_ids(client, "/api/v1/members/", q="zs") == matching & expected_members

    check_sensitive(client, people, expected_members)
    for i, org in enumerate(orgs):
        status = client.get(f"/api/v1/orgs/{org.pk}/stats/").status_code
        assert status == (200 if i in visible_nodes else 403 if not visible_nodes else 404)


def check_sensitive(client, people, expected_members):
    """Issue 13 §1: lists show masked numbers to everyone, whatever the grant; full ones only
    through an explicit, audited reveal of one record."""
    if not expected_members:
        return
    number_of = {p.pk: p.id_number for p in people}
    response = client.get("/api/v1/members/", {"page_size": 500})
    for row in response.json()["results"]:
        full = number_of[row["id"]]
        assert row["id_number"] != full
        assert row["id_number"][:6] == full[:6] and row["id_number"][-2:] == full[-2:]
        assert "*" in row["id_number"]
