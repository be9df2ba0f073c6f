"""A resident on a phone: scan a service board's QR code, report, follow, and rate the result."""

import pytest

from xianfeng.grid.boards import request_path
from xianfeng.grid.testing import build_grid_world
from xianfeng.resident_requests import services
from xianfeng.resident_requests.models import ResidentRequest, Status
from xianfeng.resident_requests.testing import central_login, make_category
from xianfeng.testing import build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def live_zone(transactional_db):
    gw = build_grid_world(build_world())
    make_category(checklist=("身份证", "复工通知或单位证明"))
    return gw


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"page is {width}px wide on a 375px phone"


def test_board_qr_link_to_rating(live_server, live_zone, page_factory, screenshot):
    gw = live_zone
    page = page_factory(width=375, height=740)
    page.goto(live_server.url + request_path(gw.building1))
    assert page.get_by_test_id("zone").inner_text().endswith("1号楼")
    page.select_option("#id_category", label="健康通行证")
    assert page.get_by_text("复工通知或单位证明").is_visible(), "一次性告知 at intake"
    page.fill("#id_description", "需要健康通行卡回青岛复工")
    page.fill("#id_resident_name", "王魁")
    fits(page)
    screenshot(page, "request-intake-phone")
    page.click("#submit")
    page.get_by_test_id("tracking-code").wait_for()
    req = ResidentRequest.objects.get()
    assert page.get_by_test_id("tracking-code").inner_text() == req.tracking_code
    assert page.get_by_test_id("status").inner_text() == "待受理"
    fits(page)

    zhao = central_login(gw)
    services.accept_request(req, actor=zhao)
    services.solve_request(req, actor=zhao, note="可办理全省通行健康卡，已告知")
    page.reload()
    assert page.get_by_test_id("status").inner_text() == "已办结"
    assert page.get_by_test_id("owner").inner_text() == "赵美菊"
    assert page.get_by_text("可办理全省通行健康卡").is_visible()
    page.check("input[name=rating][value='5']")
    page.fill("input[name=comment]", "不到一个小时")
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("感谢您的评价").wait_for()
    fits(page)
    screenshot(page, "request-rated-phone")
    req.refresh_from_db()
    assert (req.status, req.rating, req.rating_comment) == (Status.SOLVED, 5, "不到一个小时")
