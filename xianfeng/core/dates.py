"""Calendar arithmetic shared by every app."""

from datetime import date, timedelta

from django.utils import timezone


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (negative: earlier); 29 February falls back to 28."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day the target month lacks falls back to its last day."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def months_cutoff(today: date, months: int) -> date:
    """The latest start date whose `months`-month mark (add_months) falls on or before `today`:
    `start <= months_cutoff(today, n)` exactly when `add_months(start, n) <= today`, so a list
    can select "n months reached" with one indexed comparison."""
    cutoff = add_months(today, -months)
    if (today + timedelta(days=1)).day == 1:  # the last day of its month: so is the cutoff
        return add_months(cutoff.replace(day=1), 1) - timedelta(days=1)
    return cutoff


def year_param(value):
    """A year from a query parameter: the current year when missing, malformed or out of range."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year
