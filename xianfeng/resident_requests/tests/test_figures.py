"""三率 and the other figures, in a fixed number of grouped queries; the on-time indicator."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from xianfeng.core.events import INDICATORS

from .. import services
from ..figures import request_figures, request_map, requests_in
from ..models import ResidentRequest
from ..testing import central_login, make_request


def _scenario(gw, category):
    zhao = central_login(gw)
    solved = make_request(grid=gw.building1, category=category)
    services.accept_request(solved, actor=zhao)
    services.solve_request(solved, actor=zhao, note="好了")
    services.rate_request(solved, rating=5)
    late = make_request(grid=gw.building1, category=category)
    services.accept_request(late, actor=zhao)
    services.escalate_request(late, actor=zhao, reason="需协调")
    services.solve_request(late, actor=zhao, note="好了")
    services.rate_request(late, rating=2)
    ResidentRequest.objects.filter(pk=late.pk).update(
        finish_due=timezone.now() - timedelta(hours=1)
    )
    make_request(grid=gw.grid2, category=category)  # new, unanswered
    return zhao


def test_figures_for_a_community(gw, category, django_assert_max_num_queries):
    _scenario(gw, category)
    today = timezone.localdate()
    with django_assert_max_num_queries(5):
        data = request_figures(requests_in(gw.general_branch.path, today, today))
    t = data["totals"]
    assert (t["total"], t["responded"], t["solved"], t["rated"]) == (3, 2, 2, 2)
    assert t["response_rate"] == 66.7 and t["resolution_rate"] == 66.7
    assert t["on_time_rate"] == 50.0 and t["satisfaction_rate"] == 50.0
    assert t["avg_respond"] is not None and t["avg_finish"] is not None
    assert dict(data["by_status"]) == {"已办结": 2, "待受理": 1}
    assert [(e["level_label"], e["n"]) for e in data["escalations"]] == [("楼栋党小组", 1)]
    assert {r["grid__name"]: r["total"] for r in data["by_grid"]} == {"1号楼": 2, "第二网格": 1}


def test_figures_for_a_single_grid_and_an_empty_period(gw, category):
    _scenario(gw, category)
    today = timezone.localdate()
    one = request_figures(requests_in(gw.general_branch.path, today, today, grid=gw.grid2))
    assert one["totals"]["total"] == 1 and one["totals"]["on_time_rate"] is None
    past = today - timedelta(days=30)
    assert request_figures(requests_in("", past, past))["totals"]["total"] == 0


def test_on_time_indicator(world, gw, category):
    _scenario(gw, category)
    compute = INDICATORS["requests.on_time_rate"].compute
    values = compute([world.street, gw.grid_branch, world.branch], timezone.now().year)
    assert values == {world.street.pk: 50.0, gw.grid_branch.pk: 50.0, world.branch.pk: None}


def test_figures_page(login, world, gw, category):
    _scenario(gw, category)
    page = login(world.users["street_admin"]).get(
        reverse("requests:figures"), {"org": world.street.pk}
    )
    assert page.status_code == 200 and "66.7" in page.content.decode()
    hidden = login(world.users["outsider"]).get(
        reverse("requests:figures"), {"org": world.street.pk}
    )
    assert hidden.status_code == 404


def test_figures_page_for_one_grid(login, world, gw, category):
    _scenario(gw, category)
    client = login(world.users["street_admin"])
    page = client.get(reverse("requests:figures"), {"org": world.street.pk, "grid": gw.grid2.code})
    assert page.status_code == 200 and page.context["data"]["totals"]["total"] == 1
    outside = login(world.users["outsider"]).get(
        reverse("requests:figures"), {"grid": gw.grid2.code}
    )
    assert outside.status_code == 404


def test_the_map_colours_grids_by_open_and_overdue_requests(login, world, gw, category):
    from .shapes import POINTS, draw

    draw(gw)
    lat, long = POINTS["building1"]
    late = make_request(grid=gw.building1, category=category, lat=lat, long=long)
    ResidentRequest.objects.filter(pk=late.pk).update(next_due=timezone.now() - timedelta(hours=1))
    make_request(grid=gw.building2, category=category)
    data = request_map(requests_in(world.street.path, timezone.localdate(), timezone.localdate()))
    by_name = {f["properties"]["name"]: f["properties"] for f in data["grids"]["features"]}
    assert by_name["1号楼"] == {"name": "1号楼", "total": 1, "open": 1, "overdue": 1}
    assert by_name["2号楼"]["overdue"] == 0 and by_name["2号楼"]["open"] == 1
    assert data["points"] == [
        {
            "lat": 36.651,
            "long": 117.111,
            "code": late.tracking_code,
            "category": category.name,
            "overdue": True,
        }
    ]
    page = login(world.users["street_admin"]).get(
        reverse("requests:figures"), {"org": world.street.pk}
    )
    assert 'id="requests-map-data"' in page.content.decode()
