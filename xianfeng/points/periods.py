"""Periods as short strings: a month "2026-03", a quarter "2026-Q1", a year "2026"."""

import re
from dataclasses import dataclass
from datetime import date

from xianfeng.core.errors import DomainError

MONTH, QUARTER, YEAR = "month", "quarter", "year"
_PATTERNS = (
    (MONTH, re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")),
    (QUARTER, re.compile(r"^(\d{4})-Q([1-4])$")),
    (YEAR, re.compile(r"^(\d{4})$")),
)


@dataclass(frozen=True)
class Period:
    key: str
    kind: str
    start: date
    end: date  # exclusive

    @property
    def label(self):
        if self.kind == MONTH:
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == QUARTER:
            return f"{self.start.year}年第{(self.start.month + 2) // 3}季度"
        return f"{self.start.year}年"

    def contains(self, day):
        return self.start <= day < self.end


def _month_after(year, month):
    return date(year + month // 12, month % 12 + 1, 1)


def month_key(day):
    return f"{day.year}-{day.month:02d}"


def keys_for(day):
    """The three periods a booking on `day` counts in."""
    return (month_key(day), f"{day.year}-Q{(day.month + 2) // 3}", str(day.year))


def parse(key):
    for kind, pattern in _PATTERNS:
        found = pattern.match(key or "")
        if found:
            year = int(found.group(1))
            if kind == MONTH:
                month = int(found.group(2))
                return Period(key, kind, date(year, month, 1), _month_after(year, month))
            if kind == QUARTER:
                first = (int(found.group(2)) - 1) * 3 + 1
                return Period(key, kind, date(year, first, 1), _month_after(year, first + 2))
            return Period(key, kind, date(year, 1, 1), date(year + 1, 1, 1))
    raise DomainError("期间格式应为 2026-03、2026-Q1 或 2026", field="period")


def previous_month(day):
    first = day.replace(day=1)
    return month_key(date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1))
