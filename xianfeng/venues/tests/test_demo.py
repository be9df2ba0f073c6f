"""The venues demo module on a small tree with the demo's organization names: it runs
through the services, its past steps run on the clock, and loading twice changes nothing."""

import pytest

from xianfeng.demo import Context, clock
from xianfeng.demo import venues as demo
from xianfeng.members.models import Member
from xianfeng.orgs.models import OrgKind
from xianfeng.points.models import PointEvent
from xianfeng.testing import make_member, make_org, make_user
from xianfeng.venues.models import Activity, Booking, Signup, Venue

pytestmark = pytest.mark.django_db


def run(ctx):
    demo.load(ctx)
    for moment, _order, step in sorted(ctx.timeline, key=lambda row: row[:2]):
        with clock.at(moment):
            step()
    ctx.timeline.clear()


def test_demo_venues_load_once(world):
    make_user("admin-demo", superuser=True)
    for name in ("郭店街道党工委", "舜玉路街道党工委"):
        make_org(name, kind=OrgKind.COMMITTEE)
    beiguan = make_org("北关社区党支部", parent=world.street, code="BG1")
    for i in range(6):
        make_member(beiguan, f"北关党员{i}")
    ctx = Context()
    run(ctx)
    assert Venue.objects.count() == 5
    assert Venue.objects.get(name="十村整合邻里中心").status == "planned"
    assert Booking.objects.count() >= 8
    assert Activity.objects.count() >= 8
    assert Signup.objects.filter(status="attended").exists()
    assert PointEvent.objects.filter(rule_code="venue.activity").exists()
    counts = (Venue.objects.count(), Booking.objects.count(), Signup.objects.count())
    run(Context())
    assert (Venue.objects.count(), Booking.objects.count(), Signup.objects.count()) == counts
    assert Member.objects.exists()
