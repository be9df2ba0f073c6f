from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from xianfeng.core.errors import DomainError
from xianfeng.service.models import CommunityCheckIn, PartnerUnit
from xianfeng.testing import in_threads, needs_pg
from xianfeng.venues import services
from xianfeng.venues.models import Booking, BookingStatus

from .factories import BEFORE, DAY, at, room, venue

pytestmark = pytest.mark.django_db


def book(r, actor, org, start, end, now=BEFORE, **kw):
    return services.book_room(
        r,
        actor=actor,
        starts_at=start,
        ends_at=end,
        booker_kind="org",
        organization=org,
        contact_name="张三",
        purpose="支部主题党日",
        attendees=10,
        now=now,
        **kw,
    )


def test_a_branch_books_and_an_overlap_is_refused(world):
    r = room(venue(world, org=world.street))
    secretary = world.users["branch_secretary"]
    first = book(r, secretary, world.branch, at(9), at(11))
    assert first.status == BookingStatus.APPROVED
    with pytest.raises(DomainError) as exc:
        book(r, secretary, world.branch, at(10), at(12))
    assert exc.value.code == "taken"
    # touching ends are no overlap
    assert book(r, secretary, world.branch, at(11), at(12)).pk


def test_booking_rules(world):
    v = venue(world, org=world.street, needs_approval=True)
    r = room(v, capacity=20)
    secretary = world.users["branch_secretary"]
    with pytest.raises(DomainError, match="开放时间"):
        book(r, secretary, world.branch, at(7), at(9))
    with pytest.raises(DomainError, match="不开放"):  # a Saturday, a day off
        book(
            r,
            secretary,
            world.branch,
            at(9, day=DAY + timedelta(days=3)),
            at(10, day=DAY + timedelta(days=3)),
        )
    with pytest.raises(DomainError, match="人数"):
        services.book_room(
            r,
            actor=secretary,
            starts_at=at(9),
            ends_at=at(10),
            booker_kind="org",
            organization=world.branch,
            contact_name="张三",
            purpose="会",
            attendees=21,
            now=BEFORE,
        )
    with pytest.raises(DomainError, match="有权管理"):  # not his organization
        book(r, secretary, world.branch2, at(9), at(10))
    pending = book(r, secretary, world.branch, at(9), at(10))
    assert pending.status == BookingStatus.PENDING  # the venue wants approval
    with pytest.raises(DomainError):
        services.decide_booking(pending, actor=secretary, approve=True)
    approved = services.decide_booking(pending, actor=world.users["street_admin"], approve=True)
    assert approved.status == BookingStatus.APPROVED


def test_unit_books_only_after_check_in(world):
    v = venue(world)
    r = room(v)
    unit = PartnerUnit.objects.create(name="区城管局", kind="organ", contact="李", phone="1")
    admin = world.users["street_admin"]
    kw = dict(
        starts_at=at(14),
        ends_at=at(15),
        booker_kind="unit",
        unit=unit,
        contact_name="李",
        purpose="共建",
        now=BEFORE,
    )
    with pytest.raises(DomainError, match="双报到"):
        services.book_room(r, actor=admin, **kw)
    CommunityCheckIn.objects.create(
        community=world.branch, kind="unit", unit=unit, registered_on=BEFORE.date()
    )
    assert services.book_room(r, actor=admin, **kw).status == BookingStatus.APPROVED


def test_check_in_no_show_and_late_cancel(world):
    v = venue(world, org=world.street, no_show_limit=2, cancel_hours=24)
    r = room(v)
    sec = world.users["branch_secretary"]
    b1 = book(r, sec, world.branch, at(9), at(10))
    with pytest.raises(DomainError, match="签到时间"):
        services.check_in_booking(b1, actor=None, now=at(8))
    assert services.check_in_booking(b1, actor=None, now=at(8, 45)).status == "checked_in"
    b2 = book(r, sec, world.branch, at(10), at(11))
    assert services.sweep_no_shows(now=at(12)) == 1
    b2.refresh_from_db()
    assert b2.status == BookingStatus.NO_SHOW
    b3 = book(r, sec, world.branch, at(14), at(15), now=at(12))
    services.cancel_booking(b3, actor=sec, now=at(13))  # an hour before: late
    b3.refresh_from_db()
    assert b3.late_cancel
    with pytest.raises(DomainError) as exc:  # two 爽约 reach the limit
        book(r, sec, world.branch, at(16), at(17), now=at(13))
    assert exc.value.code == "banned"


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_two_bookings_at_once_one_wins(world):
    r = room(venue(world, org=world.street))
    admin, sec = world.users["street_admin"], world.users["branch_secretary"]
    outcomes = in_threads(
        lambda: book(r, admin, world.branch, at(9), at(11)) and "ok",
        lambda: book(r, sec, world.branch, at(10), at(12)) and "ok",
    )
    assert sorted(outcomes) == ["ok", "taken"]
    assert Booking.objects.filter(room=r).count() == 1


@needs_pg
def test_the_database_refuses_an_overlap_without_the_service(world):
    """The exclusion constraint holds even for a write that skips the service's check."""
    r = room(venue(world))
    first = book(r, world.users["admin"], world.branch, at(9), at(11))
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            room=r,
            starts_at=at(10),
            ends_at=at(12),
            booker_kind="resident",
            contact_name="王",
            purpose="x",
            status="approved",
            token="other",
        )
    # a cancelled booking frees the time
    Booking.objects.filter(pk=first.pk).update(status="cancelled")
    Booking.objects.create(
        room=r,
        starts_at=at(10),
        ends_at=at(12),
        booker_kind="resident",
        contact_name="王",
        purpose="x",
        status="approved",
        token="third",
    )
    assert connection.vendor == "postgresql"
