"""The command centre's wall display at 1920×1080: the 大屏 login opens /screen/ for 郭店, every
panel draws (charts, the grid map), and a panel refreshes itself without reloading the page."""

import pytest

from xianfeng.accounts.roles import Role
from xianfeng.orgs.models import OrgKind
from xianfeng.screen.testing import build_screen_street
from xianfeng.testing import PASSWORD, make_org, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def guodian(transactional_db):
    district = make_org("历城区委", kind=OrgKind.COMMITTEE)
    street = make_org("郭店街道党工委", parent=district, kind=OrgKind.COMMITTEE)
    admin = make_user("screen_admin", superuser=True)
    build_screen_street(street, admin)
    make_user("daping", role=Role.SCREEN, org=street)
    return street


def test_the_wall_display(live_server, guodian, page_factory, screenshot):
    page = page_factory(width=1920, height=1080)
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto(f"{live_server.url}/accounts/login/?next=/screen/%3Frefresh%3D3")
    page.fill("input[name=username]", "daping")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/screen/**")
    assert "郭店街道党工委" in page.locator("h1").inner_text()
    for title in (
        "党员与组织",
        "评星定级",
        "居民诉求",
        "网格地图",
        "最新诉求",
        "本月积分TOP10",
        "挂图作战",
    ):
        assert page.get_by_role("heading", name=title).is_visible(), title
    page.locator("#panel-members svg").first.wait_for()  # ECharts drew the trend
    assert page.locator("svg.gridmap path").count() == 12
    assert page.locator("svg.gridmap path.tone-overdue").count() >= 1
    # Names are masked on the wall: no full name of a resident or a member.
    feed = page.locator("#panel-feed").inner_text()
    assert "*" in feed
    # No horizontal or vertical scrolling: the screen fits the display.
    size = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size[0] <= 1920 and size[1] <= 1080
    # A refresh: the requests panel replaces itself (a new time stamp), the page stays.
    before = page.locator("#panel-requests").get_attribute("data-updated")
    page.wait_for_function(
        "old => document.querySelector('#panel-requests').dataset.updated !== old",
        arg=before,
        timeout=15000,
    )
    page.locator("#panel-members svg").first.wait_for()
    page.wait_for_timeout(800)  # let the charts finish their animation
    screenshot(page, "screen-1920x1080")
    assert not violations, violations
