"""A member's bell: the meeting notice shows as a count on every page, the inbox opens it,
and the count goes away once read — on a desktop and on a 375px phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from xianfeng.meetings import services
from xianfeng.meetings.rules import MeetingKind
from xianfeng.testing import PASSWORD, build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    return build_world()


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", [1280, 375])
def test_member_follows_the_bell_to_the_meeting(
    live_server, live_world, page_factory, screenshot, width
):
    meeting = services.create_meeting(
        live_world.branch,
        kind=MeetingKind.THEME_DAY,
        topic="主题党日：重温入党誓词",
        starts_at=timezone.now() + timedelta(days=1),
        place="北关社区党群服务中心",
        actor=None,
    )
    services.send_notice(meeting, actor=live_world.users["branch_secretary"])
    page = page_factory(width=width, height=800)
    log_in(page, live_server.url, "member")
    bell = page.locator("header a.bell")
    assert bell.locator(".bell-count").inner_text() == "1"
    bell.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("主题党日：重温入党誓词").first.is_visible()
    width_now = page.evaluate("document.documentElement.scrollWidth")
    assert width_now <= width + 1, f"inbox is {width_now}px wide"
    screenshot(page, f"notices-inbox-{width}")
    page.locator(".notice-list button.linkish").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/meetings/{meeting.pk}/")
    assert page.locator("header a.bell .bell-count").count() == 0
