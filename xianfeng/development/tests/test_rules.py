"""One test per time rule, at the edges."""

from datetime import date

import pytest

from xianfeng.development.models import DevelopmentStep, ThoughtReport
from xianfeng.development.rules import TIME_RULES, add_months, check_timing

from .factories import start


def codes(dev, today=None):
    return {v.rule for v in check_timing(dev, today)}


def with_steps(world, **dates):
    dev = start(world, applied_on=dates.pop("s01", date(2020, 1, 6)))
    for code, day in dates.items():
        if isinstance(day, tuple):
            day, end_on, hours = day
        else:
            end_on, hours = None, 24
        DevelopmentStep.objects.create(
            development=dev, step=code, done_on=day, end_on=end_on, hours=hours
        )
    return dev


def test_every_rule_cites_a_source():
    assert all(rule.source for rule in TIME_RULES)


def test_add_months_clips_to_month_end():
    assert add_months(date(2021, 1, 31), 1) == date(2021, 2, 28)
    assert add_months(date(2021, 11, 30), 3) == date(2022, 2, 28)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("applied", "talk", "late"),
    [
        (date(2021, 4, 1), date(2021, 4, 30), False),  # 29 days
        (date(2021, 4, 1), date(2021, 5, 1), False),  # 30 days: exactly one month
        (date(2021, 4, 1), date(2021, 5, 2), True),  # 31 days
        (date(2021, 3, 1), date(2021, 4, 1), False),  # 31 days: exactly one month
        (date(2021, 1, 31), date(2021, 2, 28), False),
        (date(2021, 1, 31), date(2021, 3, 1), True),  # 29 days, but past month end
    ],
)
def test_talk_within_one_month(world, applied, talk, late):
    dev = with_steps(world, s01=applied, s02=talk)
    assert ("talk_within_month" in codes(dev)) is late


@pytest.mark.django_db
def test_talk_overdue_when_not_recorded(world):
    dev = with_steps(world, s01=date(2021, 4, 1))
    assert "talk_within_month" not in codes(dev, today=date(2021, 5, 1))
    assert "talk_within_month" in codes(dev, today=date(2021, 5, 2))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("candidate_on", "early"),
    [(date(2021, 3, 1), False), (date(2021, 2, 28), True), (date(2021, 3, 2), False)],
)
def test_activist_at_least_one_year(world, candidate_on, early):
    dev = with_steps(world, s03=date(2020, 3, 1), s07=candidate_on)
    assert ("activist_one_year" in codes(dev)) is early


@pytest.mark.django_db
def test_activist_year_from_29_february(world):
    assert "activist_one_year" not in codes(
        with_steps(world, s03=date(2020, 2, 29), s07=date(2021, 2, 28))
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("meeting_on", "stale"), [(date(2022, 5, 10), False), (date(2022, 5, 11), True)]
)
def test_political_review_valid_one_year(world, meeting_on, stale):
    dev = with_steps(world, s10=date(2021, 5, 10), s15=meeting_on)
    assert ("political_review_valid" in codes(dev)) is stale


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("meeting_on", "late"), [(date(2022, 2, 28), False), (date(2022, 3, 1), True)]
)
def test_branch_meeting_within_month_of_prereview(world, meeting_on, late):
    dev = with_steps(world, s13=date(2022, 1, 31), s15=meeting_on)
    assert ("branch_meeting_after_prereview" in codes(dev)) is late


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("approved_on", "expected"),
    [
        (date(2022, 6, 15), set()),  # exactly 3 months
        (date(2022, 6, 16), {"committee_approval"}),
        (date(2022, 9, 15), {"committee_approval"}),  # exactly 6 months
        (date(2022, 9, 16), {"committee_approval", "committee_approval_limit"}),
    ],
)
def test_committee_approves_within_three_months_six_at_most(world, approved_on, expected):
    dev = with_steps(world, s15=date(2022, 3, 15), s17=approved_on)
    assert codes(dev) & {"committee_approval", "committee_approval_limit"} == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("meeting_on", "early"), [(date(2023, 3, 15), False), (date(2023, 3, 14), True)]
)
def test_probation_one_year(world, meeting_on, early):
    dev = with_steps(world, s15=date(2022, 3, 15), s23=meeting_on)
    assert ("probation_one_year" in codes(dev)) is early


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("end_on", "hours", "short"),
    [
        (date(2022, 5, 3), None, False),  # 3 days
        (date(2022, 5, 2), None, True),  # 2 days
        (None, 24, False),
        (None, 23, True),
    ],
)
def test_concentrated_training_length(world, end_on, hours, short):
    dev = with_steps(world, s11=(date(2022, 5, 1), end_on, hours))
    assert ("training_length" in codes(dev)) is short


@pytest.mark.django_db
def test_thought_report_each_quarter(world):
    dev = with_steps(world, s03=date(2021, 2, 10), s15=date(2021, 12, 1))
    for quarter in (2, 3):
        ThoughtReport.objects.create(
            development=dev, year=2021, quarter=quarter, submitted_on=date(2021, quarter * 3, 1)
        )
    assert "thought_reports" not in codes(dev)
    ThoughtReport.objects.filter(quarter=3).delete()
    [violation] = [v for v in check_timing(dev) if v.rule == "thought_reports"]
    assert "2021年第3季度" in violation.message
