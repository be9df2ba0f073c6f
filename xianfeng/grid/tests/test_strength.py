"""网格力量 counts on the grid pages add up the staff of the grids below."""

from xianfeng.grid.models import Grid
from xianfeng.grid.views import with_counts


def test_grid_strength_of_a_community_adds_up_its_grids(gw):
    counts = dict(
        with_counts(
            Grid.objects.filter(pk__in=[gw.community.pk, gw.grid1.pk, gw.grid2.pk])
        ).values_list("code", "staff_count")
    )
    assert counts == {"RX": 1, "RX-01": 1, "RX-02": 0}  # 姜君 serves 第一网格
