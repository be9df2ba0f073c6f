"""The rules table, one test per row, and the period arithmetic in Asia/Shanghai time."""

from datetime import date

import pytest

from xianfeng.meetings import plans
from xianfeng.meetings.compliance import LATE, MET, MISSED, NA, PENDING, compliance
from xianfeng.meetings.models import RuleOverride
from xianfeng.meetings.rules import RULES, MeetingKind, quorum_met
from xianfeng.orgs import services as org_services
from xianfeng.orgs.models import SeatPost
from xianfeng.testing import make_member

from .factories import at, committee, meeting

K = MeetingKind
YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))
AFTER_2025 = date(2026, 1, 10)


def status(world, code, window=YEAR_2025, today=AFTER_2025, root=None):
    return compliance([root or world.district], *window, today).status(world.branch.pk, code)


def months(kind, org, skip=(), year=2025, day=10, **fields):
    for m in range(1, 13):
        if m not in skip:
            meeting(org, kind, date(year, m, day), **fields)


def quarters(kind, org, skip=(), **fields):
    for q in range(1, 5):
        if q not in skip:
            meeting(org, kind, date(2025, q * 3 - 1, 15), **fields)


def test_every_row_cites_its_source():
    assert all(rule.source for rule in RULES)
    assert "第十一条" in next(r.source for r in RULES if r.code == "general_assembly")


@pytest.mark.django_db
def test_general_assembly_once_a_quarter(world):
    quarters(K.GENERAL_ASSEMBLY, world.branch, skip=(4,))
    assert status(world, "general_assembly") == MISSED
    assert status(world, "general_assembly", (date(2025, 1, 1), date(2025, 9, 30))) == MET
    meeting(world.branch, K.GENERAL_ASSEMBLY, date(2025, 12, 20))
    assert status(world, "general_assembly") == MET


@pytest.mark.django_db
def test_committee_meeting_monthly_only_where_a_committee_exists(world):
    assert status(world, "committee_meeting") == NA
    committee(world)
    months(K.COMMITTEE_MEETING, world.branch, skip=(7,))
    assert status(world, "committee_meeting") == MISSED
    assert status(world, "committee_meeting", (date(2025, 8, 1), date(2025, 12, 31))) == MET


@pytest.mark.django_db
def test_group_meeting_monthly_per_group(world):
    make_member(world.group, "组员")
    months(K.GROUP_MEETING, world.group)
    result = compliance([world.district], *YEAR_2025, AFTER_2025)
    assert result.status(world.group.pk, "group_meeting") == MET
    assert result.status(world.branch.pk, "group_meeting") == NA  # binds groups, not branches
    meeting(world.group, K.GROUP_MEETING, date(2026, 1, 5))
    result = compliance([world.district], date(2026, 1, 1), date(2026, 3, 31), date(2026, 3, 2))
    # January held; February over and missed.
    assert result.status(world.group.pk, "group_meeting") == MISSED


@pytest.mark.django_db
def test_party_lecture_once_a_quarter(world):
    quarters(K.PARTY_LECTURE, world.branch, skip=(2,))
    assert status(world, "party_lecture") == MISSED
    meeting(world.branch, K.PARTY_LECTURE, date(2025, 5, 1))
    assert status(world, "party_lecture") == MET


@pytest.mark.django_db
def test_secretary_gives_a_lecture_a_year(world):
    committee(world)
    secretary, other = list(world.branch.members.order_by("id")[:2])
    meeting(world.branch, K.PARTY_LECTURE, date(2025, 3, 1), lecturer=other)
    assert status(world, "secretary_lecture") == MISSED
    meeting(world.branch, K.PARTY_LECTURE, date(2025, 9, 1), lecturer=secretary)
    assert status(world, "secretary_lecture") == MET


@pytest.mark.django_db
def test_theme_day_monthly(world):
    months(K.THEME_DAY, world.branch, skip=(2,))
    assert status(world, "theme_day") == MISSED
    assert status(world, "theme_day", (date(2025, 3, 1), date(2025, 12, 31))) == MET


@pytest.mark.django_db
def test_life_meeting_yearly(world):
    assert status(world, "life_meeting") == MISSED
    meeting(world.branch, K.LIFE_MEETING, date(2025, 12, 28))
    assert status(world, "life_meeting") == MET


@pytest.mark.django_db
def test_democratic_review_yearly(world):
    meeting(world.branch, K.DEMOCRATIC_REVIEW, date(2024, 12, 28))  # last year's
    assert status(world, "democratic_review") == MISSED
    meeting(world.branch, K.DEMOCRATIC_REVIEW, date(2025, 1, 8))
    assert status(world, "democratic_review") == MET


@pytest.mark.django_db
def test_open_period_is_pending_until_a_planned_day_passes(world):
    q4 = (date(2025, 10, 1), date(2025, 12, 31))
    today = date(2025, 11, 20)
    assert status(world, "general_assembly", q4, today) == PENDING
    plans.add_plan_item(
        world.branch, kind=K.GENERAL_ASSEMBLY, due_on=date(2025, 11, 15), actor=None
    )
    assert status(world, "general_assembly", q4, today) == LATE
    meeting(world.branch, K.GENERAL_ASSEMBLY, date(2025, 11, 18))
    assert status(world, "general_assembly", q4, today) == MET


@pytest.mark.django_db
def test_future_window_is_pending(world):
    assert status(world, "theme_day", (date(2027, 1, 1), date(2027, 3, 31))) == PENDING


@pytest.mark.django_db
def test_quarter_boundary_is_shanghai_midnight(world):
    # 23:30 on 31 March in Shanghai is 15:30 UTC: still the first quarter.
    first = meeting(world.branch, K.GENERAL_ASSEMBLY, starts_at=at(date(2025, 3, 31), 23, 30))
    assert first.held_on == date(2025, 3, 31)
    q1 = (date(2025, 1, 1), date(2025, 3, 31))
    q2 = (date(2025, 4, 1), date(2025, 6, 30))
    assert status(world, "general_assembly", q1) == MET
    assert status(world, "general_assembly", q2) == MISSED
    # 00:30 on 1 April in Shanghai is still 31 March in UTC: the second quarter.
    second = meeting(world.branch, K.GENERAL_ASSEMBLY, starts_at=at(date(2025, 4, 1), 0, 30))
    assert second.starts_at.astimezone().date() in (date(2025, 3, 31), date(2025, 4, 1))
    assert second.held_on == date(2025, 4, 1)
    assert status(world, "general_assembly", q2) == MET


@pytest.mark.django_db
def test_year_boundary_is_shanghai_midnight(world):
    meeting(world.branch, K.LIFE_MEETING, starts_at=at(date(2026, 1, 1), 0, 10))
    assert status(world, "life_meeting") == MISSED  # 2026 in Shanghai, though 2025 in UTC
    meeting(world.branch, K.LIFE_MEETING, starts_at=at(date(2025, 12, 31), 23, 50))
    assert status(world, "life_meeting") == MET


@pytest.mark.django_db
def test_a_branch_founded_mid_year_owes_only_later_periods(world):
    world.branch.founded_on = date(2025, 8, 20)
    world.branch.save()
    meeting(world.branch, K.GENERAL_ASSEMBLY, date(2025, 11, 1))
    assert status(world, "general_assembly") == MET  # Q1–Q3 not owed
    assert status(world, "general_assembly", (date(2025, 1, 1), date(2025, 6, 30))) == NA


@pytest.mark.django_db
def test_cancelled_or_planned_meetings_do_not_count(world):
    meeting(world.branch, K.LIFE_MEETING, date(2025, 12, 1), held=False)
    assert status(world, "life_meeting") == MISSED


@pytest.mark.django_db
def test_a_district_override_applies_to_its_subtree_only(world):
    RuleOverride.objects.create(
        organization=world.street, rule_code="theme_day", enabled=False, months=1
    )
    RuleOverride.objects.create(
        organization=world.other_street, rule_code="life_meeting", per_period=2, months=12
    )
    meeting(world.other_branch, K.LIFE_MEETING, date(2025, 6, 1))
    result = compliance([world.district], *YEAR_2025, AFTER_2025)
    assert result.status(world.branch.pk, "theme_day") == NA
    assert result.status(world.other_branch.pk, "theme_day") == MISSED
    assert result.status(world.other_branch.pk, "life_meeting") == MISSED  # needs two
    meeting(world.other_branch, K.LIFE_MEETING, date(2025, 10, 1))
    result = compliance([world.branch, world.other_branch], *YEAR_2025, AFTER_2025)
    assert result.status(world.other_branch.pk, "life_meeting") == MET


@pytest.mark.django_db
def test_shares_and_subtree(world):
    months(K.THEME_DAY, world.branch)
    result = compliance([world.street], *YEAR_2025, AFTER_2025)
    assert world.other_branch.pk not in result.statuses
    assert result.rule_share("theme_day") == 0.5  # branch met, branch2 missed
    assert result.share_compliant() == 0.0  # both miss the assemblies
    assert world.branch.pk in result.orgs_with("theme_day", MET)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_organizations(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        compliance([world.district], *YEAR_2025, AFTER_2025)


def test_quorum_for_committee_meetings_is_more_than_half():
    assert quorum_met(K.COMMITTEE_MEETING, 2, 3) is True
    assert quorum_met(K.COMMITTEE_MEETING, 2, 4) is True  # 半数以上 includes half
    assert quorum_met(K.COMMITTEE_MEETING, 1, 4) is False
    assert quorum_met(K.COMMITTEE_MEETING, 2, 5) is False
    assert quorum_met(K.COMMITTEE_MEETING, 3, 5) is True
    assert quorum_met(K.COMMITTEE_MEETING, 0, 0) is None
    assert quorum_met(K.THEME_DAY, 0, 10) is None


@pytest.mark.django_db
def test_committee_secretary_gives_a_lecture_a_year(world):
    admin = world.users["admin"]
    secretary = make_member(world.street, "党工委书记")
    other = make_member(world.street, "委员")
    c = org_services.start_committee(world.street, elected_on=date(2022, 1, 1), actor=admin)
    org_services.assign_seat(
        c, secretary, SeatPost.SECRETARY, started_on=date(2022, 1, 1), actor=admin
    )
    result = compliance([world.district], *YEAR_2025, AFTER_2025)
    assert result.status(world.street.pk, "committee_secretary_lecture") == MISSED
    assert result.status(world.branch.pk, "committee_secretary_lecture") == NA
    meeting(world.street, K.PARTY_LECTURE, date(2025, 3, 1), lecturer=other)
    result = compliance([world.district], *YEAR_2025, AFTER_2025)
    assert result.status(world.street.pk, "committee_secretary_lecture") == MISSED
    meeting(world.street, K.PARTY_LECTURE, date(2025, 12, 31), lecturer=secretary)
    result = compliance([world.district], *YEAR_2025, AFTER_2025)
    assert result.status(world.street.pk, "committee_secretary_lecture") == MET
    # The branch rules do not bind a committee.
    assert result.status(world.street.pk, "party_lecture") == NA


def test_branch_secretary_lecture_is_labelled_local_practice():
    rows = {r.code: r for r in RULES}
    assert rows["secretary_lecture"].source.startswith("本地默认")
    assert "本地默认" in str(rows["secretary_lecture"].label)
