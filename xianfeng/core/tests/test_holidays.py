"""Entering a year of the working calendar: the notice parser against the published 2025 and
2026 notices, refusals, and the date edges (no data, a year entered, 春节 2027)."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from xianfeng.core import holidays, workcal
from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog, CalendarDay, CalendarYear, DayKind

from .notices import NOTICE_2025, NOTICE_2026, NOTICE_2027

pytestmark = pytest.mark.django_db


def at(*args):
    return timezone.make_aware(datetime(*args))


def seeded(year):
    return {(d.day, d.kind) for d in CalendarDay.objects.filter(calendar__year=year)}


@pytest.mark.parametrize(("year", "text"), [(2025, NOTICE_2025), (2026, NOTICE_2026)])
def test_the_published_notices_read_as_the_seeded_years(year, text):
    parsed = holidays.parse_notice(text)
    assert parsed.errors == []
    assert parsed.year == year
    assert {(d, k) for d, k, _name in parsed.rows()} == seeded(year)
    assert parsed.source.startswith(f"国务院办公厅关于{year}年")


def test_full_width_digits_and_a_wrong_weekday_are_caught():
    parsed = holidays.parse_notice("一、元旦：１月１日（周四）放假１天。", 2027)
    assert parsed.errors == ["元旦：1月1日是周五，通知写的是周四，请核对年份"]
    assert holidays.parse_notice("一、春节：2月6日至14日放假调休，共8天。", 2027).errors == [
        "春节：通知写共8天，日期算出9天"
    ]
    assert holidays.parse_notice("随便一段话", 2027).errors[0].startswith("没有找到")
    assert holidays.parse_notice("一、春节：2月6日放假。").errors == [
        "未能从通知中识别年份，请填写年份"
    ]


def test_refusals_are_chinese_messages(admin_user):
    parsed = holidays.parsed_from_lines(2027, "通知", "2027-02-06 至 2027-02-14 春节", "2027-02-10")
    with pytest.raises(DomainError, match="不能既放假又上班"):
        holidays.save_calendar_year(parsed, actor=admin_user)
    parsed = holidays.parsed_from_lines(2027, "通知", "", "2027-02-17")
    with pytest.raises(DomainError, match="调休上班日应为周末"):
        holidays.save_calendar_year(parsed, actor=admin_user)
    parsed = holidays.parsed_from_lines(2027, "通知", "2026-10-01", "")
    with pytest.raises(DomainError, match="不属于2027年"):
        holidays.save_calendar_year(parsed, actor=admin_user)
    parsed = holidays.parsed_from_lines(2027, "通知", "2027-02-30", "")
    assert parsed.errors == ["放假日期第1行“2027-02-30”不是有效日期"]
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_year_with_no_data_counts_weekends_only():
    assert not workcal.covers(2027)
    assert workcal.is_workday(date(2027, 2, 8))  # a Monday in what will be 春节
    assert workcal.add_workdays(at(2027, 2, 5, 10), 1) == at(2027, 2, 8, 17, 30)


def test_a_deadline_crossing_the_spring_festival_once_2027_is_entered(admin_user):
    holidays.save_calendar_year(
        holidays.parse_notice(NOTICE_2027), actor=admin_user, notice_text=NOTICE_2027
    )
    assert workcal.covers(2027)
    assert not workcal.is_workday(date(2027, 2, 8))
    assert workcal.is_workday(date(2027, 2, 20))  # the Saturday made a working day
    # Friday 5 Feb 2027: the next working day is Monday 15 Feb, then Tuesday 16 Feb.
    assert workcal.add_workdays(at(2027, 2, 5, 10), 1) == at(2027, 2, 15, 17, 30)
    assert workcal.add_workdays(at(2027, 2, 5, 10), 2) == at(2027, 2, 16, 17, 30)
    assert workcal.uncovered_years(at(2026, 12, 30, 9), at(2027, 2, 16, 9)) == []
    log = AuditLog.objects.get(action="calendar.created")
    assert log.data["days_off"] == 15 and log.data["workdays"] == 1


def test_the_form_lines_round_trip(admin_user):
    holidays.save_calendar_year(holidays.parse_notice(NOTICE_2027), actor=admin_user)
    days_off, workdays = holidays.as_lines(CalendarYear.objects.get(year=2027))
    assert days_off.splitlines()[1] == "2027-02-06 至 2027-02-14 春节"
    assert workdays == "2027-02-20 春节"
    again = holidays.parsed_from_lines(2027, "通知", days_off, workdays)
    assert again.rows() == holidays.parse_notice(NOTICE_2027).rows()


def test_working_hours_between_skip_nights_weekends_and_holidays():
    # Friday 13 Feb 2026 16:00 → Tuesday 24 Feb 10:00: 1.5 h, Saturday 14 Feb (a working
    # day) 8.5 h, 15–23 Feb off, then 1 h.
    assert workcal.work_hours_between(at(2026, 2, 13, 16), at(2026, 2, 24, 10)) == 11
    assert workcal.extend(at(2026, 9, 30, 17, 30), 1) == at(2026, 10, 8, 10, 0)
    assert workcal.extend(at(2026, 9, 30, 17, 30), 0) == at(2026, 9, 30, 17, 30)


@pytest.mark.parametrize(
    ("today", "warned"),
    [(date(2026, 10, 31), False), (date(2026, 11, 1), True), (date(2026, 12, 4), True)],
)
def test_administrators_are_warned_sixty_days_before_the_calendar_runs_out(today, warned):
    assert workcal.calendar_runs_out_on(today) == date(2026, 12, 31)
    assert bool(workcal.calendar_warning(today)) is warned


def test_after_the_run_out_the_warning_says_the_year_is_missing(admin_user):
    with time_machine.travel(at(2027, 1, 4, 9), tick=False):
        assert workcal.calendar_runs_out_on() == date(2026, 12, 31)
        assert "2027年节假日安排尚未录入" in workcal.calendar_warning()
        holidays.save_calendar_year(holidays.parse_notice(NOTICE_2027), actor=admin_user)
        assert workcal.calendar_runs_out_on() == date(2027, 12, 31)
        assert workcal.calendar_warning() == ""
    assert DayKind.WORK in set(CalendarDay.objects.values_list("kind", flat=True))
