"""党员考核: a member's yearly total from weighted components (points, democratic review,
the secretary's score, and whatever else registers in inputs.MEMBER_INPUTS).

Decision on missing inputs: a component whose provider is not registered (未接入) drops out
and its weight is spread over the connected components in proportion to their weights;
the result lists it under `missing`. A connected component with no value for the member
(e.g. the secretary has not scored yet) makes the result incomplete: no total, no grade.
"""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from xianfeng.core.audit import record
from xianfeng.core.errors import DomainError
from xianfeng.members.models import Member

from . import rules
from .inputs import MEMBER_INPUTS, member_input
from .models import MemberAssessment, MemberWeights, SecretaryScore, Stage
from .scoring import quantize


@member_input("secretary", _("书记评价"))
def secretary_scores(members, year):
    return dict(
        SecretaryScore.objects.filter(member__in=members, year=year).values_list(
            "member_id", "score"
        )
    )


def weights_for(year):
    row = MemberWeights.objects.filter(year=year).first()
    return dict(row.weights) if row else rules.member_weights_default()


def set_weights(year, weights, *, actor):
    """Weights in whole percent, one per component code; they must add up to 100."""
    if any(int(w) < 0 for w in weights.values()):
        raise DomainError("权重不能为负数")
    clean = {code: int(w) for code, w in weights.items() if int(w) > 0}
    if sum(clean.values()) != 100:
        raise DomainError(f"各项权重之和应为 100，当前为 {sum(clean.values())}")
    with transaction.atomic():
        row, _ = MemberWeights.objects.update_or_create(
            year=year, defaults={"weights": clean, "set_by": actor}
        )
        record("assessment.weights_set", row, actor=actor, weights=clean)
    return row


def weighted_total(components, weights):
    """(total or None, effective weights, missing codes) — see the module docstring."""
    missing = [code for code in weights if code not in components]
    connected = {code: w for code, w in weights.items() if code in components}
    share = sum(connected.values())
    effective = {code: Decimal(w) * 100 / share for code, w in connected.items()} if share else {}
    if not effective or any(components[code] is None for code in effective):
        return None, _rounded(effective), missing
    total = sum(Decimal(str(components[c])) * w / 100 for c, w in effective.items())
    return quantize(total), _rounded(effective), missing


def _rounded(weights):
    return {code: float(quantize(w)) for code, w in weights.items()}


def member_components(members, year, codes):
    """{member_id: {code: score or None}} for the connected codes; one provider call per code."""
    ids = [m.pk for m in members]
    qs = Member.objects.filter(pk__in=ids)
    found = {code: MEMBER_INPUTS[code].compute(qs, year) for code in codes if code in MEMBER_INPUTS}
    return {pk: {code: _score(values.get(pk)) for code, values in found.items()} for pk in ids}


def _score(value):
    return None if value is None else float(quantize(min(max(Decimal(str(value)), 0), 100)))


def evaluate_members(org, year, *, actor):
    """(Re)compute the draft results of the active members under `org`; published ones stay."""
    with transaction.atomic():
        members = list(
            Member.objects.active()
            .filter(organization__path__startswith=org.path)
            .select_for_update()
        )
        published = set(
            MemberAssessment.objects.filter(
                member__in=members, year=year, stage=Stage.PUBLISHED
            ).values_list("member_id", flat=True)
        )
        members = [m for m in members if m.pk not in published]
        weights = weights_for(year)
        components = member_components(members, year, weights)
        MemberAssessment.objects.filter(member__in=members, year=year).delete()
        rows = []
        for m in members:
            total, effective, missing = weighted_total(components[m.pk], weights)
            rows.append(
                MemberAssessment(
                    member=m,
                    organization_id=m.organization_id,
                    year=year,
                    components=components[m.pk],
                    weights=effective,
                    missing=missing,
                    total=total,
                    grade=rules.member_grade(total),
                )
            )
        MemberAssessment.objects.bulk_create(rows)
        record(
            "assessment.members_evaluated",
            org,
            actor=actor,
            year=year,
            members=len(rows),
            kept_published=len(published),
        )
    return rows


def set_secretary_score(member, year, *, score, comment="", actor):
    if score is None or not 0 <= score <= 100:
        raise DomainError("书记评价应在 0 到 100 分之间", field="score")
    with transaction.atomic():
        Member.objects.locked().get(pk=member.pk)
        if MemberAssessment.objects.filter(
            member=member, year=year, stage=Stage.PUBLISHED
        ).exists():
            raise DomainError(f"{member.name}{year}年度考核结果已发布，不能修改评分")
        row, _ = SecretaryScore.objects.update_or_create(
            member=member,
            year=year,
            defaults={"score": score, "comment": comment.strip(), "scored_by": actor},
        )
        record("assessment.secretary_scored", member, actor=actor, year=year, score=score)
    return row


def publish_member_results(org, year, *, actor):
    """Fix the complete draft results under `org`; incomplete ones are refused as a whole."""
    with transaction.atomic():
        drafts = MemberAssessment.objects.select_for_update().filter(
            organization__path__startswith=org.path, year=year, stage=Stage.DRAFT
        )
        if not drafts.exists():
            raise DomainError("没有待发布的考核结果")
        incomplete = drafts.filter(total__isnull=True).count()
        if incomplete:
            raise DomainError(f"还有 {incomplete} 名党员的考核结果不完整，不能发布")
        count = drafts.update(stage=Stage.PUBLISHED)
        record("assessment.members_published", org, actor=actor, year=year, members=count)
    return count
