"""The wall display's login (role 大屏 `screen`, only screen.view on 北坦街道) against every
GET URL of the permission matrix: it opens the screen of its subtree and the pages every login
has (its own password, tokens and notices, the workbench, public pages), nothing with data."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.test_permission_matrix import GET, objects, resolve  # noqa: F401  (the matrix's fixture)
from xianfeng.accounts.roles import Role
from xianfeng.testing import make_user

# GET URLs that answer 200 to the wall login; every other URL must not.
OPEN = {
    "screen:home",
    "screen:org",
    "screen:panel",
    # Every login's own pages and the public ones.
    "core:home",
    "core:healthz",
    "core:search",
    "core:file",
    "accounts:login",
    "accounts:password_change",
    "accounts:password_changed",
    "accounts:tokens",
    "notices:inbox",
    "notices:preferences",
    "api:me-todo",
    "api:my-notices-list",
    "api:own_tokens",
    # "Mine" pages and lists open to any login, which show a login without a member or an
    # organization nothing (no grant of ORG_VIEW or MEMBER_VIEW: empty lists).
    "enterprise:mine",
    "grid:mine",
    "learning:home",
    "meetings:mine",
    "meetings:signin",
    "service:activities",
    "service:projects",
    "campaigns:mine",  # a 包户 cadre's own households and assignments
    "api:campaign-cases-list",  # the same through the API: empty without a household given
    "venues:activities",  # the activities of the login's own branch and those above it
}


@pytest.fixture
def wall(world):
    return make_user("wall", role=Role.SCREEN, org=world.street)


def test_the_wall_login_opens_only_the_screen(world, objects, wall):  # noqa: F811
    client = Client()
    client.force_login(wall)
    opened = set()
    for name, (spec, statuses) in GET.items():
        if statuses.split()[0] == "200":  # public: open to anonymous visitors too
            continue
        cache.clear()
        url = resolve(name, spec, objects)
        if client.get(url).status_code == 200:
            opened.add(name)
    public = {name for name, (_spec, s) in GET.items() if s.split()[0] == "200"}
    assert sorted(opened) == sorted(OPEN - public)
