"""A 包户 cadre, on a 375px phone, moves their household to the next stage and records a talk."""

import pytest

from xianfeng.campaigns.models import CaseVisit
from xianfeng.campaigns.tests.factories import campaign, case
from xianfeng.testing import PASSWORD, build_world, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def live_case(transactional_db):
    world = build_world()
    c = campaign(world)
    cadre = make_user("baohu")
    return case(c, "DX-007", responsible=cadre, head_name="王书章")


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_the_cadre_updates_a_household_on_a_phone(live_server, live_case, page_factory, screenshot):
    page = page_factory(width=375, height=740)
    log_in(page, live_server.url, "baohu")
    page.goto(f"{live_server.url}/campaigns/cases/{live_case.pk}/")
    assert page.get_by_test_id("stage").inner_text() == "已摸底"
    assert page.get_by_text("139****5678").is_visible()
    page.get_by_test_id("stage-submit").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("stage").inner_text() == "洽谈中"
    page.fill("textarea[name=said]", "户主提出补偿标准问题，已讲解政策")
    page.get_by_test_id("visit-submit").click()
    page.wait_for_load_state("networkidle")
    assert CaseVisit.objects.filter(case=live_case).count() == 1
    assert page.get_by_text("户主提出补偿标准问题").first.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"page is {width}px wide on a 375px phone"
    screenshot(page, "campaign-case-phone")
