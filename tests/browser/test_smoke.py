"""A new user's first minutes: log in, open the tree, find 张三 by typing zs, switch to 繁體."""

import pytest

from xianfeng.testing import browser_log_in, build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    return build_world()


def test_login_tree_search_and_traditional(live_server, live_world, page_factory, screenshot):
    page = page_factory()
    browser_log_in(page, live_server.url, "street_admin")
    assert page.url.rstrip("/") == live_server.url, "login lands on the workbench"
    page.locator("nav.mainnav").get_by_text("组织", exact=True).click()
    page.wait_for_load_state("networkidle")
    tree = page.locator("#org-tree")
    assert tree.get_by_text("北坦街道党工委").is_visible()
    assert not tree.get_by_text("北关社区党支部").is_visible()

    tree.locator("li", has_text="北坦街道党工委").locator("button.toggle").first.click()
    tree.get_by_text("北关社区党支部").wait_for()
    assert not tree.get_by_text("郭店街道党工委").count(), "another street must not appear"
    screenshot(page, "tree-desktop")

    page.goto(f"{live_server.url}/members/")
    page.fill("main input[name=q]", "zs")
    page.press("main input[name=q]", "Enter")
    page.wait_for_load_state("networkidle")
    results = page.locator("table.list tbody")
    assert results.get_by_text("张三").is_visible()
    assert not results.get_by_text("李四").count()
    screenshot(page, "members-search-zs")

    page.get_by_role("button", name="繁體中文").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "zh-hant"
    assert page.locator("nav.mainnav").get_by_text("黨員", exact=True).is_visible()
    screenshot(page, "members-traditional")


def test_phone_sized_window(live_server, live_world, page_factory, screenshot):
    page = page_factory(width=375, height=740)
    browser_log_in(page, live_server.url, "branch_secretary")
    page.goto(f"{live_server.url}/members/?q=zhangsan")
    assert page.locator("table.list tbody").get_by_text("张三").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"page is {width}px wide on a 375px phone"
    page.locator("label.nav-burger").click()
    assert page.locator("nav.mainnav").get_by_text("组织", exact=True).is_visible()
    screenshot(page, "members-phone")
