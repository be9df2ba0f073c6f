"""The Chinese working calendar (工作日历): public holidays and adjusted working days (调休).

Weekends are days off unless the State Council's yearly notice makes them working days;
weekdays are working days unless the notice makes them holidays. The notices, cited:

- 2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）
- 2026: 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日，新华社全文播发）

A year with no notice in `YEARS` is counted with weekends only, and `covers()` says so:
callers show a warning rather than crash or pretend the count is exact (shared/RULES.md,
"Working days"). Offices add a year by extending the tables below from the published notice.

Deadlines: "within N working days" ends at the close of business on the N-th working day
after the day of receipt (the day of receipt is not counted); "within N working hours"
counts only the hours between WORK_START and WORK_END on working days.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

WORK_START = time(9, 0)
WORK_END = time(17, 30)


def _span(first: date, last: date):
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


def _days(*spans):
    result = set()
    for span in spans:
        result |= _span(*span) if isinstance(span, tuple) else {span}
    return frozenset(result)


@dataclass(frozen=True)
class YearNotice:
    year: int
    source: str
    holidays: frozenset  # days off, including weekend days inside a holiday span
    workdays: frozenset  # weekend days that are working days (调休上班)


YEARS = {
    2025: YearNotice(
        2025,
        "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
        _days(
            date(2025, 1, 1),  # 元旦
            (date(2025, 1, 28), date(2025, 2, 4)),  # 春节，共8天
            (date(2025, 4, 4), date(2025, 4, 6)),  # 清明节
            (date(2025, 5, 1), date(2025, 5, 5)),  # 劳动节
            (date(2025, 5, 31), date(2025, 6, 2)),  # 端午节
            (date(2025, 10, 1), date(2025, 10, 8)),  # 国庆节、中秋节，共8天
        ),
        _days(
            date(2025, 1, 26),
            date(2025, 2, 8),
            date(2025, 4, 27),
            date(2025, 9, 28),
            date(2025, 10, 11),
        ),
    ),
    2026: YearNotice(
        2026,
        "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
        _days(
            (date(2026, 1, 1), date(2026, 1, 3)),  # 元旦
            (date(2026, 2, 15), date(2026, 2, 23)),  # 春节，共9天
            (date(2026, 4, 4), date(2026, 4, 6)),  # 清明节
            (date(2026, 5, 1), date(2026, 5, 5)),  # 劳动节
            (date(2026, 6, 19), date(2026, 6, 21)),  # 端午节
            (date(2026, 9, 25), date(2026, 9, 27)),  # 中秋节
            (date(2026, 10, 1), date(2026, 10, 7)),  # 国庆节，共7天
        ),
        _days(
            date(2026, 1, 4),
            date(2026, 2, 14),
            date(2026, 2, 28),
            date(2026, 5, 9),
            date(2026, 9, 20),
            date(2026, 10, 10),
        ),
    ),
}


def covers(year: int) -> bool:
    """Whether the official arrangement for `year` is in the table."""
    return year in YEARS


def is_workday(day: date) -> bool:
    notice = YEARS.get(day.year)
    if notice is not None:
        if day in notice.workdays:
            return True
        if day in notice.holidays:
            return False
    return day.weekday() < 5


def next_workday(day: date) -> date:
    """The first working day strictly after `day`."""
    day += timedelta(days=1)
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _at(day: date, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def add_workdays(moment: datetime, days: int) -> datetime:
    """Close of business on the `days`-th working day after the day of `moment`."""
    day = _local(moment).date()
    for _ in range(max(days, 1)):
        day = next_workday(day)
    return _at(day, WORK_END)


def add_work_hours(moment: datetime, hours: float) -> datetime:
    """`hours` of working time after `moment`, counting only working hours on working days."""
    left = timedelta(hours=hours)
    local = _local(moment)
    day, clock = local.date(), local.time()
    if not is_workday(day) or clock >= WORK_END:
        day, clock = next_workday(day), WORK_START
    clock = max(clock, WORK_START)
    while True:
        start = _at(day, clock)
        available = _at(day, WORK_END) - start
        if left <= available:
            return start + left
        left -= available
        day, clock = next_workday(day), WORK_START


def uncovered_years(start: datetime, end: datetime) -> list[int]:
    """Years between `start` and `end` that the table has no notice for."""
    first, last = _local(start).year, _local(end).year
    return [year for year in range(first, last + 1) if not covers(year)]
