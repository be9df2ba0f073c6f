"""The street office draws a grid on the map; a resident then reports from a point inside it
and the request lands in that grid (issue 16)."""

import pytest
from shapely.geometry import shape

from xianfeng.grid.models import Grid
from xianfeng.grid.testing import build_grid_world
from xianfeng.resident_requests.models import ResidentRequest
from xianfeng.resident_requests.testing import make_category
from xianfeng.resident_requests.tests.shapes import SHAPES
from xianfeng.testing import PASSWORD, build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def live_map(transactional_db):
    gw = build_grid_world(build_world())
    for name in ("community", "grid1"):
        grid = getattr(gw, name)
        grid.geometry = SHAPES[name]
        grid.save()
    make_category(checklist=("身份证",))
    return gw


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def click_at(page, x, y):
    box = page.locator("#grid-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * x, box["y"] + box["height"] * y)


def draw(page, points):
    page.locator(".leaflet-pm-icon-polygon").click()
    for x, y in points:
        click_at(page, x, y)
    click_at(page, *points[0])  # closing on the first vertex finishes the polygon


def test_draw_a_grid_and_report_from_inside_it(live_server, live_map, page_factory, screenshot):
    gw = live_map
    base = live_server.url
    page = page_factory()
    log_in(page, base, "street_admin")
    page.goto(f"{base}/grid/{gw.grid2.pk}/map/")
    page.locator(".leaflet-pm-icon-polygon").wait_for()

    # First across the line into 第一网格: refused, nothing saved.
    draw(page, [(0.35, 0.4), (0.6, 0.4), (0.6, 0.6), (0.35, 0.6)])
    page.click("#save-map")
    assert "与“第一网格”的范围重叠" in page.get_by_test_id("map-error").inner_text()
    assert Grid.objects.get(pk=gw.grid2.pk).geometry is None

    # Then inside the community's eastern half.
    draw(page, [(0.6, 0.4), (0.72, 0.4), (0.72, 0.6), (0.6, 0.6)])
    screenshot(page, "grid-map-drawn")
    page.click("#save-map")
    page.get_by_text("范围已保存").wait_for()
    outline = shape(Grid.objects.get(pk=gw.grid2.pk).geometry)
    assert outline.is_valid and outline.within(shape(SHAPES["community"]))
    inside = outline.representative_point()

    resident = page_factory(width=375, height=740)
    resident.context.grant_permissions(["geolocation"])
    resident.context.set_geolocation({"latitude": inside.y, "longitude": inside.x})
    resident.goto(f"{base}/r/")
    resident.select_option("#id_category", label="健康通行证")
    resident.fill("#id_description", "路灯不亮")
    resident.click("#locate")
    resident.get_by_text("✓").wait_for()
    resident.click("#submit")
    resident.get_by_test_id("tracking-code").wait_for()
    req = ResidentRequest.objects.get()
    assert req.grid_id == gw.grid2.pk
    assert req.organization == gw.general_branch  # 第二网格 has no branch of its own
    assert req.level_code == "community"  # its chain: 社区党总支, then the street

    # The figures map colours 第二网格 (one open request) and marks the resident's point.
    page.goto(f"{base}/requests/figures/?org={gw.general_branch.pk}")
    page.get_by_test_id("requests-map").locator("path.leaflet-interactive").first.wait_for()
    assert page.get_by_test_id("requests-map").locator("path.leaflet-interactive").count() == 2
    screenshot(page, "requests-figures-map")


def test_split_a_grid_along_a_drawn_line(live_server, live_map, page_factory, screenshot):
    gw = live_map
    base = live_server.url
    page = page_factory()
    log_in(page, base, "street_admin")
    page.goto(f"{base}/grid/{gw.grid1.pk}/map/")
    page.locator(".leaflet-pm-icon-polyline").wait_for()

    # A line that stops inside the grid: refused with the reason, nothing written.
    page.locator(".leaflet-pm-icon-polyline").click()
    click_at(page, 0.5, 0.02)
    click_at(page, 0.5, 0.5)
    click_at(page, 0.5, 0.5)  # clicking the last vertex again finishes the line
    page.fill("#id_split_code", "RX-01B")
    page.fill("#id_split_name", "第一网格东")
    page.click("#split-grid")
    assert (
        "分割线须从网格的一侧边界穿过到另一侧边界"
        in page.get_by_test_id("split-error").inner_text()
    )
    assert not Grid.objects.filter(code="RX-01B").exists()

    # Top to bottom across the whole grid: two grids.
    page.locator(".leaflet-pm-icon-polyline").click()
    click_at(page, 0.55, 0.01)
    click_at(page, 0.55, 0.99)
    click_at(page, 0.55, 0.99)
    page.fill("#id_split_code", "RX-01B")
    page.fill("#id_split_name", "第一网格东")
    page.click("#split-grid")
    page.get_by_text("已拆分为").wait_for()
    screenshot(page, "grid-split")
    new = Grid.objects.get(code="RX-01B")
    kept = shape(Grid.objects.get(pk=gw.grid1.pk).geometry)
    assert kept.is_valid and shape(new.geometry).is_valid
    assert abs(kept.area + shape(new.geometry).area - shape(SHAPES["grid1"]).area) < 1e-9
