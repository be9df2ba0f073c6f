"""Header search, picker suggestions, and no <select> anywhere with more than 200 options."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_permission_matrix import GET, objects, resolve  # noqa: F401
from xianfeng.resident_requests.testing import make_category, make_request
from xianfeng.testing import make_member, make_org

SELECT = re.compile(r"<select\b[^>]*>(.*?)</select>", re.S)


def suggest(client, **params):
    return client.get(reverse("core:suggest"), params)


def test_member_suggestions_use_pinyin_and_mask(world, login):
    client = login(world.users["branch_secretary"])
    body = suggest(client, kind="member", q="zs").json()
    assert [hit["label"] for hit in body["results"]] == ["张三"]
    assert "139****5678" in body["results"][0]["detail"]
    assert "13912345678" not in str(body)


def test_suggestions_stay_in_scope(world, login):
    client = login(world.users["branch_secretary"])
    assert suggest(client, kind="member", q="赵六").json()["results"] == []
    assert suggest(client, kind="org", q="十里堡").json()["results"] == []
    outsider = Client()
    outsider.force_login(world.users["outsider"])
    assert [h["label"] for h in suggest(outsider, kind="member", q="zl").json()["results"]] == [
        "赵六"
    ]


def test_suggestions_within_a_subtree(world, login):
    client = login(world.users["street_admin"])
    within_b2 = suggest(client, kind="member", q="w", within=world.branch2.pk).json()
    assert [h["label"] for h in within_b2["results"]] == ["王五"]
    outside = suggest(client, kind="member", q="w", within=world.other_branch.pk).json()
    assert outside["results"] == []


def test_bad_suggest_requests_answer_400(world, login):
    client = login(world.users["street_admin"])
    assert suggest(client, kind="nope", q="a").status_code == 400
    assert suggest(client, kind="member", q="a", within="x").status_code == 400
    assert suggest(client, kind="member", q="").json() == {"results": []}
    assert suggest(client, kind="member", q="\x00" * 80).status_code == 200


def test_header_search_finds_every_kind_in_scope(world, login):
    req = make_request(organization=world.branch, category=make_category(code="lamp"))
    client = login(world.users["street_admin"])
    html = client.get(reverse("core:search"), {"q": "北关"}).content.decode()
    assert "北关社区党支部" in html
    html = client.get(reverse("core:search"), {"q": "zs"}).content.decode()
    assert "张三" in html and "13912345678" not in html
    html = client.get(reverse("core:search"), {"q": req.tracking_code.lower()}).content.decode()
    assert reverse("requests:detail", args=[req.pk]) in html
    outsider = login(world.users["outsider"])
    html = outsider.get(reverse("core:search"), {"q": req.tracking_code}).content.decode()
    assert reverse("requests:detail", args=[req.pk]) not in html
    assert "没有找到" in html


@pytest.fixture
def crowded(world, objects):  # noqa: F811
    for i in range(220):
        make_member(world.branch, f"测试{i}")
    for i in range(210):
        make_org(f"测试支部{i}", parent=world.street, code=f"CROWD{i:03d}")
    return objects


def test_no_select_offers_more_than_200_options(world, crowded):
    client = Client()
    client.force_login(world.users["admin"])
    too_long = []
    for name, (spec, _statuses) in GET.items():
        if name.startswith("api:"):
            continue
        response = client.get(resolve(name, spec, crowded))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for options in SELECT.findall(response.content.decode()):
            if options.count("<option") > 200:
                too_long.append(name)
    assert not too_long, f"pages with a <select> of more than 200 options: {too_long}"
