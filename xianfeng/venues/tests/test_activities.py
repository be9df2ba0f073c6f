import pytest

from xianfeng.core.errors import DomainError
from xianfeng.notices.models import Delivery
from xianfeng.points.models import PointEvent
from xianfeng.venues import activities
from xianfeng.venues.models import SignupStatus

from .factories import BEFORE, activity, at, venue

pytestmark = pytest.mark.django_db


def test_waiting_list_is_promoted_on_cancellation(world, settings):
    settings.XIANFENG_NOTICE_CHANNELS = {"sms": "xianfeng.core.notify.LoggingChannel"}
    a = activity(world, venue(world), capacity=2, waitlist=1)
    one = activities.sign_up(a, name="甲", phone="13800000001", now=BEFORE)
    two = activities.sign_up(a, name="乙", phone="13800000002", now=BEFORE)
    three = activities.sign_up(a, name="丙", phone="13800000003", now=BEFORE)
    assert [one.status, two.status, three.status] == ["confirmed", "confirmed", "waiting"]
    with pytest.raises(DomainError) as exc:
        activities.sign_up(a, name="丁", phone="13800000004", now=BEFORE)
    assert exc.value.code == "full"
    with pytest.raises(DomainError) as exc:
        activities.sign_up(a, name="甲", phone="13800000001", now=BEFORE)
    assert exc.value.code == "duplicate"
    activities.cancel_signup(one, now=BEFORE)
    three.refresh_from_db()
    assert three.status == SignupStatus.CONFIRMED
    told = [d.address for d in Delivery.objects.filter(text__contains="已有名额")]
    assert told == ["13800000003"]
    # a waiting place freed promotes nobody
    four = activities.sign_up(a, name="丁", phone="13800000004", now=BEFORE)
    assert four.status == SignupStatus.WAITING
    activities.cancel_signup(four, now=BEFORE)
    assert a.signups.filter(status="confirmed").count() == 2


def test_member_attendance_books_points(world):
    a = activity(world, venue(world))
    signup = activities.sign_up(a, member=world.member, name=world.member.name, now=BEFORE)
    with pytest.raises(DomainError, match="签到时间"):
        activities.check_in(signup, now=at(7))
    activities.check_in(signup, now=at(9, 5))
    activities.check_in(signup, now=at(9, 10))  # twice counts once
    events = PointEvent.objects.filter(member=world.member, rule_code="venue.activity")
    assert events.count() == 1 and events.get().points == 2


def test_resident_attendance_books_nothing_and_waiting_cannot_check_in(world):
    a = activity(world, venue(world), capacity=1)
    first = activities.sign_up(a, name="甲", phone="13800000001", now=BEFORE)
    second = activities.sign_up(a, name="乙", phone="13800000002", now=BEFORE)
    with pytest.raises(DomainError, match="候补"):
        activities.check_in(second, now=at(9))
    activities.check_in(first, now=at(9))
    assert not PointEvent.objects.exists()


def test_qr_token_names_the_activity(world):
    a = activity(world, venue(world))
    assert activities.activity_for_token(activities.check_in_token(a)) == a
