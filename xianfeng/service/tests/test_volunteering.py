from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from xianfeng.core.errors import DomainError
from xianfeng.core.events import point_event
from xianfeng.service import volunteering
from xianfeng.service.models import SignupStatus, VolunteerSignup
from xianfeng.testing import in_threads, needs_pg

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 6, 6, 9, 0, tzinfo=SH)
BEFORE = START - timedelta(days=1)


def volunteer(world, name="志愿者甲", phone="13700000001", member=None):
    return volunteering.register_volunteer(
        world.branch,
        actor=None,
        name=name,
        phone=phone,
        registered_on=date(2026, 1, 1),
        member=member,
    )


def activity(world, capacity=2):
    return volunteering.publish_activity(
        world.branch,
        actor=None,
        title="清洁家园",
        place="北关社区",
        starts_at=START,
        ends_at=START + timedelta(hours=2, minutes=30),
        capacity=capacity,
    )


def test_the_limit_holds_and_cancelling_frees_a_place(world):
    a = activity(world, capacity=1)
    first = volunteering.sign_up(a, volunteer(world), actor=None, now=BEFORE)
    second = volunteer(world, "乙", "13700000002")
    with pytest.raises(DomainError, match="已满"):
        volunteering.sign_up(a, second, actor=None, now=BEFORE)
    volunteering.cancel_signup(first, actor=None, now=BEFORE)
    volunteering.sign_up(a, second, actor=None, now=BEFORE)


def test_no_sign_up_once_started_and_no_double_sign_up(world):
    a, v = activity(world), volunteer(world)
    with pytest.raises(DomainError, match="报名已截止"):
        volunteering.sign_up(a, v, actor=None, now=START)
    volunteering.sign_up(a, v, actor=None, now=BEFORE)
    with pytest.raises(DomainError, match="已报名"):
        volunteering.sign_up(a, v, actor=None, now=BEFORE)


@pytest.mark.parametrize(
    ("moment", "ok"),
    [
        (START - timedelta(hours=1, seconds=1), False),
        (START - timedelta(hours=1), True),
        (START + timedelta(hours=2, minutes=30), True),
        (START + timedelta(hours=2, minutes=30, seconds=1), False),
    ],
)
def test_sign_in_window(world, moment, ok):
    signup = volunteering.sign_up(activity(world), volunteer(world), actor=None, now=BEFORE)
    if ok:
        assert volunteering.sign_in(signup, actor=None, now=moment).hours == Decimal("2.5")
    else:
        with pytest.raises(DomainError, match="签到时间"):
            volunteering.sign_in(signup, actor=None, now=moment)


def test_signing_in_twice_credits_once_and_earns_points_once(
    world, django_capture_on_commit_callbacks
):
    v = volunteer(world, member=world.member)
    signup = volunteering.sign_up(activity(world), v, actor=None, now=BEFORE)
    heard = []

    def listen(sender, **kwargs):
        heard.append(kwargs["rule_code"])

    point_event.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            volunteering.sign_in(signup, actor=None, now=START)
            volunteering.sign_in(signup, actor=None, now=START + timedelta(minutes=5))
    finally:
        point_event.disconnect(listen)
    assert heard == ["volunteer.hours"]
    [row] = volunteering.hours_by_volunteer(type(v).objects.filter(pk=v.pk), 2026)
    assert (row.activities_n, row.hours) == (1, Decimal("2.5"))


def test_the_same_phone_registers_once_per_team(world):
    volunteer(world)
    with pytest.raises(DomainError, match="已注册"):
        volunteer(world, "同号")


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_racing_for_the_last_place(world):
    a = activity(world, capacity=1)
    rivals = [volunteer(world, f"志愿者{n}", f"1370000000{n}") for n in range(3)]
    outcomes = in_threads(
        *[lambda v=v: volunteering.sign_up(a, v, actor=None, now=BEFORE) and "ok" for v in rivals]
    )
    assert sorted(outcomes) == ["full", "full", "ok"]
    assert VolunteerSignup.objects.exclude(status=SignupStatus.CANCELLED).count() == 1


def test_certificate_and_masked_roster(world, login):
    v = volunteer(world, member=world.member)
    signup = volunteering.sign_up(activity(world), v, actor=None, now=BEFORE)
    volunteering.sign_in(signup, actor=None, now=START)
    page = login(world.users["member"]).get(
        reverse("service:certificate", args=[v.pk]) + "?year=2026"
    )
    assert "累计服务 2.5 小时" in page.content.decode()
    roster = login(world.users["grid_worker"]).get(reverse("service:volunteers")).content.decode()
    assert "137****0001" in roster
    outsider = login(world.users["outsider"])
    assert outsider.get(reverse("service:certificate", args=[v.pk])).status_code == 404


def test_member_signs_up_from_the_activity_page(world, login):
    from django.utils import timezone

    v = volunteer(world, member=world.member)
    a = volunteering.publish_activity(
        world.branch,
        actor=None,
        title="敬老",
        place="敬老院",
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=2),
        capacity=5,
    )
    client = login(world.users["member"])
    client.post(reverse("service:sign_up", args=[a.pk]))
    assert a.signups.get().volunteer == v
