"""The Chinese working calendar (工作日历): public holidays and adjusted working days (调休).

Weekends are days off unless the State Council's yearly notice makes them working days;
weekdays are working days unless the notice makes them holidays. The notices are data
(`CalendarYear` and its `CalendarDay`s), entered or imported by an office administrator
(core/holidays.py); 2025 and 2026 are seeded by a migration.

A year with no notice is counted with weekends only, and `covers()` says so: callers show
a warning rather than crash or pretend the count is exact (shared/RULES.md, "Working days").
`calendar_warning()` tells administrators 60 days before the entered years run out.

Deadlines: "within N working days" ends at the close of business on the N-th working day
after the day of receipt (the day of receipt is not counted); "within N working hours"
counts only the hours between WORK_START and WORK_END on working days.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from xianfeng.core.memo import Memo

WORK_START = time(9, 0)
WORK_END = time(17, 30)
WARN_DAYS = 60


def _load():
    from xianfeng.core.models import CalendarDay, CalendarYear, DayKind

    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    days = {
        day: kind == DayKind.WORK for day, kind in CalendarDay.objects.values_list("day", "kind")
    }
    return years, days


# Read on every deadline computed; changed once a year. A change in this process clears it at
# once (holidays.save_calendar_year); other processes reload within the minute.
_CALENDAR = Memo(_load, seconds=60)


def forget():
    _CALENDAR.forget()


def covers(year: int) -> bool:
    """Whether the official arrangement for `year` has been entered."""
    return year in _CALENDAR.get()[0]


def is_workday(day: date) -> bool:
    working = _CALENDAR.get()[1].get(day)
    return day.weekday() < 5 if working is None else working


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
    """Years between `start` and `end` that no notice has been entered for."""
    first, last = _local(start).year, _local(end).year
    return [year for year in range(first, last + 1) if not covers(year)]


def work_hours_between(start: datetime, end: datetime) -> float:
    """Working hours between two moments (e.g. the time a request waited for the resident)."""
    first, last = _local(start), _local(end)
    total = timedelta()
    day = first.date()
    while day <= last.date():
        if is_workday(day):
            opens = max(_at(day, WORK_START), first)
            closes = min(_at(day, WORK_END), last)
            if closes > opens:
                total += closes - opens
        day += timedelta(days=1)
    return total.total_seconds() / 3600


def extend(deadline: datetime, hours: float) -> datetime:
    """`deadline` moved on by `hours` of working time; it never lands on a day off."""
    return add_work_hours(deadline, hours) if hours > 0 else deadline


def calendar_runs_out_on(today: date | None = None) -> date:
    """The last day of the run of entered years that starts with this year (31 December of
    last year when this year has not been entered)."""
    year = (today or timezone.localdate()).year
    while covers(year):
        year += 1
    return date(year - 1, 12, 31)


def calendar_warning(today: date | None = None) -> str:
    """For administrators (calendar page, workbench): empty until 60 days before the run out."""
    today = today or timezone.localdate()
    runs_out = calendar_runs_out_on(today)
    left = (runs_out - today).days
    if left < 0:
        return f"{today.year}年节假日安排尚未录入，办理时限暂按周末推算，请尽快录入或导入国务院通知"
    if left <= WARN_DAYS:
        return (
            f"工作日历只录入到{runs_out.year}年，{left}天后用完，"
            f"请录入{runs_out.year + 1}年节假日安排（国务院通知发布后）"
        )
    return ""
