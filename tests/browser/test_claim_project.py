"""A member claims a community's need on a phone: list → project → 我来认领 → slot taken."""

import pytest

from xianfeng.service.models import Claim
from xianfeng.service.tests.factories import project
from xianfeng.testing import browser_log_in, build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    return build_world()


def test_member_claims_a_project_on_a_phone(live_server, live_world, page_factory, screenshot):
    p = project(live_world, org=live_world.branch2, title="陪伴独居老人就医", slots=1)
    page = page_factory(width=375, height=740)
    browser_log_in(page, live_server.url, "member")
    page.goto(f"{live_server.url}/service/?open=1")
    page.get_by_role("link", name="陪伴独居老人就医").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#slots-left").inner_text() == "1"
    page.get_by_role("button", name="我来认领").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("认领成功").is_visible()
    assert page.locator("#slots-left").inner_text() == "0"
    assert not page.get_by_role("button", name="我来认领").count()
    screenshot(page, "service-claim-phone")
    assert Claim.objects.get(project=p).member == live_world.member
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page must not scroll sideways on a phone"
