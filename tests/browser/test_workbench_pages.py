"""Each role logs in, lands on the workbench, sees its items, opens each, and no visible link on
the way answers 403. Screenshots at 1280px and at 375px (var/screenshots/workbench-*)."""

import pytest

from tests.test_permission_matrix import objects  # noqa: F401  (the matrix's fixture)
from xianfeng.grid.models import CareTag, Household, HouseholdTag
from xianfeng.testing import browser_log_in, build_world

pytestmark = pytest.mark.browser

# role: item kinds that must be on its workbench (from the matrix objects)
# The world's member is also the 中心户 of the matrix's building; the grid worker serves the
# community above it. Their grid's visits come first on their workbench.
EXPECTED = {
    "street_admin": {"points.claims", "archives.review", "meetings.month"},
    "branch_secretary": {"requests.new", "points.claims", "meetings.month"},
    "grid_worker": {"requests.new", "grid.visits"},
    "member": {"points.mine", "meetings.mine", "grid.visits"},
    "observer": set(),
}
FIRST = {"grid_worker": "grid.visits", "member": "grid.visits"}


@pytest.fixture
def world(transactional_db):
    return build_world()


def _visible_links(page):
    return page.eval_on_selector_all(
        "a[href^='/']",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.getAttribute('href'))",
    )


def _assert_no_403(page, base, where):
    for href in set(_visible_links(page)):
        status = page.request.get(f"{base}{href}", max_redirects=0).status
        assert status != 403, f"visible link {href} on {where} answers 403"


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_role_starts_on_its_workbench(
    live_server,
    world,
    objects,  # noqa: F811
    page_factory,
    screenshot,
    role,
):
    household = Household.objects.get(pk=objects["household"])
    HouseholdTag.objects.create(household=household, tag=CareTag.ELDERLY)  # due for a visit
    base = live_server.url
    page = page_factory()
    browser_log_in(page, base, role)
    assert page.url == f"{base}/"
    assert page.locator("h1").inner_text() == "工作台"
    kinds = set(page.eval_on_selector_all("ul.todo li", "els => els.map(e => e.dataset.kind)"))
    assert EXPECTED[role] <= kinds, kinds
    if role in FIRST:
        assert page.locator("ul.todo li").first.get_attribute("data-kind") == FIRST[role]
    screenshot(page, f"workbench-{role}-1280")
    _assert_no_403(page, base, "/")
    links = page.eval_on_selector_all("ul.todo a", "els => els.map(e => e.getAttribute('href'))")
    for link in links:
        page.goto(f"{base}{link}")
        assert page.locator("h1").count(), f"{link} has no heading"
        _assert_no_403(page, base, link)

    phone = page_factory(width=375, height=740)
    browser_log_in(phone, base, role)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 376
    bar = phone.locator("nav.bottombar")
    assert bar.is_visible()
    assert bar.get_by_text("工作台").is_visible()
    screenshot(phone, f"workbench-{role}-375")
