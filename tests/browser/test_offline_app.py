"""The grid-worker app without signal (Playwright's offline mode): pages synced earlier open
from the service worker's cache, a visit and a request recorded offline are queued on the
phone with their photos, and once the signal is back each reaches the server exactly once."""

import base64

import pytest

from xianfeng.grid.models import Household, Visit, VisitPhoto
from xianfeng.grid.testing import build_grid_world
from xianfeng.resident_requests.models import RequestPhoto, ResidentRequest
from xianfeng.resident_requests.testing import make_category
from xianfeng.testing import browser_log_in, build_world

pytestmark = pytest.mark.browser

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def photo(name):
    return {"name": name, "mimeType": "image/png", "buffer": PNG}


@pytest.fixture
def live_app(transactional_db):
    gw = build_grid_world(build_world())
    household = Household.objects.create(
        grid=gw.building1, address="1号楼2单元301", head_name="荆永义"
    )
    return gw, household, make_category()


def pending(page, count):
    page.locator(f"[data-xf-pending='{count}']").wait_for()
    assert f"已保存，待同步 ({count})" in page.locator("#xf-offline").inner_text()


def test_visit_and_request_recorded_offline_reach_the_server_once(
    live_server, live_app, page_factory, screenshot
):
    gw, household, category = live_app
    base = live_server.url
    page = page_factory(width=400, height=850)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    browser_log_in(page, base, gw.worker.username)

    # With signal: the service worker installs and takes over, the pages are synced.
    household_url = f"{base}/grid/household/{household.pk}/"
    intake_url = f"{base}/requests/new/"
    page.goto(household_url)
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    for url in (household_url, intake_url, f"{base}/grid/mine/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    manifest = page.evaluate("fetch('/manifest.webmanifest').then(r => r.json())")
    assert manifest["name"] == "先锋网格"

    page.context.set_offline(True)
    assert page.evaluate("fetch('/healthz').then(() => 'up', () => 'down')") == "down"
    # A page never opened with signal: the offline page.
    page.goto(f"{base}/grid/{gw.grid1.pk}/board/")
    assert "当前无网络" in page.content()

    # The household, from the phone's copy; a visit with a photo is queued.
    page.goto(household_url)
    assert "1号楼2单元301" in page.locator("h1").inner_text()
    form = page.locator("form[data-offline=visit]")
    form.locator("input[name=visited_on]").fill("2024-06-01")
    form.locator("textarea[name=found]").fill("屋顶漏水，需联系物业")
    form.locator("input[name=photos]").set_input_files(photo("visit.png"))
    form.locator("button[type=submit]").click()
    pending(page, 1)

    # A request taken on the resident's behalf, with a photo, queued too.
    page.goto(intake_url)
    form = page.locator("form[data-offline=request]")
    form.locator("select[name=category]").select_option(str(category.pk))
    form.locator("textarea[name=description]").fill("楼道堆放杂物，影响通行")
    form.locator("select[name=channel]").select_option("visit")
    form.locator("input[name=grid_code]").fill(gw.building1.code)
    form.locator("input[name=photos]").set_input_files(photo("request.png"))
    form.locator("button[type=submit]").click()
    pending(page, 2)
    screenshot(page, "offline-queued")
    assert not Visit.objects.exists() and not ResidentRequest.objects.exists()

    # Signal again: the queue replays by itself.
    page.context.set_offline(False)
    page.locator("#xf-offline", has_text="已同步 2 条").wait_for()
    assert page.locator("[data-xf-pending]").count() == 0
    screenshot(page, "offline-synced")

    visit = Visit.objects.get()
    assert visit.household == household and visit.found == "屋顶漏水，需联系物业"
    assert visit.recorded_by == gw.worker and VisitPhoto.objects.filter(visit=visit).count() == 1
    req = ResidentRequest.objects.get()
    assert req.description == "楼道堆放杂物，影响通行" and req.grid == gw.building1
    assert RequestPhoto.objects.filter(request=req).count() == 1

    # Another page load flushes again: nothing left to send, still one of each.
    page.goto(household_url)
    page.wait_for_load_state("networkidle")
    assert "屋顶漏水" in page.content()
    assert Visit.objects.count() == 1 and ResidentRequest.objects.count() == 1
    assert page.evaluate("XFQueue.all().then(items => items.length)") == 0
    assert not errors, errors


def test_a_conflict_is_shown_to_the_worker_not_overwritten(
    live_server, live_app, page_factory, screenshot
):
    gw, household, _category = live_app
    base = live_server.url
    page = page_factory(width=400, height=850)
    page.on("dialog", lambda dialog: dialog.accept())
    browser_log_in(page, base, gw.worker.username)
    household_url = f"{base}/grid/household/{household.pk}/"
    page.goto(household_url)
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    page.goto(household_url)

    # With signal the form posts through the app too, and lands back on the household.
    form = page.locator("form[data-offline=visit]")
    form.locator("input[name=visited_on]").fill("2024-05-01")
    form.locator("textarea[name=found]").fill("有信号时登记")
    form.locator("button[type=submit]").click()
    page.locator("#xf-offline", has_text="已登记走访").wait_for()
    assert Visit.objects.count() == 1

    page.context.set_offline(True)
    page.goto(household_url)
    form = page.locator("form[data-offline=visit]")
    form.locator("input[name=visited_on]").fill("2024-06-01")
    form.locator("textarea[name=found]").fill("离线登记")
    form.locator("button[type=submit]").click()
    pending(page, 1)

    # Meanwhile the household is edited in the office.
    household.note = "户主已搬走"
    household.save()
    page.context.set_offline(False)
    conflict = page.locator(".xf-conflicts li")
    conflict.wait_for()
    assert "离线后已被修改" in conflict.inner_text()
    assert page.get_by_role("heading", name="同步冲突").is_visible()
    screenshot(page, "offline-conflict")
    assert Visit.objects.count() == 1  # nothing overwritten, nothing added

    # The worker has looked at it and sends it anyway: stored once.
    conflict.get_by_role("button", name="仍要提交").click()
    page.locator("#xf-offline", has_text="已同步 1 条").wait_for()
    assert page.locator(".xf-conflicts li").count() == 0
    assert list(Visit.objects.order_by("visited_on").values_list("found", flat=True)) == [
        "有信号时登记",
        "离线登记",
    ]


def test_a_replay_refused_for_want_of_rights_is_shown_not_kept_waiting(
    live_server, live_app, page_factory
):
    from xianfeng.accounts.models import RoleGrant

    gw, household, _category = live_app
    base = live_server.url
    page = page_factory(width=400, height=850)
    browser_log_in(page, base, gw.worker.username)
    household_url = f"{base}/grid/household/{household.pk}/"
    page.goto(household_url)
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    page.goto(household_url)

    page.context.set_offline(True)
    page.goto(household_url)
    form = page.locator("form[data-offline=visit]")
    form.locator("input[name=visited_on]").fill("2024-06-01")
    form.locator("textarea[name=found]").fill("离线登记")
    form.locator("button[type=submit]").click()
    pending(page, 1)

    # Meanwhile the worker leaves the post: the server answers 403 (a page, not JSON).
    RoleGrant.objects.filter(user=gw.worker).delete()
    page.context.set_offline(False)
    conflict = page.locator(".xf-conflicts li")
    conflict.wait_for()
    assert "没有提交这项登记的权限" in conflict.inner_text()
    assert Visit.objects.count() == 0
