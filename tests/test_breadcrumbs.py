"""Every detail page (a URL with a `pk`, answering a full HTML page) shows a breadcrumb trail:
walked over every URL pattern of the permission matrix with its objects, as the street admin
(and as the superuser where the street admin is outside), and as a member on his own pages."""

import re

import pytest
from django.test import Client

from tests.test_permission_matrix import GET, expected, objects, resolve  # noqa: F401
from xianfeng.core.breadcrumbs import Crumb, trail

TRAIL = re.compile(r'<(nav|p) class="breadcrumbs?[ "]')
# Forms (add/edit/end) are steps of a detail page, with a way back to it rather than a trail.
FORM = re.compile(r"(^|[:_])(add|edit|end|new|create)$")
DETAIL = sorted(
    name
    for name, (spec, _statuses) in GET.items()
    if "pk=" in spec and not name.startswith("api") and not FORM.search(name)
)


def _page(client, url):
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    html = response.content.decode()
    # htmx fragments are parts of a page; print layouts (plaques, wall boards) have no chrome
    return html if '<main class="page">' in html else None


@pytest.mark.parametrize("name", DETAIL)
def test_detail_page_has_a_breadcrumb(world, objects, name):  # noqa: F811
    spec, statuses = GET[name]
    want = expected(statuses)
    role = "street_admin" if want["street_admin"] == 200 else "admin"
    client = Client()
    client.force_login(world.users[role])
    html = _page(client, resolve(name, spec, objects))
    if html is None:
        pytest.skip(f"{name}: not a page of the product (download, fragment, print, redirect)")
    assert TRAIL.search(html), f"{name}: no breadcrumb as {role}"


def test_trail_links_only_what_the_user_may_open(world, objects):  # noqa: F811
    branch_secretary = world.users["branch_secretary"]
    crumbs = trail(branch_secretary, world.member)
    names = [c.label for c in crumbs]
    assert names == ["天桥区委", "北坦街道党工委", "北关社区党支部", "张三"]
    # above the branch: names only; the branch and the member: links
    assert [bool(c.url) for c in crumbs] == [False, False, True, True]
    assert crumbs[2] == Crumb("北关社区党支部", f"/orgs/{world.branch.pk}/")


def test_member_sees_a_trail_on_his_own_dues(world, objects):  # noqa: F811
    client = Client()
    client.force_login(world.users["member"])
    html = _page(client, f"/dues/member/{world.member.pk}/")
    assert TRAIL.search(html)
    assert f'href="/orgs/{world.street.pk}/"' not in html
