"""Cross-module flows, each from the sending service to the final figure (docs/modules/flows.md).

sender (a use case of another app) → rule (points catalogue, the most specific scope) →
ledger row (`PointEvent`) → indicator (`points.per_member`, `requests.on_time_rate`) → star.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from xianfeng.assessment.models import BranchAssessment, ItemScore, StarRating
from xianfeng.assessment.services import evaluate_round
from xianfeng.assessment.tests.factories import make_standard
from xianfeng.core.events import INDICATORS
from xianfeng.dues import services as dues
from xianfeng.dues.models import PaymentMethod
from xianfeng.dues.rules import IncomeCategory
from xianfeng.grid import services_people as grid_people
from xianfeng.grid.testing import build_grid_world
from xianfeng.meetings import services as meetings
from xianfeng.meetings.models import Meeting, MeetingStatus
from xianfeng.meetings.rules import MeetingKind
from xianfeng.points.models import PointEvent, PointTotal
from xianfeng.points.services import create_rule
from xianfeng.resident_requests import services as requests
from xianfeng.resident_requests.models import ResidentRequest
from xianfeng.resident_requests.testing import central_login, make_category, make_request
from xianfeng.service import services as service
from xianfeng.service import volunteering
from xianfeng.testing import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the block's on-commit callbacks (the senders announce after their commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def ledger(member):
    return list(
        PointEvent.objects.filter(member=member)
        .order_by("id")
        .values_list("rule_code", "kind", "points")
    )


def year_total(member):
    row = PointTotal.objects.filter(member=member, period=str(timezone.localdate().year)).first()
    return row.total if row else 0


def held_meeting(org):
    today = timezone.localdate()
    start = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.min.time()))
    meeting = meetings.create_meeting(
        org,
        kind=MeetingKind.THEME_DAY,
        topic="主题党日",
        starts_at=start + timedelta(hours=9),
        actor=None,
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    return meeting


def test_meeting_attendance_to_points_indicator_and_star(world, commit):
    """Present → +2, corrected to absent → reversal and −3, back to present → +2 again; the
    year's points per member is the indicator, and the star follows from it."""
    secretary = world.users["branch_secretary"]
    meeting = held_meeting(world.branch)
    member = world.member
    with commit():
        meetings.mark_attendance(meeting, {member.pk: ("present", "")}, actor=secretary)
    assert ledger(member) == [("meeting.attend", "auto", 2)]
    with commit():
        meetings.mark_attendance(meeting, {member.pk: ("absent", "")}, actor=secretary)
    assert ledger(member)[1:] == [
        ("meeting.attend", "reversal", -2),
        ("absent.meeting", "auto", -3),
    ]
    with commit():
        meetings.mark_attendance(meeting, {member.pk: ("present", "")}, actor=secretary)
    # One marking books its events together at its end (points.book_many), so the reversal
    # of the absence and the new attendance are two rows of one write, in either order.
    assert sorted(ledger(member)[3:]) == [
        ("absent.meeting", "reversal", 3),
        ("meeting.attend", "auto", 2),
    ]
    assert year_total(member) == 2

    year = timezone.localdate().year
    per_member = INDICATORS["points.per_member"].compute([world.branch], year)[world.branch.pk]
    world.branch.refresh_from_db()
    assert per_member == (Decimal(2) / world.branch.member_count).quantize(Decimal("0.1"))
    make_standard(
        year=year, items=[("党员人均积分", 100, "points.per_member", Decimal(per_member))]
    )
    evaluate_round(world.street, year, actor=None)
    rating = StarRating.objects.get(organization=world.branch, year=year)
    assert (rating.computed_stars, rating.weak_and_lax) == (5, False)  # at the target: 100 %


def test_volunteer_hours_pay_per_started_hour(world, commit):
    volunteer = volunteering.register_volunteer(
        world.branch,
        actor=None,
        name=world.member.name,
        phone="13900000001",
        registered_on=date(2026, 1, 1),
        member=world.member,
    )
    start = timezone.now() + timedelta(minutes=10)
    activity = volunteering.publish_activity(
        world.branch,
        actor=None,
        title="清洁家园",
        place="北关社区",
        starts_at=start,
        ends_at=start + timedelta(hours=2, minutes=30),
        capacity=10,
    )
    signup = volunteering.sign_up(activity, volunteer, actor=None)
    with commit():
        signup = volunteering.sign_in(signup, actor=None)
    assert signup.hours == Decimal("2.5")
    assert ledger(world.member) == [("volunteer.hours", "auto", 3)]  # 2.5 h → 3 started hours


def test_dual_check_in_service_hours_earn_volunteer_points(world, commit):
    check_in = service.register_check_in(
        world.branch, actor=None, registered_on=date(2026, 1, 1), member=world.other_member
    )
    with commit():
        service.record_service(
            check_in, actor=None, served_on=timezone.localdate(), content="帮扶", hours=Decimal("4")
        )
    assert ledger(world.other_member) == [("volunteer.hours", "auto", 4)]


def test_late_dues_book_a_deduction(world, commit):
    member = world.member
    dues.set_dues_basis(
        member,
        category=IncomeCategory.SALARIED,
        income=Decimal("5000"),
        from_month=date(2025, 1, 1),
        actor=None,
    )
    with commit():
        dues.record_payment(
            member,
            date(2025, 1, 1),
            paid_on=date(2025, 1, 20),
            method=PaymentMethod.SELF,
            actor=None,
        )
        dues.record_payment(
            member,
            date(2025, 2, 1),
            paid_on=date(2025, 3, 5),
            method=PaymentMethod.SELF,
            actor=None,
        )
    assert ledger(member) == [("dues.late", "auto", -2)]


def test_grid_service_activity_uses_the_catalogue_code_and_a_street_override(world, commit):
    gw = build_grid_world(world)
    member = gw.central.member
    create_rule(
        code="service.activity",
        name="社区便民服务(北坦街道)",
        points=4,
        cap_month=20,
        valid_from=date(2020, 1, 1),
        scope=world.street,
        actor=None,
    )
    with commit():
        grid_people.record_activity(
            gw.grid1,
            title="义诊",
            kind="service",
            held_on=timezone.localdate(),
            members=[member],
            actor=None,
        )
    assert ledger(member) == [("service.activity", "auto", 4)]  # the street's value, same code


def test_every_member_taking_part_in_a_grid_activity_earns_its_points(world, commit):
    gw = build_grid_world(world)
    first, second = gw.central.member, make_member(world.branch, "李向东")
    with commit():
        grid_people.record_activity(
            gw.grid1,
            title="清理楼道",
            kind="service",
            held_on=timezone.localdate(),
            members=[first, second],
            actor=None,
        )
    assert [r[0] for r in ledger(first)] == ["service.activity"]
    assert [r[0] for r in ledger(second)] == ["service.activity"]


def test_requests_on_time_rate_counts_every_request_due_and_moves_the_star(world, commit):
    gw = build_grid_world(world)
    category = make_category()
    zhao = central_login(gw)
    on_time = make_request(grid=gw.building1, category=category)
    requests.accept_request(on_time, actor=zhao)
    with commit():
        requests.solve_request(on_time, actor=zhao, note="已办理")
    assert ledger(gw.central.member) == [("request.solved", "auto", 3)]
    overdue = make_request(grid=gw.building1, category=category)  # open past its deadline
    unsolved = make_request(grid=gw.building1, category=category)
    requests.accept_request(unsolved, actor=zhao)
    requests.close_unsolved(unsolved, actor=zhao, reason="无法解决")
    not_yet_due = make_request(grid=gw.building1, category=category)
    past = timezone.now() - timedelta(hours=1)
    ResidentRequest.objects.filter(pk__in=[overdue.pk, unsolved.pk]).update(finish_due=past)
    assert ResidentRequest.objects.get(pk=not_yet_due.pk).finish_due > timezone.now()

    year = timezone.localdate().year
    rate = INDICATORS["requests.on_time_rate"].compute([gw.grid_branch], year)[gw.grid_branch.pk]
    assert rate == round(100 / 3, 1)  # 1 on time of 3 due; the open one not yet due is out
    make_standard(
        domain=gw.grid_branch.domain,
        year=year,
        items=[("网格诉求按时办结", 50, "requests.on_time_rate", 100), ("班子建设", 50, "", 0)],
    )
    evaluate_round(world.street, year, actor=None)
    assessment = BranchAssessment.objects.get(organization=gw.grid_branch, year=year)
    assert assessment.score == Decimal("16.65")  # 50 × 33.3 %; the reviewed item has no score


def test_an_indicator_without_data_is_left_out_and_the_total_rescaled(world):
    year = timezone.localdate().year
    make_standard(
        year=year,
        items=[
            ("网格诉求按时办结", 50, "requests.on_time_rate", 100),
            ("党费收缴", 50, "dues.collection", 100),
        ],
    )
    # No request in the branch this year: 无数据; dues: nobody owes anything yet either way.
    evaluate_round(world.street, year, actor=None)
    assessment = BranchAssessment.objects.get(organization=world.branch, year=year)
    item = ItemScore.objects.get(assessment=assessment, item__code="requests.on_time_rate")
    assert (item.value, item.counted) == (None, False)
    counted = ItemScore.objects.filter(assessment=assessment, counted=True)
    assert assessment.max_score == sum(s.item.max_score for s in counted)
    assert assessment.max_score < 100


def test_the_member_card_qr_signs_in_to_a_meeting_and_a_volunteer_activity(world, login, commit):
    from django.urls import reverse

    from xianfeng.meetings.models import Attendance
    from xianfeng.points.card import token_for

    member = world.member
    start = timezone.now() + timedelta(minutes=20)
    meeting = meetings.create_meeting(
        world.branch, kind=MeetingKind.THEME_DAY, topic="主题党日", starts_at=start, actor=None
    )
    volunteer = volunteering.register_volunteer(
        world.branch,
        actor=None,
        name=member.name,
        phone="13900000002",
        registered_on=date(2026, 1, 1),
        member=member,
    )
    activity = volunteering.publish_activity(
        world.branch,
        actor=None,
        title="敬老助餐",
        place="北关社区",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=5,
    )
    signup = volunteering.sign_up(activity, volunteer, actor=None)
    client = login(world.users["branch_secretary"])
    url = reverse("points:scan", args=[token_for(member)])
    page = client.get(url)
    assert list(page.context["meetings"]) == [meeting]
    assert list(page.context["signups"]) == [signup]
    with commit():
        client.post(url, {"meeting": meeting.pk})
        client.post(url, {"signup": signup.pk})
    row = Attendance.objects.get(meeting=meeting, member=member)
    assert (row.status, row.method) == ("present", "qr")
    signup.refresh_from_db()
    assert signup.status == "attended" and signup.hours == Decimal("2.0")
    assert sorted(c for c, _k, _p in ledger(member)) == ["meeting.attend", "volunteer.hours"]
    page = client.get(url)
    assert not page.context["meetings"] and not page.context["signups"]
    outsider = login(world.users["outsider"])
    assert outsider.get(url).status_code == 404
