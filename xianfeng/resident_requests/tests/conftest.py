import pytest

from xianfeng.grid.testing import build_grid_world

from ..testing import make_category


@pytest.fixture
def gw(world):
    return build_grid_world(world)


@pytest.fixture
def category(db):
    return make_category(checklist=("身份证", "近 14 天行程说明"))
