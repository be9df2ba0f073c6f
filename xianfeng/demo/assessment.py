"""评星定级 of 天桥区 for 2024 and 2025, as the 天桥 report describes (seeds/001): every branch
rated by domain standards, promoted or demoted against last year, the weakest flagged with
a rectification plan. Both years are published, so they stay as loaded.

The results are written directly (bulk), from a per-branch quality drawn from the module's
own random stream; the computed indicators' values are synthetic history, not recomputed.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from xianfeng.assessment.models import (
    BranchAssessment,
    ItemKind,
    ItemScore,
    PlanStatus,
    RectificationPlan,
    ReviewScore,
    Round,
    Stage,
    Standard,
    StarRating,
)
from xianfeng.assessment.scoring import (
    percent_of,
    quantize,
)
from xianfeng.assessment.services import build_rating, evaluable_orgs, install_default_standards

DISTRICT = "370105"  # 天桥区委
YEARS = (2024, 2025)
EVIDENCE = (
    "查阅支部会议记录和台账",
    "实地察看党群服务阵地",
    "走访党员群众并听取意见",
    "查阅工作总结和佐证照片",
)
MEASURES = (
    "调整充实支部班子；上级党委班子成员包联指导；每月召开支委会研究整改；年底前完成阵地规范化建设"
)


def load(ctx):
    root = ctx.orgs[DISTRICT]
    if Round.objects.filter(organization=root, year=YEARS[-1]).exists():
        return
    rng = ctx.rng("assessment")
    for year in YEARS:
        install_default_standards(year, actor=None)
    orgs = list(evaluable_orgs(root))
    quality = {org.pk: rng.triangular(0.5, 1.0, 0.85) for org in orgs}
    previous = {}
    for year in YEARS:
        standards = {
            s.domain: s for s in Standard.objects.filter(year=year).prefetch_related("items")
        }
        if year != YEARS[0]:
            quality = {
                pk: min(1.0, max(0.3, q + rng.uniform(-0.1, 0.12))) for pk, q in quality.items()
            }
        previous = rate_year(rng, root, orgs, standards, year, quality, previous)
    plan_for_weak(rng, orgs)


def rate_year(rng, root, orgs, standards, year, quality, previous):
    now = timezone.now()
    rnd = Round.objects.create(
        organization=root, year=year, stage=Stage.PUBLISHED, evaluated_at=now, published_at=now
    )
    rows = []
    for org in orgs:
        standard = standards[org.domain]
        items = [item_result(rng, item, quality[org.pk]) for item in standard.items.all()]
        score = sum(i["score"] for i in items)
        max_score = sum(i["item"].max_score for i in items)
        rows.append((org, standard, items, score, max_score))
    assessments = BranchAssessment.objects.bulk_create(
        BranchAssessment(
            round=rnd,
            organization=org,
            year=year,
            standard=standard,
            score=score,
            max_score=max_score,
            percent=percent_of(score, max_score),
        )
        for org, standard, _, score, max_score in rows
    )
    ItemScore.objects.bulk_create(
        ItemScore(assessment=a, **item)
        for a, row in zip(assessments, rows, strict=True)
        for item in row[2]
    )
    ReviewScore.objects.bulk_create(
        ReviewScore(
            organization=org, item=i["item"], score=i["score"], evidence=rng.choice(EVIDENCE)
        )
        for org, _, items, _, _ in rows
        for i in items
        if i["item"].kind == ItemKind.REVIEWED
    )
    ratings = [
        build_rating(a, row[1], previous.get(a.organization_id))
        for a, row in zip(assessments, rows, strict=True)
    ]
    StarRating.objects.bulk_create(ratings)
    return {r.organization_id: r.stars for r in ratings}


def item_result(rng, item, quality):
    share = Decimal(str(round(min(1.0, max(0.0, quality + rng.uniform(-0.08, 0.08))), 3)))
    score = quantize(item.max_score * share)
    value = quantize(item.target * share) if item.code else None
    return {"item": item, "value": value, "score": score}


def plan_for_weak(rng, orgs):
    """2024's weak organizations finished their plans; 2025's are under way."""
    names = {org.pk: org for org in orgs}
    weak = StarRating.objects.filter(weak_and_lax=True, organization_id__in=names)
    RectificationPlan.objects.bulk_create(
        RectificationPlan(
            organization_id=r.organization_id,
            year=r.year,
            measures=MEASURES,
            owner=f"{names[r.organization_id].name.removesuffix('党支部')}第一书记",
            deadline=date(r.year + 1, 6, 30),
            status=PlanStatus.DONE
            if r.year == YEARS[0]
            else rng.choice((PlanStatus.OPEN, PlanStatus.IN_PROGRESS)),
            done_on=date(r.year + 1, 5, 1) + timedelta(days=rng.randrange(50))
            if r.year == YEARS[0]
            else None,
        )
        for r in weak
    )
