"""Grid pages in a real browser: the tree opens, the charts and the offline GeoJSON map draw."""

from datetime import date

import pytest

from xianfeng.grid.models import Grid, ServiceActivity
from xianfeng.grid.testing import build_grid_world
from xianfeng.testing import PASSWORD, build_world

pytestmark = pytest.mark.browser


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def square(x, y, half=0.004):
    ring = [[x - half, y - half], [x + half, y - half], [x + half, y + half], [x - half, y + half]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


@pytest.fixture
def live_grid(transactional_db):
    world = build_world()
    gw = build_grid_world(world)
    Grid.objects.filter(pk=gw.grid1.pk).update(geometry=square(121.34, 37.62))
    Grid.objects.filter(pk=gw.grid2.pk).update(geometry=square(121.35, 37.62))
    Grid.objects.filter(pk=gw.building1.pk).update(
        geometry={"type": "Point", "coordinates": [121.341, 37.621]}
    )
    ServiceActivity.objects.create(
        grid=gw.building1, title="义诊", kind="service", held_on=date(2024, 3, 5)
    )
    return gw


def test_grid_tree_figures_map_and_board(live_server, live_grid, page_factory, screenshot):
    page = page_factory()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server.url, "street_admin")

    page.goto(f"{live_server.url}/grid/")
    tree = page.locator("#grid-tree")
    tree.locator("li", has_text="瑞祥社区").locator("button.toggle").first.click()
    tree.get_by_text("第二网格").wait_for()

    page.goto(f"{live_server.url}/grid/{live_grid.community.pk}/figures/?start=2024-01-01")
    page.wait_for_load_state("networkidle")
    assert page.locator("#grid-map svg").count() == 1
    assert page.locator("#grid-map svg path").count() >= 2  # the two grid polygons
    assert page.locator("#grid-charts .chart svg").count() == 4
    screenshot(page, "grid-figures")

    page.goto(f"{live_server.url}/grid/{live_grid.building1.pk}/board/")
    assert page.locator(".qr-code svg").count() == 1
    screenshot(page, "grid-board")
    assert errors == []
