import pytest

from xianfeng.grid.testing import build_grid_world


@pytest.fixture
def gw(world):
    return build_grid_world(world)
