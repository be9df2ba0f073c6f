from decimal import Decimal

import pytest

from xianfeng.assessment import rules
from xianfeng.assessment.models import Change
from xianfeng.assessment.scoring import apply_limits, computed_score, is_weak, stars_for

D = Decimal
THRESHOLDS = (D(60), D(70), D(80), D(90))


@pytest.mark.parametrize(
    ("percent", "stars"),
    [
        ("0", 1),
        ("59.99", 1),
        ("60", 2),  # exactly at a threshold reaches that star
        ("69.99", 2),
        ("70", 3),
        ("80", 4),
        ("89.99", 4),
        ("90", 5),
        ("100", 5),
    ],
)
def test_stars_at_thresholds(percent, stars):
    assert stars_for(D(percent), THRESHOLDS) == stars


@pytest.mark.parametrize(
    ("computed", "previous", "limits", "result"),
    [
        (3, None, (1, None), (3, Change.NEW)),
        (5, 2, (1, None), (3, Change.PROMOTE)),  # at most one star up a year
        (5, 2, (2, None), (4, Change.PROMOTE)),
        (3, 2, (1, None), (3, Change.PROMOTE)),
        (3, 3, (1, None), (3, Change.KEEP)),
        (1, 5, (1, None), (1, Change.DEMOTE)),  # no limit down by default
        (1, 5, (1, 2), (3, Change.DEMOTE)),
        (4, 2, (0, None), (2, Change.KEEP)),  # promotion switched off
    ],
)
def test_yearly_limits(computed, previous, limits, result):
    promote, demote = limits
    assert apply_limits(computed, previous, max_promote=promote, max_demote=demote) == result


def test_computed_score_caps_at_target_and_floors_at_zero():
    assert computed_score(None, 10, 100) == D("0.00")
    assert computed_score(D("87.5"), 20, 100) == D("17.50")
    assert computed_score(120, 10, 60) == D("10.00")
    assert computed_score(-5, 10, 100) == D("0.00")


def test_weak_is_the_one_star_score():
    assert is_weak(1) and not is_weak(2)


def test_every_default_standard_totals_100():
    from xianfeng.orgs.models import Domain

    for domain in Domain.values:
        name, items = rules.default_standard(domain)
        assert sum(i.max_score for i in items) == 100, name
        assert len({i.name for i in items}) == len(items), name


def test_member_grades_inclusive():
    assert rules.member_grade(D(90)) == "优秀"
    assert rules.member_grade(D("89.99")) == "合格"
    assert rules.member_grade(D(60)) == "基本合格"
    assert rules.member_grade(D("59.99")) == "不合格"
    assert rules.member_grade(None) == ""
