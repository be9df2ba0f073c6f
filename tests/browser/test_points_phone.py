"""A member opens their points on a 375px phone: totals, rank and history, no sideways scroll."""

import pytest

from xianfeng.points.services import award_points
from xianfeng.points.tests.factories import rule
from xianfeng.testing import PASSWORD, build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    world = build_world()
    award_points(world.member, rule("good.deed"), token="phone", actor=None)
    return world


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_my_points_on_a_phone(live_server, live_world, page_factory, screenshot):
    page = page_factory(width=375, height=740)
    log_in(page, live_server.url, "member")
    page.goto(f"{live_server.url}/points/me/")
    assert page.locator("ul.history").get_by_text("好人好事（党员申报）").is_visible()
    assert page.get_by_text("第 1 名").first.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"page is {width}px wide on a 375px phone"
    screenshot(page, "points-me-phone")
