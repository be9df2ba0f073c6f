"""The bookings outbox: a point_event commits with its sender's write, and what a crash or a
database error left is booked by the sweep, once."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from xianfeng.core.events import point_event
from xianfeng.orgs.models import Organization

from ..models import PendingBooking, PointEvent
from ..receivers import book_leftovers

pytestmark = pytest.mark.django_db


def source(world):
    return world.branch  # any saved row identifies the fact


def send(world, src):
    point_event.send(
        sender=Organization,
        member=world.member,
        rule_code="meeting.attend",
        source=src,
        occurred_on=timezone.localdate(),
        actor=None,
    )


def test_booked_with_the_senders_write_and_nothing_left(world):
    with transaction.atomic():
        send(world, source(world))
    assert PointEvent.objects.filter(member=world.member).count() == 1
    assert not PendingBooking.objects.exists()


def test_the_sender_rolling_back_leaves_no_points(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        send(world, source(world))
        raise RuntimeError("the sender's write failed")
    assert not PointEvent.objects.exists() and not PendingBooking.objects.exists()


def test_a_row_left_by_a_crash_is_booked_once_by_the_sweep(world):
    src = source(world)
    # The process died after the sender's commit, before the booking: only the fact is there.
    PendingBooking.objects.create(
        member=world.member,
        rule_code="meeting.attend",
        source_type=src._meta.label_lower,
        source_id=str(src.pk),
        occurred_on=timezone.localdate(),
    )
    assert book_leftovers() == 0, "a booking in flight is not raced"
    later = timezone.now() + timedelta(minutes=2)
    assert book_leftovers(now=later) == 1
    assert book_leftovers(now=later) == 0
    assert PointEvent.objects.filter(member=world.member).count() == 1
    # The same fact again (a resent event) books nothing new.
    send(world, src)
    assert PointEvent.objects.filter(member=world.member).count() == 1
    assert not PendingBooking.objects.exists()


def test_an_unknown_rule_is_dropped_not_retried(world, settings):
    settings.POINTS_STRICT = False  # production: logged, the sender's write stands
    point_event.send(
        sender=Organization,
        member=world.member,
        rule_code="no.such.rule",
        source=source(world),
        occurred_on=timezone.localdate(),
        actor=None,
    )
    assert not PendingBooking.objects.exists() and not PointEvent.objects.exists()
