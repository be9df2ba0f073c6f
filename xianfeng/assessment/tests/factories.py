"""Standards and indicator stubs for the assessment tests."""

from contextlib import contextmanager
from decimal import Decimal

from xianfeng.assessment.models import ItemKind, Standard, StandardItem
from xianfeng.core.events import INDICATORS, indicator

YEAR = 2025


def make_standard(domain="community", year=YEAR, *, items=(), **fields):
    """A standard with thresholds 60/70/80/90 and `items` = (name, max, code or "", target)."""
    defaults = {
        "name": f"{domain}标准",
        "two_star": 60,
        "three_star": 70,
        "four_star": 80,
        "five_star": 90,
        "max_promote": 1,
        "max_demote": None,
    }
    standard = Standard.objects.create(domain=domain, year=year, **{**defaults, **fields})
    for i, (name, max_score, code, target) in enumerate(items, 1):
        StandardItem.objects.create(
            standard=standard,
            name=name,
            kind=ItemKind.COMPUTED if code else ItemKind.REVIEWED,
            code=code,
            max_score=max_score,
            target=Decimal(target),
            order=i,
        )
    return standard


@contextmanager
def registered(code, values):
    """Register `code` returning `values` ({org_id: value}) for the duration of the block."""
    saved = INDICATORS.get(code)
    indicator(code, code)(lambda orgs, year: {o.pk: values.get(o.pk) for o in orgs})
    try:
        yield
    finally:
        if saved is None:
            INDICATORS.pop(code, None)
        else:
            INDICATORS[code] = saved


def rated(world, year=None):
    """Last year's weak rating of world.branch, its plan, and 张三's member result; → objects."""
    from django.utils import timezone

    from xianfeng.assessment.models import (
        BranchAssessment,
        Change,
        MemberAssessment,
        RectificationPlan,
        Round,
        StarRating,
    )

    year = year or timezone.localdate().year - 1
    standard = Standard.objects.filter(domain=world.branch.domain, year=year).first()
    standard = standard or make_standard(year=year, items=[("班子建设", 100, "", 0)])
    rnd = Round.objects.create(organization=world.district, year=year)
    assessment = BranchAssessment.objects.create(
        round=rnd,
        organization=world.branch,
        year=year,
        standard=standard,
        score=40,
        max_score=100,
        percent=40,
    )
    rating = StarRating.objects.create(
        assessment=assessment,
        organization=world.branch,
        year=year,
        computed_stars=1,
        stars=1,
        change=Change.NEW,
        weak_and_lax=True,
    )
    plan = RectificationPlan.objects.create(
        organization=world.branch,
        year=year,
        measures="配强班子",
        owner="张三",
        deadline=timezone.localdate(),
    )
    result = MemberAssessment.objects.create(
        member=world.member, organization=world.branch, year=year, total=80, grade="合格"
    )
    return {"rating": rating.pk, "plan": plan.pk, "member_assessment": result.pk}
