"""Pickers on a phone: search members by 拼音 initials, add several as chips, remove one by
tapping ×, save. And the header search. Screenshots at 375px."""

import pytest

from xianfeng.grid.models import ServiceActivity
from xianfeng.grid.testing import build_grid_world
from xianfeng.testing import browser_log_in, build_world, make_member

pytestmark = pytest.mark.browser


@pytest.fixture
def live_grid(transactional_db):
    world = build_world()
    gw = build_grid_world(world)
    make_member(gw.grid_branch, "周明杰")
    make_member(gw.grid_branch, "钱小红")
    return gw


def test_pick_participants_on_a_phone(live_server, live_grid, page_factory, screenshot):
    base = live_server.url
    page = page_factory(width=375, height=740)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    browser_log_in(page, base, "street_admin")
    page.goto(f"{base}/grid/{live_grid.building1.pk}/activities/new/")
    page.fill("input[name=title]", "楼道清理")
    picker = page.locator(".ac", has=page.locator("select[name=members]"))
    box = picker.locator(".ac-input")
    for typed, name in (("zmj", "赵美菊"), ("zmj", "周明杰"), ("qxh", "钱小红")):
        box.fill(typed)
        picker.locator(".ac-pick", has_text=name).click()
        assert picker.locator(".ac-chip", has_text=name).is_visible()
    picker.locator(".ac-chip", has_text="钱小红").locator(".ac-remove").click()
    assert not picker.locator(".ac-chip", has_text="钱小红").count()
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    screenshot(page, "picker-participants-375")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    activity = ServiceActivity.objects.get(title="楼道清理")
    assert sorted(m.name for m in activity.members.all()) == ["周明杰", "赵美菊"]
    assert not errors


def test_header_search(live_server, live_grid, page_factory, screenshot):
    base = live_server.url
    page = page_factory()
    browser_log_in(page, base, "branch_secretary")
    page.fill("form.topsearch input[name=q]", "zs")
    page.press("form.topsearch input[name=q]", "Enter")
    page.wait_for_load_state("networkidle")
    assert page.locator("ul.hits[data-kind=member]").get_by_text("张三").is_visible()
    screenshot(page, "search-zs-1280")
