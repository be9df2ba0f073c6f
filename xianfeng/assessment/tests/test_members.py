from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest

from xianfeng.assessment import members as svc
from xianfeng.assessment.inputs import MEMBER_INPUTS, member_input
from xianfeng.assessment.models import MemberAssessment, Stage
from xianfeng.core.errors import DomainError

from .factories import YEAR

D = Decimal


@contextmanager
def provider(code, values):
    """Stand in for the app that provides `code`, then put the real provider back."""
    previous = MEMBER_INPUTS.get(code)
    member_input(code, code)(lambda members, year: values)
    try:
        yield
    finally:
        MEMBER_INPUTS.pop(code, None)
        if previous is not None:
            MEMBER_INPUTS[code] = previous


@pytest.fixture
def secretary(world):
    return world.users["branch_secretary"]


def test_unconnected_weight_is_spread_over_the_others():
    # points 40 / review 30 / secretary 30; review not registered → 40:30 of 70
    total, weights, missing = svc.weighted_total(
        {"points": 80, "secretary": 100}, {"points": 40, "review": 30, "secretary": 30}
    )
    assert missing == ["review"]
    assert weights == {"points": 57.14, "secretary": 42.86}
    assert total == D("88.57")  # (80×40 + 100×30) / 70


def test_connected_but_missing_value_is_incomplete():
    total, _, missing = svc.weighted_total(
        {"points": 80, "secretary": None}, {"points": 50, "secretary": 50}
    )
    assert total is None and missing == []


def test_nothing_connected_is_incomplete():
    assert svc.weighted_total({}, {"points": 100})[0] is None


def test_evaluate_members_with_weights(world, secretary):
    svc.set_weights(YEAR, {"points": 50, "review": 0, "secretary": 50}, actor=secretary)
    svc.set_secretary_score(world.member, YEAR, score=D(90), actor=secretary)
    with provider("points", {world.member.pk: 70}):
        svc.evaluate_members(world.branch, YEAR, actor=secretary)
    row = MemberAssessment.objects.get(member=world.member, year=YEAR)
    assert (row.total, row.grade, row.missing) == (D("80.00"), "合格", [])
    assert row.components == {"points": 70.0, "secretary": 90.0}
    others = MemberAssessment.objects.filter(year=YEAR).exclude(member=world.member)
    assert others.count() == 3 and all(not r.complete for r in others)


def test_default_weights_without_points_and_review(world, secretary, without_providers):
    svc.set_secretary_score(world.member, YEAR, score=D(95), actor=secretary)
    svc.evaluate_members(world.branch, YEAR, actor=secretary)
    row = MemberAssessment.objects.get(member=world.member, year=YEAR)
    assert (row.total, row.grade) == (D("95.00"), "优秀")
    assert row.missing == ["points", "review"] and row.weights == {"secretary": 100.0}


def test_weights_must_add_up(world, secretary):
    with pytest.raises(DomainError, match="之和应为 100"):
        svc.set_weights(YEAR, {"points": 50, "secretary": 40}, actor=secretary)
    with pytest.raises(DomainError, match="负数"):
        svc.set_weights(YEAR, {"points": 110, "secretary": -10}, actor=secretary)


def test_secretary_score_bounds(world, secretary):
    for bad in (D(-1), D("100.01"), None):
        with pytest.raises(DomainError):
            svc.set_secretary_score(world.member, YEAR, score=bad, actor=secretary)


def test_re_evaluation_replaces_drafts_and_keeps_published(world, secretary, without_providers):
    members = list(world.branch.members.all())
    for m in members:
        svc.set_secretary_score(m, YEAR, score=D(80), actor=secretary)
    svc.evaluate_members(world.branch, YEAR, actor=secretary)
    svc.evaluate_members(world.branch, YEAR, actor=secretary)
    assert MemberAssessment.objects.filter(year=YEAR).count() == len(members)
    assert svc.publish_member_results(world.branch, YEAR, actor=secretary) == len(members)
    with pytest.raises(DomainError, match="已发布"):
        svc.set_secretary_score(world.member, YEAR, score=D(10), actor=secretary)
    svc.evaluate_members(world.street, YEAR, actor=secretary)  # 王五 in 北坦 is new, incomplete
    assert MemberAssessment.objects.get(member=world.member).stage == Stage.PUBLISHED
    with pytest.raises(DomainError, match="不完整"):
        svc.publish_member_results(world.street, YEAR, actor=secretary)


def test_history_is_one_row_per_year(world, secretary, without_providers):
    for year in (YEAR - 1, YEAR):
        svc.set_secretary_score(world.member, year, score=D(70 + year - YEAR), actor=secretary)
        svc.evaluate_members(world.branch, year, actor=secretary)
    assert list(
        MemberAssessment.objects.filter(member=world.member).values_list("year", "total")
    ) == [(YEAR, D("70.00")), (YEAR - 1, D("69.00"))]


def test_dues_collection_indicator(world, secretary):
    from xianfeng.core.events import INDICATORS
    from xianfeng.dues import services as dues

    m = world.member
    dues.set_dues_basis(
        m, category="farmer", income=0, from_month=date(2024, 1, 1), actor=secretary
    )
    for month in range(1, 7):
        dues.record_payment(
            m, date(2024, month, 1), paid_on=date(2024, month, 5), method="self", actor=secretary
        )
    values = INDICATORS["dues.collection"].compute(
        type(world.branch).objects.filter(pk__in=[world.branch.pk, world.branch2.pk]), 2024
    )
    assert values == {world.branch.pk: 50.0}  # 6 of 12; 北坦 has no basis set, no value


def test_members_development_indicator(world):
    from xianfeng.core.events import INDICATORS

    values = INDICATORS["members.development"].compute(
        type(world.branch).objects.filter(pk=world.branch.pk), 2025
    )
    assert values == {world.branch.pk: 0}
