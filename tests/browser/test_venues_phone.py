"""A resident on a 375 px phone: open the community on the portal, verify the phone by SMS
code, sign up for an activity at the 党群服务中心 and find it under 我的."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from xianfeng.grid.models import GridKind
from xianfeng.grid.testing import make_grid
from xianfeng.notices.models import Delivery
from xianfeng.testing import build_world
from xianfeng.venues import activities, services
from xianfeng.venues.models import Signup

pytestmark = pytest.mark.browser


@pytest.fixture
def place(transactional_db, settings):
    settings.XIANFENG_NOTICE_CHANNELS = {"sms": "xianfeng.core.notify.LoggingChannel"}
    cache.clear()
    world = build_world()
    make_grid("北关社区", kind=GridKind.COMMUNITY, code="BEIGUAN", organization=world.branch)
    venue = services.create_venue(
        world.branch, actor=None, name="北关社区党群服务中心", kind="centre", address="北关北路17号"
    )
    start = timezone.now() + timedelta(days=3)
    return activities.publish_activity(
        venue,
        actor=None,
        organization=world.branch,
        kind="health",
        title="健康义诊",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=20,
    )


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"page is {width}px wide on a 375px phone"


def test_resident_signs_up_on_a_phone(live_server, place, page_factory, screenshot):
    page = page_factory(width=375, height=740)
    page.goto(live_server.url + "/m/")
    page.get_by_role("link", name="北关社区").click()
    page.get_by_role("link", name="健康义诊").click()
    fits(page)
    page.get_by_role("link", name="验证手机号后报名").click()
    page.fill("input[name=phone]", "13812345678")
    page.get_by_role("button", name="获取验证码").click()
    page.locator("input[name=code]").wait_for()
    text = next(d.text for d in Delivery.objects.all() if d.address == "13812345678")
    page.fill("input[name=code]", re.search(r"\d{6}", text).group())
    page.get_by_role("button", name="验证", exact=True).click()
    page.fill("input[name=name]", "王大妈")
    fits(page)
    screenshot(page, "venues-activity-phone")
    page.get_by_role("button", name="我要报名").click()
    page.get_by_text("报名成功").wait_for()
    assert page.get_by_role("link", name="健康义诊").is_visible()
    fits(page)
    signup = Signup.objects.get()
    assert (signup.name, signup.status, signup.phone) == ("王大妈", "confirmed", "13812345678")
    # large text stays on one screen's width
    page.get_by_role("link", name="大字").click()
    fits(page)
