"""Calendar arithmetic shared by every app."""

from datetime import date


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (negative: earlier); 29 February falls back to 28."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
