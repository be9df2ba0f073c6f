from datetime import date, timedelta

import pytest
from django.utils import timezone

from xianfeng.accounts.models import RoleGrant
from xianfeng.accounts.roles import Perm, Role
from xianfeng.accounts.scoping import can, scope_orgs
from xianfeng.core.errors import DomainError
from xianfeng.core.events import point_event
from xianfeng.instructors import services
from xianfeng.instructors.models import MeetingKind, Visit, VisitKind
from xianfeng.instructors.rules import eligibility_errors
from xianfeng.members.models import Member
from xianfeng.testing import make_member, make_user

from .factories import appoint, window

pytestmark = pytest.mark.django_db


@pytest.fixture
def wu(world):
    """李五 with a login of her own, appointed to guide 北坦社区党支部 (branch2)."""
    user = make_user("li5", member=Member.objects.get(name="李五"))
    instructor = appoint(world)
    return instructor, user


def test_party_age_of_exactly_one_year_is_enough(world):
    # Admitted 2019-03-01, confirmed a year later: 党龄 counts from 2020-03-01 (党章 第七条).
    member = make_member(
        world.branch, "新党员", joined_on=date(2019, 3, 1), confirmed_on=date(2020, 3, 1)
    )
    assert eligibility_errors(member, date(2021, 3, 1)) == []
    [error] = eligibility_errors(member, date(2021, 2, 28))
    assert "党龄不满1年" in error


def test_extended_probation_moves_party_age(world):
    # Probation extended by six months: confirmed 2020-09-01, so one year of 党龄 on 2021-09-01.
    member = make_member(
        world.branch, "延长预备期", joined_on=date(2019, 3, 1), confirmed_on=date(2020, 9, 1)
    )
    assert member.party_age(date(2021, 8, 31)) == 0
    assert eligibility_errors(member, date(2021, 9, 1)) == []


def test_probationary_members_are_not_eligible(world):
    member = Member.objects.get(name="王五")
    with pytest.raises(DomainError, match="预备党员"):
        services.appoint_instructor(
            member,
            office=world.street,
            organizations=[world.branch],
            started_on=timezone.localdate(),
            actor=world.users["street_admin"],
        )


def test_appointment_grants_the_instructor_role_on_the_assigned_org(world, wu):
    instructor, user = wu
    assert RoleGrant.objects.get(user=user).organization == world.branch2
    assert list(scope_orgs(user)) == [world.branch2]
    assert can(user, Perm.INSTRUCTOR_LOG, world.branch2)
    assert not can(user, Perm.INSTRUCTOR_LOG, world.branch)
    assert not can(user, Perm.MEMBER_CHANGE, world.branch2)


def test_ending_the_assignment_takes_the_role_back(world, wu):
    instructor, user = wu
    assignment = instructor.assignments.get()
    services.end_assignment(
        assignment, ended_on=timezone.localdate(), actor=world.users["street_admin"]
    )
    assert not RoleGrant.objects.filter(user=user, role=Role.INSTRUCTOR).exists()
    with pytest.raises(DomainError, match="已结束"):
        services.end_assignment(
            assignment, ended_on=timezone.localdate(), actor=world.users["street_admin"]
        )


def test_assignments_stay_inside_the_office(world, wu):
    instructor, _user = wu
    actor = world.users["street_admin"]
    with pytest.raises(DomainError, match="不在北坦街道党工委的下级组织中"):
        services.assign_instructor(
            instructor, world.other_branch, started_on=date(2024, 2, 1), actor=actor
        )
    with pytest.raises(DomainError, match="党小组"):
        services.assign_instructor(
            instructor, world.group, started_on=date(2024, 2, 1), actor=actor
        )
    with pytest.raises(DomainError, match="已在指导"):
        services.assign_instructor(
            instructor, world.branch2, started_on=date(2024, 2, 1), actor=actor
        )


def test_the_same_member_is_appointed_once(world, wu):
    with pytest.raises(DomainError, match="已是党建指导员"):
        appoint(world, orgs=[world.branch])


def test_visits_only_on_assigned_organizations(world, wu):
    instructor, user = wu
    day = date(2024, 3, 5)
    visit = services.record_visit(
        instructor,
        world.branch2,
        visited_on=day,
        kind=VisitKind.MEETING,
        content="列席支委会",
        actor=user,
    )
    assert visit.recorded_by == user
    with pytest.raises(DomainError, match="只能登记本人指导的党组织"):
        services.record_visit(
            instructor,
            world.branch,
            visited_on=day,
            kind=VisitKind.GUIDANCE,
            content="x",
            actor=user,
        )
    with pytest.raises(DomainError, match="未指导"):
        services.record_visit(
            instructor,
            world.branch2,
            visited_on=date(2023, 12, 1),
            kind=VisitKind.GUIDANCE,
            content="x",
            actor=user,
        )
    with pytest.raises(DomainError, match="当天该类履职记录已登记"):
        services.record_visit(
            instructor,
            world.branch2,
            visited_on=day,
            kind=VisitKind.MEETING,
            content="again",
            actor=user,
        )
    assert Visit.objects.count() == 1


def test_another_instructor_cannot_log_for_me(world, wu):
    instructor, _user = wu
    other_user = make_user("li6", member=Member.objects.get(name="李六"))
    appoint(world, name="李六", orgs=[world.branch2])
    with pytest.raises(DomainError, match="只能登记本人"):
        services.record_visit(
            instructor,
            world.branch2,
            visited_on=date(2024, 3, 5),
            kind=VisitKind.GUIDANCE,
            content="x",
            actor=other_user,
        )


def test_a_visit_announces_a_point_event(world, wu, django_capture_on_commit_callbacks):
    instructor, user = wu
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    point_event.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            visit = services.record_visit(
                instructor,
                world.branch2,
                visited_on=date(2024, 3, 5),
                kind=VisitKind.GUIDANCE,
                content="指导三会一课",
                actor=user,
            )
    finally:
        point_event.disconnect(listener)
    [event] = received
    assert event["rule_code"] == "instructor.visit" and event["source"] == visit
    assert event["member"] == instructor.member


def test_window_lateness(world, wu):
    instructor, user = wu
    logs = window(world, opens_on=date(2024, 7, 1), closes_on=date(2024, 7, 15))
    with pytest.raises(DomainError, match="开始收取"):
        services.submit_log(logs, instructor, submitted_on=date(2024, 6, 30), actor=user)
    on_deadline = services.submit_log(logs, instructor, submitted_on=date(2024, 7, 15), actor=user)
    assert not on_deadline.is_late
    with pytest.raises(DomainError, match="已提交"):
        services.submit_log(logs, instructor, submitted_on=date(2024, 7, 16), actor=user)
    ledger = window(
        world,
        period_start=date(2024, 7, 1),
        period_end=date(2024, 12, 31),
        opens_on=date(2025, 1, 1),
        closes_on=date(2025, 1, 10),
    )
    late = services.submit_log(ledger, instructor, submitted_on=date(2025, 1, 11), actor=user)
    assert late.is_late


def test_window_dates_are_checked(world):
    with pytest.raises(DomainError, match="截止日期不能早于"):
        window(world, opens_on=date(2024, 7, 15), closes_on=date(2024, 7, 1))
    window(world)
    with pytest.raises(DomainError, match="已设定"):
        window(world)


def test_meeting_attendees_come_from_the_office(world, wu):
    instructor, _user = wu
    actor = world.users["street_admin"]
    meeting = services.record_meeting(
        world.street,
        kind=MeetingKind.REGULAR,
        held_on=date(2024, 3, 28),
        topic="一季度例会",
        minutes="交流各村三会一课情况",
        attendees=[instructor],
        actor=actor,
    )
    assert list(meeting.attendees.all()) == [instructor]
    with pytest.raises(DomainError, match="本组织选派"):
        services.record_meeting(
            world.other_street,
            kind=MeetingKind.FORUM,
            held_on=date(2024, 3, 28),
            topic="座谈",
            minutes="x",
            attendees=[instructor],
            actor=actor,
        )
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.record_meeting(
            world.street,
            kind=MeetingKind.FORUM,
            held_on=timezone.localdate() + timedelta(1),
            topic="座谈",
            minutes="x",
            attendees=[],
            actor=actor,
        )


def test_window_due_list_follows_assignments(world, wu):
    from xianfeng.instructors.supervision import window_status

    instructor, _user = wu
    actor = world.users["street_admin"]
    left = appoint(world, name="李六", orgs=[world.branch], started_on=date(2023, 1, 2))
    services.end_assignment(left.assignments.get(), ended_on=date(2023, 12, 31), actor=actor)
    services.assign_instructor(instructor, world.branch, started_on=date(2024, 1, 2), actor=actor)
    services.end_assignment(
        instructor.assignments.get(organization=world.branch),
        ended_on=date(2024, 2, 1),
        actor=actor,
    )
    rows = window_status(window(world), date(2024, 7, 5))
    assert [(r.instructor, r.state) for r in rows] == [(instructor, "missing")]
