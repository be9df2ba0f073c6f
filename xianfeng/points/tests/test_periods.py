from datetime import date

import pytest

from xianfeng.core.errors import DomainError

from ..periods import QUARTER, keys_for, parse, previous_month


def test_keys_and_bounds():
    assert keys_for(date(2026, 11, 30)) == ("2026-11", "2026-Q4", "2026")
    q1 = parse("2026-Q1")
    assert (q1.kind, q1.start, q1.end, q1.label) == (
        QUARTER,
        date(2026, 1, 1),
        date(2026, 4, 1),
        "2026年第1季度",
    )
    assert parse("2026-12").end == date(2027, 1, 1)
    assert parse("2026").contains(date(2026, 12, 31))
    assert previous_month(date(2026, 1, 15)) == "2025-12"


@pytest.mark.parametrize("key", ["2026-13", "2026-Q5", "26", "", None, "2026-3"])
def test_bad_periods_are_refused(key):
    with pytest.raises(DomainError):
        parse(key)
