"""Splitting a grid along a line drawn on the map (issue 16): two grids, buildings and
households follow their position, bad lines are refused with a message and change nothing."""

import json

import pytest
from shapely.geometry import shape

from xianfeng.core.errors import DomainError
from xianfeng.grid.locate import grid_at
from xianfeng.grid.models import Grid, Household
from xianfeng.grid.split import split_grid
from xianfeng.resident_requests.tests.shapes import SHAPES, box, draw

# 第一网格 is 117.100–117.120 wide; 1号楼 sits at 117.110–117.112, 2号楼 at 117.114–117.116.
LINE = {"type": "LineString", "coordinates": [[117.113, 36.630], [117.113, 36.670]]}


def line(*points):
    return {"type": "LineString", "coordinates": [list(p) for p in points]}


@pytest.fixture
def drawn(gw):
    draw(gw)
    return gw


def test_a_line_splits_the_grid_and_its_buildings_follow(drawn, admin_user):
    gw = drawn
    east = Household.objects.create(
        grid=gw.grid1, address="东区1号", head_name="王", latitude=36.645, longitude=117.118
    )
    west = Household.objects.create(
        grid=gw.grid1, address="西区1号", head_name="李", latitude=36.645, longitude=117.105
    )
    nowhere = Household.objects.create(grid=gw.grid1, address="无坐标", head_name="张")
    result = split_grid(gw.grid1, actor=admin_user, line=LINE, code="RX-01B", name="第一网格东")
    new = result.new
    assert new.kind == gw.grid1.kind and Grid.objects.get_parent(new) == gw.community
    kept, cut = shape(result.kept.geometry), shape(new.geometry)
    assert kept.area > cut.area and abs(kept.area + cut.area - shape(SHAPES["grid1"]).area) < 1e-12
    assert Grid.objects.get_parent(Grid.objects.get(pk=gw.building2.pk)) == new
    assert Grid.objects.get_parent(Grid.objects.get(pk=gw.building1.pk)).pk == gw.grid1.pk
    assert (
        Grid.objects.get(pk=gw.building2.pk).scope_org == gw.general_branch
    )  # the new grid inherits
    assert Household.objects.get(pk=east.pk).grid == new
    assert Household.objects.get(pk=west.pk).grid_id == gw.grid1.pk
    assert Household.objects.get(pk=nowhere.pk).grid_id == gw.grid1.pk
    assert (result.households_moved, result.households_without_point) == (1, 1)
    assert grid_at("36.645", "117.118") == new  # the point index follows at once


def test_a_polygon_cuts_out_the_part_it_covers(drawn, admin_user):
    cutter = box(117.090, 36.630, 117.105, 36.670)
    result = split_grid(drawn.grid1, actor=admin_user, line=cutter, code="RX-01W", name="西片")
    assert shape(result.new.geometry).area < shape(result.kept.geometry).area
    assert shape(result.new.geometry).bounds[2] == pytest.approx(117.105)


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        (line((117.113, 36.645), (117.113, 36.670)), "从网格的一侧边界穿过到另一侧"),
        (line((117.09, 36.645), (117.13, 36.645), (117.105, 36.67), (117.105, 36.63)), "自相交"),
        (line((117.111, 36.630), (117.111, 36.670)), "“1号楼”的范围跨越分割线"),
        (line((117.105, 36.63), (117.105, 36.67), (117.108, 36.67), (117.108, 36.63)), "分成了3块"),
        ({"type": "Point", "coordinates": [117.1, 36.6]}, "请在地图上画一条分割线"),
        ("invalid", "请在地图上画一条分割线"),
        (box(117.0, 36.0, 118.0, 37.0), "不能是全部"),
    ],
)
def test_bad_lines_are_refused_and_nothing_changes(drawn, admin_user, cut, message):
    before = Grid.objects.count()
    with pytest.raises(DomainError, match=message):
        split_grid(drawn.grid1, actor=admin_user, line=cut, code="RX-09", name="新网格")
    assert Grid.objects.count() == before
    assert Grid.objects.get(pk=drawn.grid1.pk).geometry == SHAPES["grid1"]


def test_a_used_code_and_a_grid_without_outline_are_refused(drawn, admin_user):
    with pytest.raises(DomainError, match="已被使用"):
        split_grid(drawn.grid1, actor=admin_user, line=LINE, code="RX-02", name="重复")
    drawn.grid2.geometry = None
    drawn.grid2.save()
    with pytest.raises(DomainError, match="还没有画出有效的范围"):
        split_grid(drawn.grid2, actor=admin_user, line=LINE, code="RX-09", name="新")


def test_the_split_page_answers_400_with_the_message_then_splits(drawn, world, login):
    client = login(world.users["street_admin"])
    url = f"/grid/{drawn.grid1.pk}/split/"
    bad = client.post(url, {"line": "{not json", "code": "RX-01B", "name": "东"})
    assert bad.status_code == 400
    assert "请在地图上画一条分割线" in bad.content.decode()
    ok = client.post(url, {"line": json.dumps(LINE), "code": "RX-01B", "name": "第一网格东"})
    new = Grid.objects.get(code="RX-01B")
    assert ok.status_code == 302 and ok["Location"] == f"/grid/{new.pk}/map/"


def test_only_who_may_change_the_grid_may_split_it(drawn, world, login):
    url = f"/grid/{drawn.grid1.pk}/split/"
    data = {"line": json.dumps(LINE), "code": "RX-01B", "name": "东"}
    assert login(world.users["observer"]).post(url, data).status_code == 403
    assert login(world.users["outsider"]).post(url, data).status_code in (403, 404)
    assert not Grid.objects.filter(code="RX-01B").exists()
