"""The working calendar against the State Council notices for 2025 and 2026 (seeded by a
migration), and its edges: a year with no data, a new year entered, a deadline crossing 春节."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from xianfeng.core import workcal

pytestmark = pytest.mark.django_db


def at(*args):
    return timezone.make_aware(datetime(*args))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 1), False),  # 元旦, a Wednesday
        (date(2025, 1, 26), True),  # Sunday made a working day before 春节
        (date(2025, 2, 4), False),  # last day of 春节
        (date(2025, 2, 8), True),  # Saturday made a working day
        (date(2025, 10, 8), False),
        (date(2025, 10, 11), True),
        (date(2026, 1, 2), False),  # 元旦 2026: 1–3 January
        (date(2026, 1, 4), True),  # Sunday made a working day
        (date(2026, 2, 14), True),
        (date(2026, 2, 23), False),  # last day of 春节 2026
        (date(2026, 2, 28), True),
        (date(2026, 5, 9), True),
        (date(2026, 9, 20), True),
        (date(2026, 10, 7), False),
        (date(2026, 10, 10), True),
        (date(2026, 11, 25), True),  # an ordinary Wednesday
        (date(2026, 11, 28), False),  # an ordinary Saturday
    ],
)
def test_official_days(day, working):
    assert workcal.is_workday(day) is working


def test_working_days_skip_the_spring_festival():
    # Friday 13 Feb 2026 → Saturday 14 Feb is a working day; then 15–23 Feb are off.
    assert workcal.add_workdays(at(2026, 2, 13, 10), 1) == at(2026, 2, 14, 17, 30)
    assert workcal.add_workdays(at(2026, 2, 13, 10), 2) == at(2026, 2, 24, 17, 30)


def test_working_hours_carry_over_a_holiday():
    # 16:30 on 30 Sep 2026 (Wednesday): one hour left that day, then 1–7 Oct are off.
    assert workcal.add_work_hours(at(2026, 9, 30, 16, 30), 2) == at(2026, 10, 8, 10, 0)
    # Before opening time the count starts at 09:00.
    assert workcal.add_work_hours(at(2026, 11, 25, 7, 0), 2) == at(2026, 11, 25, 11, 0)


def test_a_year_without_a_notice_is_flagged_not_guessed_silently():
    assert workcal.covers(2026) and not workcal.covers(2027)
    assert workcal.uncovered_years(at(2026, 12, 30, 9), at(2027, 1, 8, 9)) == [2027]
    assert workcal.is_workday(date(2027, 1, 4))  # weekdays still count
