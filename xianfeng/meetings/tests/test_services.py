"""Meetings, attendees, attendance, QR sign-in, reviews, plans and reminders."""

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xianfeng.core.errors import DomainError
from xianfeng.core.events import INDICATORS, point_event
from xianfeng.meetings import plans, services
from xianfeng.meetings.models import AttendanceStatus, PlanItem, Reminder, ReviewResult
from xianfeng.meetings.rules import MeetingKind
from xianfeng.members.models import Member
from xianfeng.testing import make_member

from .factories import committee, meeting

K = MeetingKind
pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    point_event.connect(listener, weak=False)
    yield received
    point_event.disconnect(listener)


def soon(minutes=30):
    return timezone.now() + timedelta(minutes=minutes)


def test_attendees_come_from_the_organization_and_its_groups(world):
    make_member(world.group, "组员")
    m = meeting(world.branch, K.THEME_DAY, starts_at=soon(), held=False)
    names = set(m.attendances.values_list("member__name", flat=True))
    assert names == {"张三", "李四", "李五", "李六", "组员"}


def test_committee_meeting_invites_the_committee_and_checks_quorum(world):
    committee(world)
    m = meeting(world.branch, K.COMMITTEE_MEETING, starts_at=soon(), held=False)
    ids = list(m.attendances.values_list("member_id", flat=True))
    assert len(ids) == 3
    marks = {ids[0]: ("present", ""), ids[1]: ("leave", "出差"), ids[2]: ("absent", "")}
    counts = services.mark_attendance(m, marks, actor=world.users["branch_secretary"])
    assert counts == {
        "planned": 3,
        "present": 1,
        "leave": 1,
        "absent": 1,
        "unmarked": 0,
        "quorum": False,
        "seats": 3,
        "present_seats": 1,
    }
    counts = services.mark_attendance(
        m, {ids[1]: ("present", "")}, actor=world.users["branch_secretary"]
    )
    assert counts["present"] == 2 and counts["quorum"] is True


def test_quorum_counts_seats_on_the_meeting_date_and_half_is_enough(world):
    members = list(world.branch.members.order_by("id")[:4])
    committee(world, members=members)
    m = meeting(world.branch, K.COMMITTEE_MEETING, starts_at=soon(), held=False)
    rows = {a.member_id: a for a in m.attendances.all()}
    # A non-member invited and present does not count towards the committee's quorum.
    outsider = make_member(world.branch, "列席党员")
    m.attendances.create(member=outsider, status="present")
    marks = {members[0].pk: ("present", ""), members[1].pk: ("absent", "")}
    counts = services.mark_attendance(m, marks, actor=world.users["branch_secretary"])
    assert (counts["present_seats"], counts["seats"], counts["quorum"]) == (1, 4, False)
    # Exactly half of four seats: 半数以上 includes half.
    counts = services.mark_attendance(
        m, {members[2].pk: ("present", "")}, actor=world.users["branch_secretary"]
    )
    assert (counts["present_seats"], counts["seats"], counts["quorum"]) == (2, 4, True)
    # Dropping an invitee from the list does not lower the bar: the seats stay four.
    rows[members[3].pk].delete()
    assert services.attendance_counts(m)["seats"] == 4


def test_committee_meeting_needs_a_committee(world):
    with pytest.raises(DomainError, match="未设支部委员会"):
        meeting(world.branch, K.COMMITTEE_MEETING, starts_at=soon())


def test_group_meetings_belong_to_groups(world):
    with pytest.raises(DomainError, match="党小组会须由党小组召开"):
        meeting(world.branch, K.GROUP_MEETING, starts_at=soon())
    with pytest.raises(DomainError, match="党小组只能召开党小组会"):
        meeting(world.group, K.THEME_DAY, starts_at=soon())


def test_local_kind_needs_a_name(world):
    with pytest.raises(DomainError, match="自定义"):
        meeting(world.branch, K.LOCAL, starts_at=soon())
    m = meeting(world.branch, K.LOCAL, starts_at=soon(), local_kind="党员志愿服务日")
    assert m.kind_label == "党员志愿服务日"


def test_presider_must_belong_to_the_organization(world):
    with pytest.raises(DomainError, match="须为本组织的党员"):
        meeting(world.branch, K.THEME_DAY, starts_at=soon(), presided_by=world.other_member)


def test_leave_needs_a_reason_and_marks_are_all_or_nothing(world):
    m = meeting(world.branch, K.THEME_DAY, starts_at=soon(), held=False)
    other = world.branch.members.exclude(pk=world.member.pk).first()
    marks = {world.member.pk: ("present", ""), other.pk: ("leave", "")}
    with pytest.raises(DomainError, match="请假须填写事由"):
        services.mark_attendance(m, marks, actor=world.users["branch_secretary"])
    assert not m.attendances.exclude(status=AttendanceStatus.INVITED).exists()


def test_only_invited_members_can_be_marked(world):
    m = meeting(world.branch, K.THEME_DAY, starts_at=soon(), held=False)
    with pytest.raises(DomainError, match="不在本次会议的参会名单中"):
        services.mark_attendance(
            m, {world.other_member.pk: ("present", "")}, actor=world.users["admin"]
        )


def test_present_marks_send_one_point_event_each(world, events):
    m = meeting(world.branch, K.THEME_DAY, starts_at=soon(), held=False)
    services.mark_attendance(
        m, {world.member.pk: ("present", "")}, actor=world.users["branch_secretary"]
    )
    services.mark_attendance(  # unchanged: no second event
        m, {world.member.pk: ("present", "")}, actor=world.users["branch_secretary"]
    )
    assert len(events) == 1
    assert events[0]["rule_code"] == "meeting.attend"
    assert events[0]["member"] == world.member
    assert events[0]["source"].meeting_id == m.pk


def test_no_points_when_the_transaction_rolls_back(world):
    from xianfeng.points.models import PendingBooking, PointEvent

    m = meeting(world.branch, K.THEME_DAY, starts_at=soon(), held=False)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.mark_attendance(m, {world.member.pk: ("present", "")}, actor=None)
        raise RuntimeError("the attendance is not saved")
    assert not PointEvent.objects.filter(rule_code="meeting.attend").exists()
    assert not PendingBooking.objects.exists()


def test_qr_sign_in_for_invited_members_around_the_start(
    world, events, django_capture_on_commit_callbacks
):
    start = timezone.now() + timedelta(hours=3)
    m = meeting(world.branch, K.THEME_DAY, starts_at=start, held=False)
    user = world.users["member"]
    with pytest.raises(DomainError, match="不在签到时间内"):
        services.sign_in(m, world.member, actor=user, now=start - timedelta(minutes=61))
    with pytest.raises(DomainError, match="不在签到时间内"):
        services.sign_in(m, world.member, actor=user, now=start + timedelta(minutes=121))
    with pytest.raises(DomainError, match="不在本次会议的参会名单中"):
        services.sign_in(m, world.other_member, actor=user, now=start)
    with django_capture_on_commit_callbacks(execute=True):
        row, new = services.sign_in(m, world.member, actor=user, now=start - timedelta(hours=1))
    assert new and row.status == AttendanceStatus.PRESENT and row.method == "qr"
    _row, again = services.sign_in(m, world.member, actor=user, now=start + timedelta(hours=2))
    assert not again
    assert len(events) == 1


def test_sign_in_token_is_signed(world):
    m = meeting(world.branch, K.THEME_DAY, starts_at=soon(), held=False)
    token = services.signin_token(m)
    assert services.meeting_pk_from_token(token) == m.pk
    assert services.meeting_pk_from_token(token[:-1] + "x") is None
    assert services.meeting_pk_from_token(f"{m.pk + 1}:{token.split(':')[1]}") is None


def test_attendees_can_be_edited_but_marked_ones_stay(world):
    m = meeting(world.branch, K.THEME_DAY, starts_at=soon(), held=False)
    services.mark_attendance(m, {world.member.pk: ("present", "")}, actor=None)
    other = world.branch.members.exclude(pk=world.member.pk).first()
    services.set_attendees(m, [other.pk], actor=None)
    assert set(m.attendances.values_list("member_id", flat=True)) == {world.member.pk, other.pk}
    with pytest.raises(DomainError, match="本组织的党员"):
        services.set_attendees(m, [world.other_member.pk], actor=None)
    with pytest.raises(DomainError, match="至少选择一名"):
        services.set_attendees(m, [], actor=None)


def test_minutes_make_a_meeting_held_only_after_it_started(world):
    m = meeting(world.branch, K.THEME_DAY, starts_at=soon(), held=False)
    with pytest.raises(DomainError, match="尚未开始"):
        services.record_minutes(m, minutes="记录", actor=None)
    past = meeting(world.branch, K.THEME_DAY, date(2025, 3, 8), held=False)
    assert services.record_minutes(past, minutes="记录", actor=None).status == "held"


def test_attendance_rate_counts_held_meetings_in_the_period(world):
    first = meeting(world.branch, K.THEME_DAY, date(2025, 3, 8))
    meeting(world.branch, K.GENERAL_ASSEMBLY, date(2025, 5, 8))
    meeting(world.branch, K.THEME_DAY, date(2025, 5, 9), held=False)  # not held: not counted
    services.mark_attendance(first, {world.member.pk: ("present", "")}, actor=None)
    assert services.attendance_rate(world.member, date(2025, 1, 1), date(2025, 12, 31)) == 0.5
    assert services.attendance_rate(world.member, date(2025, 1, 1), date(2025, 3, 31)) == 1.0
    assert services.attendance_rate(world.member, date(2024, 1, 1), date(2024, 12, 31)) is None


def test_review_kept_once_per_year(world):
    services.record_review(world.member, 2025, grade="excellent", votes_excellent=3, actor=None)
    services.record_review(world.member, 2025, grade="qualified", basis="互评", actor=None)
    services.record_review(world.member, 2024, grade="qualified", basis="互评", actor=None)
    assert ReviewResult.objects.filter(member=world.member).count() == 2
    assert ReviewResult.objects.get(member=world.member, year=2025).grade == "qualified"
    with pytest.raises(DomainError, match="票数或评定依据"):
        services.record_review(world.member, 2023, grade="qualified", actor=None)
    with pytest.raises(DomainError, match="等次无效"):
        services.record_review(world.member, 2023, grade="great", basis="x", actor=None)


def test_plan_copied_forward_and_linked_when_held(world):
    plans.add_plan_item(world.branch, kind=K.THEME_DAY, due_on=date(2025, 3, 8), actor=None)
    plans.add_plan_item(world.branch, kind=K.LIFE_MEETING, due_on=date(2025, 12, 20), actor=None)
    with pytest.raises(DomainError, match="已计划同类会议"):
        plans.add_plan_item(world.branch, kind=K.THEME_DAY, due_on=date(2025, 3, 8), actor=None)
    assert plans.copy_plan(world.branch, 2025, actor=None) == 2
    assert plans.copy_plan(world.branch, 2025, actor=None) == 0  # already there
    assert set(PlanItem.objects.filter(year=2026).values_list("due_on", flat=True)) == {
        date(2026, 3, 8),
        date(2026, 12, 20),
    }
    held = meeting(world.branch, K.THEME_DAY, date(2025, 3, 9))
    assert PlanItem.objects.get(due_on=date(2025, 3, 8)).meeting == held


def test_reminders_before_due_and_to_the_level_above_when_missed(world):
    today = date(2025, 6, 10)
    plans.add_plan_item(world.branch, kind=K.THEME_DAY, due_on=date(2025, 6, 12), actor=None)
    plans.add_plan_item(world.branch, kind=K.GENERAL_ASSEMBLY, due_on=date(2025, 6, 1), actor=None)
    plans.add_plan_item(world.branch2, kind=K.THEME_DAY, due_on=date(2025, 6, 5), actor=None)
    meeting(world.branch2, K.THEME_DAY, date(2025, 6, 5))
    assert plans.send_reminders(today) == 2
    assert plans.send_reminders(today) == 0
    due = Reminder.objects.get(kind="due")
    missed = Reminder.objects.get(kind="missed")
    assert due.organization == world.branch and "主题党日" in due.message
    assert missed.organization == world.street  # the level above the branch
    assert "支部党员大会" in missed.message


def test_indicator_registered_with_share_of_rules_met(world):
    ind = INDICATORS["meetings.compliance"]
    for m in range(1, 13):
        meeting(world.branch, K.THEME_DAY, date(2025, m, 8))
    values = ind.compute(
        type(world.branch).objects.filter(pk__in=[world.branch.pk, world.street.pk]), 2025
    )
    assert values[world.street.pk] is None  # no rule binds a street committee itself
    assert 0 < values[world.branch.pk] < 100


def test_review_input_maps_grades_and_leaves_the_unreviewed_open(world):
    from xianfeng.core.events import MEMBER_INPUTS
    from xianfeng.meetings.models import ReviewResult
    from xianfeng.members.models import Member

    ReviewResult.objects.create(
        member=world.member, organization=world.branch, year=2026, grade="excellent"
    )
    members = Member.objects.filter(organization=world.branch)
    scores = MEMBER_INPUTS["review"].compute(members, 2026)
    assert scores[world.member.pk] == 100
    assert [v for pk, v in scores.items() if pk != world.member.pk] == [None] * (len(scores) - 1)


def test_probationary_members_take_part_without_a_grade(world):
    probationary = Member.objects.get(name="王五")
    with pytest.raises(DomainError, match="预备党员：参加民主评议，但不评定等次"):
        services.record_review(probationary, 2025, grade="qualified", basis="表现", actor=None)
    # Confirmed in 2026: still probationary at the end of 2025.
    late = make_member(
        world.branch, "次年转正", joined_on=date(2025, 3, 1), confirmed_on=date(2026, 3, 1)
    )
    with pytest.raises(DomainError, match="不评定等次"):
        services.record_review(late, 2025, grade="qualified", basis="表现", actor=None)
    services.record_review(late, 2026, grade="qualified", basis="表现", actor=None)


@pytest.mark.parametrize(("excellent", "warned"), [(1, False), (2, True)])
def test_at_most_a_third_excellent(world, excellent, warned):
    members = list(world.branch.members.filter(category="full").order_by("id")[:3])
    for i, member in enumerate(members):
        grade = "excellent" if i < excellent else "qualified"
        services.record_review(member, 2025, grade=grade, basis="表现", actor=None)
    assert bool(services.review_warnings(world.branch, 2025)) is warned


def test_reminders_reach_the_organizers_through_the_notification_centre(world):
    from xianfeng.notices.models import Notice, NoticeKind

    plans.add_plan_item(world.branch, kind=K.THEME_DAY, due_on=date(2025, 6, 12), actor=None)
    plans.add_plan_item(world.branch, kind=K.GENERAL_ASSEMBLY, due_on=date(2025, 6, 1), actor=None)
    plans.send_reminders(date(2025, 6, 10))
    plans.send_reminders(date(2025, 6, 10))
    notices = Notice.objects.filter(kind=NoticeKind.MEETING_REMINDER)
    due = notices.get(recipient=world.users["branch_secretary"])
    assert due.title == "会议即将到期" and "主题党日" in due.body
    missed = notices.get(recipient=world.users["committee_secretary"])
    assert missed.title == "会议未按计划召开" and "党员大会" in missed.body
    assert not notices.filter(recipient=world.users["member"]).exists()


def test_meeting_notice_reaches_invited_members_once(world):
    from xianfeng.notices.models import Notice, NoticeKind

    m = meeting(world.branch, K.THEME_DAY, starts_at=soon(), held=False)
    services.send_notice(m, actor=world.users["branch_secretary"])
    services.send_notice(m, actor=world.users["branch_secretary"])
    (notice,) = Notice.objects.filter(kind=NoticeKind.MEETING)
    assert notice.recipient == world.users["member"] and notice.link == f"/meetings/{m.pk}/"


def marking_queries(world, marked):
    m = meeting(world.branch, K.THEME_DAY, starts_at=soon(), held=False)
    rows = list(m.attendances.order_by("member_id").values_list("member_id", flat=True))
    marks = {pk: ("present", "") if i % 4 else ("absent", "") for i, pk in enumerate(rows)}
    marks = dict(list(marks.items())[:marked])
    with CaptureQueriesContext(connection) as ctx:
        services.mark_attendance(m, marks, actor=world.users["branch_secretary"])
    return [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_marking_a_meeting_costs_the_same_queries_for_four_marks_or_nineteen(world):
    from xianfeng.points.models import PointEvent

    for n in range(15):
        make_member(world.branch, f"党员{n}")
    marking_queries(world, 19)  # every attendee has this month's point totals from here on
    few, many = marking_queries(world, 4), marking_queries(world, 19)
    assert len(few) == len(many), "\n".join(q[:120] for q in many)
    assert PointEvent.objects.count() == 19 + 4 + 19  # one event per mark (attend or absent)
