"""Pure functions of the star rating: item scores, stars from a percentage, yearly limits."""

from decimal import ROUND_HALF_UP, Decimal

from .models import Change

CENT = Decimal("0.01")
ZERO = Decimal(0)


def quantize(value):
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def computed_score(value, max_score, target):
    """Share of `max_score` earned by `value`: full marks at `target` or more, 0 for None."""
    if value is None:
        return ZERO
    share = min(max(Decimal(str(value)) / Decimal(target), ZERO), Decimal(1))
    return quantize(Decimal(max_score) * share)


def percent_of(score, max_score):
    return quantize(Decimal(score) * 100 / Decimal(max_score)) if max_score else ZERO


def stars_for(percent, thresholds):
    """1 star below the first threshold, one more for every threshold reached (inclusive)."""
    return 1 + sum(1 for bound in thresholds if percent >= bound)


def apply_limits(computed, previous, *, max_promote, max_demote):
    """(stars, change) after the yearly limits against last year's stars."""
    if previous is None:
        return computed, Change.NEW
    if computed > previous:
        return min(computed, previous + max_promote), Change.PROMOTE if max_promote else Change.KEEP
    if computed < previous:
        floor = previous - max_demote if max_demote is not None else computed
        return max(computed, floor), Change.DEMOTE if max_demote != 0 else Change.KEEP
    return computed, Change.KEEP


def is_weak(computed_stars):
    """软弱涣散: the score itself is below the two-star line, whatever last year's stars."""
    return computed_stars == 1
