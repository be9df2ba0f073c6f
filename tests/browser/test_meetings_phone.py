"""A member on a 375px phone: scan the meeting's QR (open its link), sign in, see "my meetings"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xianfeng.meetings import services
from xianfeng.meetings.models import AttendanceStatus
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


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"page is {width}px wide on a 375px phone"


def test_member_signs_in_on_a_phone(live_server, live_world, page_factory, screenshot):
    meeting = services.create_meeting(
        live_world.branch,
        kind=MeetingKind.THEME_DAY,
        topic="主题党日：重温入党誓词",
        starts_at=timezone.now() + timedelta(minutes=15),
        place="北关社区党群服务中心",
        actor=None,
    )
    page = page_factory(width=375, height=740)
    log_in(page, live_server.url, "member")
    page.goto(live_server.url + reverse("meetings:signin", args=[services.signin_token(meeting)]))
    assert page.get_by_text("主题党日：重温入党誓词").is_visible()
    fits(page)
    screenshot(page, "meetings-signin-phone")
    page.get_by_role("button", name="确认签到").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("签到成功").is_visible()
    assert page.locator(".meeting-cards").get_by_text("出席").is_visible()
    fits(page)
    screenshot(page, "meetings-mine-phone")
    status = meeting.attendances.get(member=live_world.member).status
    assert status == AttendanceStatus.PRESENT
