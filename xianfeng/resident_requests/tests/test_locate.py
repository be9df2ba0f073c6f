"""A point finds the smallest grid that contains it, one test per level of the 瑞祥 chain."""

import pytest
from django.urls import reverse

from xianfeng.grid.locate import build_index, grid_at

from ..models import ResidentRequest
from ..open311 import create_key
from .shapes import POINTS, draw


@pytest.fixture
def drawn(gw):
    draw(gw)
    return gw


@pytest.mark.parametrize(
    ("place", "grid", "level"),
    [
        ("building1", "building1", "central_household"),  # 1号楼 has a 中心户
        ("building2", "building2", "grid"),  # 2号楼 has none: its grid's branch
        ("grid1", "grid1", "grid"),
        ("grid2", "grid2", "community"),  # 第二网格 has no branch: the community's
    ],
)
def test_open311_point_goes_to_its_grids_chain(client, drawn, category, place, grid, level):
    _row, key = create_key("热线")  # no organization of its own
    lat, long = POINTS[place]
    response = client.post(
        reverse("open311:requests", kwargs={"fmt": "json"}),
        {"api_key": key, "service_code": category.code, "lat": lat, "long": long},
    )
    assert response.status_code == 201, response.content
    req = ResidentRequest.objects.get()
    assert req.grid == getattr(drawn, grid)
    assert req.level_code == level


def test_a_point_in_no_grid_goes_to_the_street_of_the_key(client, drawn, category, world):
    _row, key = create_key("热线", organization=drawn.general_branch)
    lat, long = POINTS["nowhere"]
    post = {"api_key": key, "service_code": category.code, "lat": lat, "long": long}
    response = client.post(reverse("open311:requests", kwargs={"fmt": "json"}), post)
    assert response.status_code == 201, response.content
    req = ResidentRequest.objects.get()
    assert req.grid is None and req.organization == req.holder_org == world.street


def test_a_point_in_no_grid_is_refused_for_a_key_without_organization(client, drawn, category):
    _row, key = create_key("热线")
    lat, long = POINTS["nowhere"]
    post = {"api_key": key, "service_code": category.code, "lat": lat, "long": long}
    response = client.post(reverse("open311:requests", kwargs={"fmt": "json"}), post)
    assert response.status_code == 400
    assert "no default organization" in response.json()[0]["description"]
    assert not ResidentRequest.objects.exists()


def test_the_public_page_uses_the_residents_position(client, drawn, category):
    lat, long = POINTS["building1"]
    response = client.post(
        reverse("requests:public_intake"),
        {
            "category": category.pk,
            "description": "楼道灯坏了",
            "lat": lat,
            "long": long,
            "idempotency_key": "k1",
        },
    )
    assert response.status_code == 302
    assert ResidentRequest.objects.get().grid == drawn.building1


def test_a_changed_shape_is_found_at_once(drawn):
    assert grid_at(*POINTS["nowhere"]) is None
    drawn.grid2.geometry = {
        "type": "Polygon",
        "coordinates": [
            [[117.2, 36.6], [117.4, 36.6], [117.4, 36.8], [117.2, 36.8], [117.2, 36.6]]
        ],
    }
    drawn.grid2.save()
    assert grid_at(*POINTS["nowhere"]) == drawn.grid2


def test_points_and_broken_shapes_are_left_out_of_the_index():
    index = build_index(
        [
            (1, {"type": "Point", "coordinates": [117.1, 36.6]}),
            (2, {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}),
            (3, {"type": "Polygon", "coordinates": "x"}),
        ]
    )
    assert index.tree is None and index.find(36.6, 117.1) is None
