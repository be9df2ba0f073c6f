from datetime import date

import pytest

from xianfeng.core.events import INDICATORS
from xianfeng.grid.figures import grid_figures
from xianfeng.grid.models import Grid, Household, HouseholdTag, ServiceActivity
from xianfeng.grid.scoping import scope_grids
from xianfeng.grid.testing import make_staff, make_staff_role


@pytest.fixture
def busy(world, gw):
    ServiceActivity.objects.bulk_create(
        [
            ServiceActivity(
                grid=gw.building1,
                title="义诊",
                kind="service",
                held_on=date(2024, 3, 5),
                residents_served=20,
                problems_solved=1,
            ),
            ServiceActivity(
                grid=gw.building1,
                title="宣传",
                kind="publicity",
                held_on=date(2024, 4, 5),
                residents_served=10,
            ),
            ServiceActivity(
                grid=gw.grid2,
                title="巡查",
                kind="safety",
                held_on=date(2024, 4, 9),
                problems_solved=2,
            ),
            ServiceActivity(grid=gw.grid2, title="去年", kind="safety", held_on=date(2023, 4, 9)),
        ]
    )
    leader = make_staff_role(world.district, "leader", "网格长", order=1)
    make_staff(gw.grid2, leader, "王长", member=world.member)
    make_staff(gw.grid2, gw.role, "群众网格员")
    make_staff(gw.grid2, gw.role, "离岗", ended_on=date(2024, 1, 1), started_on=date(2023, 1, 1))
    h1 = Household.objects.create(grid=gw.building1, address="101", head_name="a")
    h2 = Household.objects.create(grid=gw.grid2, address="102", head_name="b")
    HouseholdTag.objects.bulk_create(
        [
            HouseholdTag(household=h1, tag="elderly"),
            HouseholdTag(household=h1, tag="alone"),
            HouseholdTag(household=h2, tag="elderly"),
        ]
    )
    return gw


def test_community_figures(busy, world):
    base = Grid.objects.subtree_of(busy.community)
    fig = grid_figures(
        base, date(2024, 1, 1), date(2024, 12, 31), breakdown_of=[busy.grid1, busy.grid2]
    )
    assert (fig.grids, fig.activities, fig.residents_served, fig.problems_solved) == (5, 3, 30, 3)
    assert fig.activities_by_month == [("2024-03", 1), ("2024-04", 2)]
    # 姜君 (grid1) + 王长 (member) + 群众网格员; the one who left in January is not counted.
    assert (fig.staff, fig.party_staff, fig.party_share) == (3, 1, 33)
    assert fig.staff_by_role == [("专职网格员", 2, 0), ("网格长", 1, 1)]
    assert dict(fig.households_by_tag)["高龄老人"] == 2 and dict(fig.households_by_tag)["独居"] == 1
    assert fig.central_households == 1
    rows = {r.grid.code: (r.activities, r.staff, r.party_staff) for r in fig.breakdown}
    assert rows == {"RX-01": (2, 1, 0), "RX-02": (1, 2, 1)}


def test_figures_page_queries_do_not_grow(busy, world, login, django_assert_max_num_queries):
    client = login(world.users["street_admin"])
    with django_assert_max_num_queries(30):
        response = client.get(f"/grid/{busy.community.pk}/figures/?start=2024-01-01&end=2024-12-31")
    assert response.status_code == 200
    html = response.content.decode()
    assert "grid-chart-data" in html and "echarts-5.6.0.min.js" in html
    for i in range(30):
        Grid.objects.add_child(
            busy.grid2.__class__.objects.get(pk=busy.grid2.pk),
            {"code": f"Z{i}", "name": f"片区{i}", "kind": "zone"},
        )
    with django_assert_max_num_queries(30):
        client.get(f"/grid/{busy.community.pk}/figures/?start=2024-01-01&end=2024-12-31")


def test_street_figures_for_grid_worker_cover_own_grids_only(busy, world, login):
    client = login(busy.worker)
    url = f"/grid/org/{busy.general_branch.pk}/figures/?start=2024-01-01&end=2024-12-31"
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    fig = response.context["fig"]
    assert fig.activities == 2 and fig.staff == 1  # grid1's subtree only
    assert "第二网格" not in html


def test_street_figures_for_street_admin(busy, world, login):
    response = login(world.users["street_admin"]).get(
        f"/grid/org/{world.street.pk}/figures/?start=2024-01-01&end=2024-12-31"
    )
    fig = response.context["fig"]
    assert fig.activities == 3 and [r.grid.code for r in fig.breakdown] == ["RX"]
    assert (
        login(world.users["outsider"]).get(f"/grid/org/{world.street.pk}/figures/").status_code
        == 404
    )


def test_map_geojson_on_page(busy, world, login):
    Grid.objects.filter(pk=busy.grid1.pk).update(
        geometry={
            "type": "Polygon",
            "coordinates": [[[121, 37], [121.1, 37], [121.1, 37.1], [121, 37]]],
        }
    )
    html = (
        login(world.users["street_admin"])
        .get(f"/grid/{busy.community.pk}/figures/")
        .content.decode()
    )
    assert '"FeatureCollection"' in html and "registerMap" in html


def test_period_reversed_is_swapped(busy, world, login):
    response = login(world.users["street_admin"]).get(
        f"/grid/{busy.community.pk}/figures/?start=2024-12-31&end=2024-01-01"
    )
    assert response.context["fig"].activities == 3


def test_indicator_counts_activities_per_org(busy, world):
    compute = INDICATORS["grid.activities"].compute
    result = compute([world.street, busy.grid_branch, world.other_street], 2024)
    assert result == {world.street.pk: 3, busy.grid_branch.pk: 2, world.other_street.pk: 0}


def test_scope_used_for_figures(busy):
    assert scope_grids(busy.worker).count() == 3
