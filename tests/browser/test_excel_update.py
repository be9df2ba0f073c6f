"""A clerk updates members from Excel: choose 只更新, see the preview, confirm."""

import pytest

from xianfeng.excel.tests.xlsx import member_row, members_file
from xianfeng.members.models import Member
from xianfeng.testing import browser_log_in, build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    return build_world()


def test_update_with_preview_and_confirm(
    live_server, live_world, page_factory, screenshot, tmp_path
):
    member = live_world.member
    row = member_row(
        name=member.name,
        id_number=member.id_number,
        gender="男",
        birth_date=member.birth_date,
        joined_on=member.joined_on,
        employer="新单位",
    )
    path = members_file(tmp_path / "党员.xlsx", [row])
    page = page_factory()
    browser_log_in(page, live_server.url, "org_officer")
    page.goto(f"{live_server.url}/excel/")
    form = page.locator("form[action$='/import/members/']")
    form.locator("input[type=file]").set_input_files(str(path))
    form.get_by_label("只更新已有记录").check()
    form.get_by_role("button", name="上传并预览").click()
    page.get_by_text("检查通过。确认后将").wait_for()
    assert page.get_by_text("工作单位").first.is_visible()
    screenshot(page, "excel-update-preview")
    member.refresh_from_db()
    assert member.employer != "新单位"
    page.get_by_role("button", name="确认写入").click()
    page.get_by_text("导入完成").wait_for()
    screenshot(page, "excel-update-done")
    assert Member.objects.get(pk=member.pk).employer == "新单位"
