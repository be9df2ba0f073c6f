"""A street administrator opens a member: everything masked; a reveal needs a reason, then shows all."""

import pytest

from xianfeng.core.models import AuditLog
from xianfeng.testing import PASSWORD, build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    return build_world()


def test_reveal_with_a_reason(live_server, live_world, page_factory, screenshot):
    member = live_world.member
    page = page_factory()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "street_admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/members/{member.pk}/")
    body = page.content()
    assert member.id_number not in body and member.id_number[6:14] not in body
    assert page.locator("#sensitive .id-number").inner_text().startswith(member.id_number[:6])
    page.click("#sensitive button[type=submit]")  # no reason: the browser keeps the form
    assert member.id_number not in page.content()
    page.fill("#sensitive input[name=reason]", "核对换届候选人")
    page.click("#sensitive button[type=submit]")
    page.locator("#sensitive .id-number").get_by_text(member.id_number).wait_for()
    assert member.birth_date.strftime("%Y-%m-%d") in page.locator("#sensitive").inner_text()
    screenshot(page, "member-revealed")
    assert AuditLog.objects.get(action="member.reveal").data["reason"] == "核对换届候选人"
