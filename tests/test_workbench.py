"""工作台 and GET /api/v1/me/todo/ for every role of the matrix world, with its objects.

The crawl: for each role, every page linked from the workbench and the menu, and every page
linked from those, is opened; none of the visible links may answer 403.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.test_permission_matrix import ROLES, objects  # noqa: F401  (the matrix's fixture)
from xianfeng.archives.tests.factories import upload_scan
from xianfeng.core.workbench import PROVIDERS, Urgency, todo_for
from xianfeng.resident_requests.testing import make_category, make_request

LOGGED_IN = [r for r in ROLES if r != "anonymous"]
HREF = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"')


def client_for(world, role):
    client = Client()
    client.force_login(world.users[role])
    return client


def kinds(world, role):
    return {item.kind for item in todo_for(world.users[role])}


def test_every_app_registers_its_provider():
    assert {
        "requests",
        "transfers",
        "meetings",
        "points",
        "archives",
        "orgs",
        "tasks",
        "development",
        "enterprise",
        "learning",
        "dues",
        "instructors",
        "grid",
    } <= PROVIDERS.keys()


@pytest.mark.parametrize("role", LOGGED_IN)
def test_home_is_the_workbench(world, objects, role):  # noqa: F811
    response = client_for(world, role).get("/")
    assert response.status_code == 200
    assert "工作台" in response.content.decode()


def test_anonymous_home_asks_for_login(world):
    response = Client().get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_items_fit_the_role(world, objects):  # noqa: F811
    admin = kinds(world, "street_admin")
    assert {"points.claims", "archives.review", "meetings.month"} <= admin
    assert "requests.new" in kinds(world, "branch_secretary")  # held by the branch
    assert "requests.new" not in kinds(world, "street_admin")  # not at the street's level
    member = kinds(world, "member")
    assert {"points.mine", "meetings.mine"} <= member
    assert not member & {"points.claims", "archives.review", "requests.new"}
    assert not kinds(world, "outsider") & {"points.claims", "archives.review", "requests.new"}
    assert not kinds(world, "observer") & {"points.claims", "archives.review", "meetings.month"}


def test_urgent_items_come_first(world, objects):  # noqa: F811
    late = make_request(organization=world.branch, category=make_category(code="lamp"))
    type(late).objects.filter(pk=late.pk).update(next_due=timezone.now() - timedelta(hours=1))
    items = todo_for(world.users["branch_secretary"])
    overdue = [i.kind for i in items if i.urgency == Urgency.OVERDUE]
    assert "requests.overdue" in overdue
    assert items[: len(overdue)] == [i for i in items if i.urgency == Urgency.OVERDUE]
    assert [i.urgency for i in items] == sorted(i.urgency for i in items)


def test_api_me_todo_answers_every_role(world, objects):  # noqa: F811
    assert Client().get("/api/v1/me/todo/").status_code == 401
    for role in LOGGED_IN:
        token = Token.objects.create(user=world.users[role])
        response = Client().get("/api/v1/me/todo/", HTTP_AUTHORIZATION=f"Token {token.key}")
        assert response.status_code == 200, role
        body = response.json()
        assert [i["kind"] for i in body] == [i.kind for i in todo_for(world.users[role])]
        for item in body:
            assert set(item) == {"kind", "title", "count", "figure", "urgency", "due", "link"}


def test_api_item_for_the_branch_secretary(world, objects):  # noqa: F811
    client = client_for(world, "branch_secretary")
    body = client.get("/api/v1/me/todo/").json()
    new = next(i for i in body if i["kind"] == "requests.new")
    assert new["count"] == 1
    assert new["link"] == "/requests/?at=me&status=new"
    assert new["urgency"] == "todo"


def test_query_count_does_not_grow_with_the_data(world, objects):  # noqa: F811
    def queries(role):
        user = type(world.users[role]).objects.get(pk=world.users[role].pk)
        with CaptureQueriesContext(connection) as ctx:
            todo_for(user)
        return len(ctx.captured_queries)

    before = {role: queries(role) for role in LOGGED_IN}
    category = make_category(code="lamp")
    for _ in range(5):
        make_request(organization=world.branch, category=category)
        make_request(organization=world.branch2, category=category)
    for n in range(1, 4):
        upload_scan(world.member, actor=world.users["admin"], n=n)
    after = {role: queries(role) for role in LOGGED_IN}
    assert after == before
    assert (
        max(after.values()) <= 34
    )  # a few counts per app with items; campaigns and venues added theirs


def _links(html):
    return {href for href in HREF.findall(html) if not href.startswith(("/static/", "/media/"))}


def _url_name(path):
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return path
    return match.view_name


@pytest.mark.parametrize("role", LOGGED_IN)
def test_no_visible_link_answers_403(world, objects, role):  # noqa: F811
    client = client_for(world, role)
    seen_names, forbidden = set(), []
    frontier = [("/", "/")]
    for depth in range(3):
        found = []
        for path, came_from in frontier:
            name = _url_name(path)
            if name in seen_names or "logout" in path:
                continue
            seen_names.add(name)
            response = client.get(path)
            if response.status_code == 403:
                forbidden.append((path, came_from))
                continue
            if (
                depth < 2
                and response.status_code == 200
                and "html" in response.get("Content-Type", "")
            ):
                found += [(link, path) for link in _links(response.content.decode())]
        frontier = found
    assert not forbidden, f"{role} sees links answering 403: {forbidden}"
