"""Outlines drawn on the map: refused when they cross themselves, overlap a neighbour or leave
their parent; the point index follows a saved shape at once."""

import pytest

from xianfeng.core.errors import DomainError
from xianfeng.grid import services
from xianfeng.grid.locate import grid_at
from xianfeng.grid.models import Grid
from xianfeng.resident_requests.tests.shapes import POINTS, SHAPES, box, draw

BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[117.13, 36.64], [117.14, 36.65], [117.14, 36.64], [117.13, 36.65], [117.13, 36.64]]
    ],
}


@pytest.fixture
def drawn(gw):
    draw(gw)
    gw.grid2.geometry = None
    gw.grid2.save()
    return gw


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (BOWTIE, "自相交"),
        (box(117.115, 36.645, 117.125, 36.650), "与“第一网格”的范围重叠"),
        (box(117.135, 36.645, 117.150, 36.650), "超出上级“瑞祥社区”的范围"),
    ],
)
def test_bad_outlines_are_refused_with_a_message(drawn, admin_user, geometry, message):
    with pytest.raises(DomainError, match=message):
        services.update_grid(drawn.grid2, actor=admin_user, geometry=geometry)
    assert Grid.objects.get(pk=drawn.grid2.pk).geometry is None


def test_a_good_outline_is_saved_and_found(drawn, admin_user):
    assert grid_at(*POINTS["grid2"]) == drawn.community
    services.update_grid(drawn.grid2, actor=admin_user, geometry=SHAPES["grid2"])
    assert grid_at(*POINTS["grid2"]) == drawn.grid2


def test_a_new_grid_may_not_overlap_its_siblings(drawn, admin_user):
    with pytest.raises(DomainError, match="重叠"):
        services.create_grid(
            drawn.community,
            actor=admin_user,
            code="RX-03",
            name="第三网格",
            kind="grid",
            geometry=box(117.105, 36.645, 117.110, 36.650),
        )
