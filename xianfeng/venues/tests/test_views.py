"""Staff pages: scoped like every page (another street's venue answers 404), forms refuse
bad input with a message, and the circle's coverage counts households by their points."""

import pytest
from django.urls import reverse

from xianfeng.grid.models import GridKind, Household
from xianfeng.grid.testing import make_grid
from xianfeng.venues import circle, services
from xianfeng.venues.models import Booking

from .factories import activity, room, venue

pytestmark = pytest.mark.django_db


def test_pages_open_for_the_street_and_404_for_another_street(world, client):
    v = venue(world)
    a = activity(world, v)
    r = room(v)
    other = venue(world, org=world.other_branch, name="十里堡邻里中心")
    client.force_login(world.users["street_admin"])
    for name, args in [
        ("venues:list", []),
        ("venues:detail", [v.pk]),
        ("venues:edit", [v.pk]),
        ("venues:activities", []),
        ("venues:activity", [a.pk]),
        ("venues:bookings", []),
        ("venues:circle", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    assert client.get(reverse("venues:detail", args=[other.pk])).status_code == 404
    client.force_login(world.users["outsider"])
    assert client.get(reverse("venues:detail", args=[v.pk])).status_code == 404
    assert client.get(reverse("venues:activity", args=[a.pk])).status_code == 404
    assert client.post(reverse("venues:room_add", args=[v.pk]), {}).status_code == 404
    assert r.pk


def test_a_branch_sees_the_street_centre_but_does_not_manage_it(world, client):
    centre = venue(world, org=world.street, name="北坦街道党群服务中心")
    client.force_login(world.users["branch_secretary"])
    page = client.get(reverse("venues:detail", args=[centre.pk]))
    assert page.status_code == 200 and "添加功能室" not in page.content.decode()
    assert client.get(reverse("venues:edit", args=[centre.pk])).status_code == 404


def test_booking_through_the_page_and_bad_input(world, client):
    v = venue(world, org=world.street)
    r = room(v)
    client.force_login(world.users["branch_secretary"])
    url = reverse("venues:book", args=[v.pk])
    response = client.post(url, {"room": r.pk, "booker_kind": "org"}, follow=True)
    assert response.status_code == 200 and not Booking.objects.exists()
    data = {
        "room": r.pk,
        "booker_kind": "org",
        "organization": world.branch.pk,
        "starts_at": "2099-06-10T09:00",  # a year without calendar data: weekdays only
        "ends_at": "2099-06-10T10:00",
        "purpose": "主题党日",
        "attendees": 8,
        "contact_name": "张三",
    }
    response = client.post(url, data)
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{booking.pk}/")
    again = client.post(url, data, follow=True)  # a double submit: refused, not a 500
    assert "该时段已被预约" in again.content.decode()
    assert Booking.objects.count() == 1
    assert client.get(reverse("venues:booking", args=[booking.pk])).status_code == 200


def test_coverage_counts_households_by_point_or_building(world):
    v = venue(world, latitude=36.68, longitude=117.0)
    planned = venue(world, name="规划邻里中心", status="planned", latitude=36.70, longitude=117.0)
    community = make_grid("北关社区", kind=GridKind.COMMUNITY, organization=world.branch)
    square = {
        "type": "Polygon",
        "coordinates": [
            [
                [117.0, 36.681],
                [117.001, 36.681],
                [117.001, 36.682],
                [117.0, 36.682],
                [117.0, 36.681],
            ]
        ],
    }
    near = make_grid("1号楼", parent=community, kind=GridKind.BUILDING, geometry=square)
    far = make_grid("远处楼", parent=community, kind=GridKind.BUILDING)
    Household.objects.create(grid=near, address="101", head_name="甲")  # the building's centre
    Household.objects.create(
        grid=far, address="201", head_name="乙", latitude=36.699, longitude=117.0
    )
    Household.objects.create(grid=far, address="202", head_name="丙")  # no point anywhere
    community.refresh_from_db()
    (row,) = circle.coverage([community], [v, planned])
    assert (row["households"], row["located"], row["covered"], row["planned"]) == (3, 2, 1, 1)
    assert row["share"] == 50.0
    assert [x.name for x, _ in circle.venues_near(36.681, 117.0)] == [v.name]
    assert services.scope_venues(world.users["outsider"]).count() == 0


def test_workbench_items_inside_and_outside(world):
    from django.utils import timezone

    from xianfeng.core.workbench import todo_for
    from xianfeng.venues.testing import next_workday_at

    v = venue(world, org=world.street, needs_approval=True)
    r = room(v)
    secretary = world.users["branch_secretary"]
    services.book_room(
        r,
        actor=secretary,
        starts_at=next_workday_at(9),
        ends_at=next_workday_at(10),
        booker_kind="org",
        organization=world.branch,
        contact_name="张三",
        purpose="主题党日",
    )
    today = timezone.localdate()

    def items(user):
        return {i.kind: i.count for i in todo_for(user, today) if i.kind.startswith("venues.")}

    assert items(world.users["street_admin"]) == {"venues.pending": 1}
    assert items(secretary) == {"venues.mine": 1}
    assert items(world.users["outsider"]) == {}
