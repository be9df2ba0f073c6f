"""No <select> with more than 200 options anywhere (issue 15 §2): every page of the permission
matrix — forms included — is rendered as the street admin (and as the superuser where the street
admin is outside) in a world of several hundred members and organizations; members and
organizations are chosen through the autocomplete, which keeps only the current choice.
Pickers of one organization's people search only its subtree (`data-ac-within`)."""

import re

import pytest
from django.test import Client

from tests.test_permission_matrix import GET, expected, objects, resolve  # noqa: F401
from xianfeng.orgs.models import OrgKind
from xianfeng.testing import make_member, make_org

LIMIT = 200
SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.S)
PAGES = sorted(name for name in GET if not name.startswith(("api", "open311")))


@pytest.fixture
def crowded(world, objects):  # noqa: F811
    for n in range(LIMIT + 5):
        make_member(world.branch, f"众{n:03d}")
        make_org(f"第{n:03d}党小组", parent=world.branch2, kind=OrgKind.GROUP, code=f"C{n:03d}")
    return objects


def test_no_select_over_200_options(world, crowded):
    too_big, seen = [], 0
    clients = {}
    for name in PAGES:
        spec, statuses = GET[name]
        want = expected(statuses)
        role = "street_admin" if want["street_admin"] == 200 else "admin"
        if want[role] != 200:
            continue
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(world.users[role])
        response = clients[role].get(resolve(name, spec, crowded))
        if "text/html" not in response.get("Content-Type", ""):
            continue
        seen += 1
        for attrs, body in SELECT.findall(response.content.decode()):
            options = body.count("<option")
            if options > LIMIT:
                too_big.append((name, attrs.strip()[:60], options))
    assert seen > 150  # the walk did render the product's pages
    assert not too_big, f"<select> with more than {LIMIT} options: {too_big}"


def test_pickers_of_one_organization_search_its_subtree(world, crowded):
    client = Client()
    client.force_login(world.users["street_admin"])
    html = client.get(f"/meetings/new/?org={world.branch.pk}").content.decode()
    assert f'data-ac-within="{world.branch.pk}"' in html
    html = client.get(resolve("orgs:seat_add", GET["orgs:seat_add"][0], crowded)).content.decode()
    assert f'data-ac-within="{world.branch.pk}"' in html
    # the suggestions honour it: a member of the branch, none of the other branch
    found = client.get(
        "/search/suggest/", {"kind": "member", "q": "众00", "within": world.branch2.pk}
    ).json()
    assert found["results"] == []
    found = client.get(
        "/search/suggest/", {"kind": "member", "q": "众00", "within": world.branch.pk}
    ).json()
    assert len(found["results"]) == 10
