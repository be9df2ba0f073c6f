"""A committee secretary rates the street: evaluate, review a branch with evidence, re-evaluate,
see the radar chart and the distribution chart drawn by the vendored ECharts, print a plaque."""

import pytest

from xianfeng.assessment.tests.factories import make_standard
from xianfeng.testing import PASSWORD, build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    world = build_world()
    make_standard(year=2025, items=[("班子建设", 60, "", 0), ("服务群众", 40, "", 0)])
    return world


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_rate_review_and_charts(live_server, live_world, page_factory, screenshot):
    page = page_factory()
    base = live_server.url
    log_in(page, base, "committee_secretary")
    street = live_world.street.pk
    page.goto(f"{base}/assessment/org/{street}/?year=2025")
    page.get_by_role("button", name="开始测评").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#star-distribution svg").count() == 1

    page.get_by_role("link", name="北关社区党支部").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("tr", has_text="班子建设").filter(has=page.locator("form"))
    row.locator("input[name=score]").fill("60")
    row.locator("input[name=evidence]").fill("查阅支委会记录")
    row.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert "查阅支委会记录" in page.content()

    page.goto(f"{base}/assessment/org/{street}/?year=2025")
    page.get_by_role("button", name="重新测评").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("tr", has_text="北关社区党支部").locator(".stars").inner_text() == "★★☆☆☆"

    page.goto(f"{base}/assessment/org/{live_world.branch.pk}/scorecard/?year=2025")
    page.wait_for_load_state("networkidle")
    assert page.locator("#radar svg").count() == 1
    screenshot(page, "assessment-scorecard")
    page.goto(f"{base}/assessment/org/{live_world.branch.pk}/plaque/?year=2025")
    assert page.locator(".plaque .title").inner_text() == "二星级党组织"
