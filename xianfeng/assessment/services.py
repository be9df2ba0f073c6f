"""支部考核 and 评星定级: standards, reviewer scores, the yearly evaluation, publishing, plans.

A year's evaluation may be re-run while its round is a draft: it replaces the draft results
of every organization it covers. Once published, the round, its ratings and the reviewer
scores it used are immutable (DomainError), and no overlapping round may be evaluated.
"""

from django.db import transaction
from django.utils import timezone

from xianfeng.core.audit import record
from xianfeng.core.errors import DomainError
from xianfeng.core.events import INDICATORS
from xianfeng.orgs.models import Domain, Organization, OrgKind

from . import rules
from .models import (
    BranchAssessment,
    ItemKind,
    ItemScore,
    MissingPolicy,
    PlanStatus,
    RectificationPlan,
    ReviewScore,
    Round,
    Stage,
    Standard,
    StandardItem,
    StarRating,
)
from .scoring import (
    ZERO,
    apply_limits,
    computed_score,
    is_weak,
    percent_of,
    quantize,
    stars_for,
)

EVALUATED_KINDS = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH)


def evaluable_orgs(root):
    """The active branches and general branches under `root` (itself included)."""
    return Organization.objects.active().filter(
        path__startswith=root.path, kind__in=EVALUATED_KINDS
    )


def published_round_covering(org, year):
    """A published round of `year` whose subtree holds `org`, or None."""
    prefixes = [org.path[:n] for n in range(Organization.steplen, len(org.path) + 1, org.steplen)]
    return (
        Round.objects.filter(year=year, stage=Stage.PUBLISHED, organization__path__in=prefixes)
        .select_related("organization")
        .first()
    )


# ---------------------------------------------------------------- standards


def install_default_standards(year, *, actor):
    """Create the missing standards of `year`: a copy of last year's, else the defaults."""
    with transaction.atomic():
        have = set(Standard.objects.filter(year=year).values_list("domain", flat=True))
        last = {
            s.domain: s for s in Standard.objects.filter(year=year - 1).prefetch_related("items")
        }
        created = []
        for domain in Domain.values:
            if domain in have:
                continue
            source = last.get(domain)
            standard = _copy_standard(source, year) if source else _default_standard(domain, year)
            created.append(standard)
        if created:
            record(
                "assessment.standards_installed",
                created[0],
                actor=actor,
                year=year,
                domains=[s.domain for s in created],
            )
    return created


def _default_standard(domain, year):
    name, items = rules.default_standard(domain)
    two, three, four, five = rules.STAR_THRESHOLDS
    standard = Standard.objects.create(
        name=name,
        domain=domain,
        year=year,
        two_star=two,
        three_star=three,
        four_star=four,
        five_star=five,
        max_promote=rules.MAX_PROMOTE,
        max_demote=rules.MAX_DEMOTE,
    )
    StandardItem.objects.bulk_create(
        StandardItem(
            standard=standard,
            name=item.name,
            kind=ItemKind.COMPUTED if item.code else ItemKind.REVIEWED,
            code=item.code,
            max_score=item.max_score,
            target=item.target,
            order=i,
        )
        for i, item in enumerate(items, 1)
    )
    return standard


def _copy_standard(source, year):
    items = list(source.items.all())
    source.pk, source.id, source.year = None, None, year
    source._state.adding = True
    source.save()
    for item in items:
        item.pk = item.id = None
        item.standard = source
    StandardItem.objects.bulk_create(items)
    return source


# ---------------------------------------------------------------- reviewer scores


def reviews_from_above(user, org):
    """Reviewers score from above: a grant on an ancestor, never one on the organization itself."""
    from xianfeng.accounts.roles import Perm
    from xianfeng.accounts.scoping import granted_paths

    paths = granted_paths(user, Perm.ASSESS_SCORE)
    return any(org.path.startswith(p) and len(p) < len(org.path) for p in paths)


def set_review_score(org, item, *, score, evidence, actor):
    """Record (or correct) a reviewer's score of a reviewed indicator, with its evidence."""
    if item.kind != ItemKind.REVIEWED:
        raise DomainError("该指标由系统计算，不能人工评分")
    if item.standard.domain != org.domain:
        raise DomainError("该指标不属于此组织所在领域的考核标准")
    if score is None or score < 0 or score > item.max_score:
        raise DomainError(f"评分应在 0 到 {item.max_score} 之间", field="score")
    evidence = (evidence or "").strip()
    if not evidence:
        raise DomainError("请填写评分依据", field="evidence")
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=org.pk)
        published = published_round_covering(org, item.standard.year)
        if published:
            raise DomainError(f"{published}年度评星定级已发布，评分不能再修改")
        review, _ = ReviewScore.objects.update_or_create(
            organization=org,
            item=item,
            defaults={"score": score, "evidence": evidence, "reviewer": actor},
        )
        record(
            "assessment.reviewed",
            org,
            actor=actor,
            item=item.name,
            score=score,
            year=item.standard.year,
        )
    return review


# ---------------------------------------------------------------- evaluation


def evaluate_round(root, year, *, actor):
    """Score every branch under `root` for `year` and rate it; replaces earlier draft results."""
    with transaction.atomic():
        rnd, _ = Round.objects.get_or_create(organization=root, year=year)
        rnd = Round.objects.select_for_update().get(pk=rnd.pk)
        if rnd.is_published:
            raise DomainError(f"{year}年度评星定级已发布，不能重新测评")
        _refuse_published_overlap(root, year)
        standards = {
            s.domain: s for s in Standard.objects.filter(year=year).prefetch_related("items")
        }
        if not standards:
            raise DomainError(f"{year}年度尚未制定考核标准")
        orgs = list(evaluable_orgs(root).filter(domain__in=list(standards)))
        ids = [o.pk for o in orgs]
        BranchAssessment.objects.filter(year=year, organization_id__in=ids).delete()
        _create_results(rnd, orgs, standards, year)
        rnd.evaluated_at, rnd.evaluated_by = timezone.now(), actor
        rnd.save(update_fields=["evaluated_at", "evaluated_by"])
        record("assessment.evaluated", rnd, actor=actor, year=year, organizations=len(orgs))
    return rnd


def _refuse_published_overlap(root, year):
    above = published_round_covering(root, year)
    below = Round.objects.filter(
        year=year, stage=Stage.PUBLISHED, organization__path__startswith=root.path
    ).first()
    if above or below:
        raise DomainError(f"{above or below}年度评星定级已发布，范围重叠，不能重新测评")


def _create_results(rnd, orgs, standards, year):
    ids = [o.pk for o in orgs]
    values = computed_values(orgs, standards.values(), year)
    reviews = {
        (r.organization_id, r.item_id): r.score
        for r in ReviewScore.objects.filter(
            organization_id__in=ids, item__standard__in=list(standards.values())
        )
    }
    previous = dict(
        StarRating.objects.filter(year=year - 1, organization_id__in=ids).values_list(
            "organization_id", "stars"
        )
    )
    rows = [
        (org, standards[org.domain], score_items(org, standards[org.domain], values, reviews))
        for org in orgs
    ]
    assessments = BranchAssessment.objects.bulk_create(
        _assessment(rnd, org, standard, items) for org, standard, items in rows
    )
    ItemScore.objects.bulk_create(
        ItemScore(assessment=a, **item)
        for a, (_, _, items) in zip(assessments, rows, strict=True)
        for item in items
    )
    StarRating.objects.bulk_create(
        build_rating(a, standard, previous.get(org.pk))
        for a, (org, standard, _) in zip(assessments, rows, strict=True)
    )


def computed_values(orgs, standards, year):
    """{code: {org_id: value}} for every registered code the standards use; one call per code."""
    codes = {i.code for s in standards for i in s.items.all() if i.kind == ItemKind.COMPUTED}
    ids = [o.pk for o in orgs]
    return {
        code: INDICATORS[code].compute(Organization.objects.filter(pk__in=ids), year)
        for code in sorted(codes)
        if code in INDICATORS
    }


def score_items(org, standard, values, reviews):
    """One dict of ItemScore fields per item of `standard` for `org`."""
    rows = []
    for item in standard.items.all():
        if item.kind == ItemKind.REVIEWED:
            score = reviews.get((org.pk, item.pk), ZERO)
            rows.append({"item": item, "value": None, "score": score})
        elif item.code in values:
            value = values[item.code].get(org.pk)
            if value is None:  # 无数据: not applicable, left out of the maximum (re-scaled)
                rows.append({"item": item, "value": None, "score": ZERO, "counted": False})
                continue
            value = quantize(value)
            score = computed_score(value, item.max_score, item.target)
            rows.append({"item": item, "value": value, "score": score})
        else:
            counted = standard.missing_policy == MissingPolicy.ZERO
            rows.append(
                {"item": item, "value": None, "score": ZERO, "connected": False, "counted": counted}
            )
    return rows


def _assessment(rnd, org, standard, items):
    counted = [row for row in items if row.get("counted", True)]
    score = sum((row["score"] for row in counted), ZERO)
    max_score = sum((row["item"].max_score for row in counted), ZERO)
    return BranchAssessment(
        round=rnd,
        organization=org,
        year=rnd.year,
        standard=standard,
        score=score,
        max_score=max_score,
        percent=percent_of(score, max_score),
    )


def build_rating(assessment, standard, previous: int | None) -> StarRating:
    """The star rating an assessment earns under `standard`, within the promote/demote limits
    from last year's stars (unsaved; the caller saves it with the round)."""
    computed = stars_for(assessment.percent, standard.thresholds)
    stars, change = apply_limits(
        computed, previous, max_promote=standard.max_promote, max_demote=standard.max_demote
    )
    return StarRating(
        assessment=assessment,
        organization=assessment.organization,
        year=assessment.year,
        computed_stars=computed,
        stars=stars,
        previous_stars=previous,
        change=change,
        weak_and_lax=is_weak(computed),
    )


def publish_round(rnd, *, actor):
    """Publish a year's ratings: from now on they, and the scores behind them, are fixed."""
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(pk=rnd.pk)
        if rnd.is_published:
            raise DomainError("该年度评星定级已发布")
        if not rnd.assessments.exists():
            raise DomainError("尚未测评，不能发布")
        rnd.stage, rnd.published_at, rnd.published_by = Stage.PUBLISHED, timezone.now(), actor
        rnd.save(update_fields=["stage", "published_at", "published_by"])
        record("assessment.published", rnd, actor=actor, year=rnd.year)
    return rnd


# ---------------------------------------------------------------- rectification


def create_rectification_plan(org, year, *, measures, owner, deadline, actor):
    """整改方案 for an organization rated 软弱涣散 in `year`."""
    if not StarRating.objects.filter(organization=org, year=year, weak_and_lax=True).exists():
        raise DomainError(f"{org.name}在{year}年度未被列为软弱涣散党组织")
    measures, owner = (measures or "").strip(), (owner or "").strip()
    if not measures or not owner:
        raise DomainError("请填写整改措施和责任人")
    if deadline < timezone.localdate():
        raise DomainError("整改时限不能早于今天", field="deadline")
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=org.pk)
        if RectificationPlan.objects.filter(organization=org, year=year).exists():
            raise DomainError(f"{org.name}{year}年度已有整改方案")
        plan = RectificationPlan.objects.create(
            organization=org,
            year=year,
            measures=measures,
            owner=owner,
            deadline=deadline,
            created_by=actor,
        )
        record("assessment.plan_created", plan, actor=actor, owner=owner, deadline=deadline)
    return plan


def set_plan_status(plan, status, *, actor):
    if status not in PlanStatus.values:
        raise DomainError("整改状态无效", field="status")
    with transaction.atomic():
        plan = RectificationPlan.objects.select_for_update().get(pk=plan.pk)
        old = plan.status
        plan.status = status
        plan.done_on = timezone.localdate() if status == PlanStatus.DONE else None
        plan.save(update_fields=["status", "done_on"])
        record("assessment.plan_status", plan, actor=actor, old=old, new=status)
    return plan
