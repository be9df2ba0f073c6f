from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from xianfeng.assessment import services
from xianfeng.assessment.models import (
    BranchAssessment,
    Change,
    ItemScore,
    MissingPolicy,
    RectificationPlan,
    Stage,
    Standard,
    StarRating,
)
from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog

from .factories import YEAR, make_standard, registered

D = Decimal


@pytest.fixture
def admin(world):
    return world.users["admin"]


@pytest.fixture
def standard(world):
    # 北关 and 北坦 are community branches; 十里堡 is rural and has no standard here.
    return make_standard(
        items=[
            ("三会一课", 40, "test.meetings", 100),
            ("人均积分", 20, "test.unregistered", 50),
            ("班子建设", 40, "", 0),
        ]
    )


def _review(world, standard, org, score):
    item = standard.items.get(name="班子建设")
    return services.set_review_score(
        org, item, score=D(score), evidence="查阅会议记录", actor=world.users["admin"]
    )


def _rating(org, year=YEAR):
    return StarRating.objects.get(organization=org, year=year)


def test_scores_with_missing_indicator_excluded(world, admin, standard):
    _review(world, standard, world.branch, 30)
    with registered("test.meetings", {world.branch.pk: 75, world.branch2.pk: 100}):
        services.evaluate_round(world.district, YEAR, actor=admin)
    a = BranchAssessment.objects.get(organization=world.branch)
    # 30 + 40 × 75% = 60 of 80 (the unregistered 20 are left out of the maximum) = 75 %
    assert (a.score, a.max_score, a.percent) == (D("60.00"), D("80.00"), D("75.00"))
    missing = a.items.get(item__name="人均积分")
    assert (missing.connected, missing.counted, missing.score) == (False, False, D(0))
    assert _rating(world.branch).stars == 3
    assert not StarRating.objects.filter(organization=world.other_branch).exists()


def test_missing_indicator_scores_zero_when_the_standard_says_so(world, admin, standard):
    Standard.objects.filter(pk=standard.pk).update(missing_policy=MissingPolicy.ZERO)
    _review(world, standard, world.branch, 30)
    with registered("test.meetings", {world.branch.pk: 75}):
        services.evaluate_round(world.district, YEAR, actor=admin)
    a = BranchAssessment.objects.get(organization=world.branch)
    assert (a.score, a.max_score, a.percent) == (D("60.00"), D("100.00"), D("60.00"))
    assert _rating(world.branch).stars == 2


def test_exactly_at_threshold_and_weak_flag(world, admin, standard):
    _review(world, standard, world.branch, 32)  # 32 + 40 = 72 of 80 = 90 % exactly → 5 stars
    with registered("test.meetings", {world.branch.pk: 100, world.branch2.pk: 10}):
        services.evaluate_round(world.district, YEAR, actor=admin)
    assert _rating(world.branch).stars == 5
    weak = _rating(world.branch2)  # 4 of 80 = 5 %
    assert (weak.stars, weak.weak_and_lax, weak.change) == (1, True, Change.NEW)


def _last_year(world, org, stars):
    rnd = services.Round.objects.create(organization=world.district, year=YEAR - 1)
    previous = make_standard(year=YEAR - 1)
    a = BranchAssessment.objects.create(
        round=rnd,
        organization=org,
        year=YEAR - 1,
        standard=previous,
        score=0,
        max_score=0,
        percent=0,
    )
    StarRating.objects.create(
        assessment=a,
        organization=org,
        year=YEAR - 1,
        computed_stars=stars,
        stars=stars,
        change=Change.NEW,
    )


def test_promote_limited_to_one_star_and_demote(world, admin, standard):
    _last_year(world, world.branch, 2)
    _review(world, standard, world.branch, 40)
    with registered("test.meetings", {world.branch.pk: 100}):
        services.evaluate_round(world.district, YEAR, actor=admin)
    r = _rating(world.branch)
    assert (r.computed_stars, r.stars, r.previous_stars, r.change) == (5, 3, 2, Change.PROMOTE)


def test_demote_unlimited_by_default_and_limited_when_set(world, admin, standard):
    _last_year(world, world.branch, 5)
    _review(world, standard, world.branch, 20)  # 20 of 80 = 25 % → 1 star
    with registered("test.meetings", {}):
        services.evaluate_round(world.district, YEAR, actor=admin)
        r = _rating(world.branch)
        assert (r.stars, r.change, r.weak_and_lax) == (1, Change.DEMOTE, True)
        Standard.objects.filter(pk=standard.pk).update(max_demote=1)
        services.evaluate_round(world.district, YEAR, actor=admin)
    r = _rating(world.branch)
    assert (r.computed_stars, r.stars, r.change, r.weak_and_lax) == (1, 4, Change.DEMOTE, True)


def test_re_evaluation_replaces_drafts_and_published_year_is_immutable(world, admin, standard):
    with registered("test.meetings", {world.branch.pk: 50}):
        services.evaluate_round(world.district, YEAR, actor=admin)
        _review(world, standard, world.branch, 40)
        rnd = services.evaluate_round(world.district, YEAR, actor=admin)
        assert BranchAssessment.objects.filter(year=YEAR).count() == 2
        assert ItemScore.objects.count() == 6
        assert BranchAssessment.objects.get(organization=world.branch).score == D("60.00")
        services.publish_round(rnd, actor=admin)
        with pytest.raises(DomainError, match="已发布"):
            services.evaluate_round(world.district, YEAR, actor=admin)
        with pytest.raises(DomainError, match="已发布"):
            services.evaluate_round(world.street, YEAR, actor=admin)  # overlapping, below
        with pytest.raises(DomainError, match="已发布"):
            _review(world, standard, world.branch, 10)
        with pytest.raises(DomainError, match="已发布"):
            services.publish_round(rnd, actor=admin)
    assert BranchAssessment.objects.get(organization=world.branch).score == D("60.00")
    assert rnd.__class__.objects.get(pk=rnd.pk).stage == Stage.PUBLISHED
    assert AuditLog.objects.filter(action="assessment.evaluated").count() == 2


def test_evaluation_without_standards_refused(world, admin):
    with pytest.raises(DomainError, match="尚未制定考核标准"):
        services.evaluate_round(world.district, YEAR, actor=admin)


def test_review_score_bounds_and_evidence(world, standard):
    admin = world.users["admin"]
    item = standard.items.get(name="班子建设")
    for score, evidence in ((D(41), "依据"), (D(-1), "依据"), (D(10), "  ")):
        with pytest.raises(DomainError):
            services.set_review_score(
                world.branch, item, score=score, evidence=evidence, actor=admin
            )
    computed = standard.items.get(name="三会一课")
    with pytest.raises(DomainError, match="系统计算"):
        services.set_review_score(world.branch, computed, score=D(1), evidence="x", actor=admin)
    with pytest.raises(DomainError, match="领域"):
        services.set_review_score(world.other_branch, item, score=D(1), evidence="x", actor=admin)
    _review(world, standard, world.branch, 10)
    _review(world, standard, world.branch, 12)  # a correction replaces the score
    assert item.reviews.get().score == D(12)


def test_reviewers_come_from_above(world):
    u = world.users
    assert services.reviews_from_above(u["committee_secretary"], world.branch)
    assert services.reviews_from_above(u["admin"], world.branch)
    assert not services.reviews_from_above(u["branch_secretary"], world.branch)
    assert not services.reviews_from_above(u["committee_secretary"], world.street)
    assert not services.reviews_from_above(u["committee_secretary"], world.other_branch)
    assert not services.reviews_from_above(u["observer"], world.branch)


def test_evaluation_queries_do_not_grow_with_branches(
    world, admin, standard, django_assert_max_num_queries
):
    from xianfeng.testing import make_org

    for i in range(10):
        make_org(f"新增{i}社区党支部", parent=world.street)
    # +2 for chaining the audit row (chain lock, last row).
    with registered("test.meetings", {}), django_assert_max_num_queries(26):
        services.evaluate_round(world.district, YEAR, actor=admin)
    assert StarRating.objects.filter(year=YEAR).count() == 12


def test_rectification_plan_only_for_weak(world, admin, standard):
    tomorrow = timezone.localdate() + timedelta(days=30)
    with registered("test.meetings", {world.branch.pk: 100}):
        _review(world, standard, world.branch, 40)
        services.evaluate_round(world.district, YEAR, actor=admin)
    with pytest.raises(DomainError, match="未被列为软弱涣散"):
        services.create_rectification_plan(
            world.branch, YEAR, measures="x", owner="张三", deadline=tomorrow, actor=admin
        )
    with pytest.raises(DomainError, match="不能早于今天"):
        services.create_rectification_plan(
            world.branch2, YEAR, measures="x", owner="王五", deadline=date(2020, 1, 1), actor=admin
        )
    plan = services.create_rectification_plan(
        world.branch2,
        YEAR,
        measures="配强班子；每月过组织生活",
        owner="王五",
        deadline=tomorrow,
        actor=admin,
    )
    with pytest.raises(DomainError, match="已有整改方案"):
        services.create_rectification_plan(
            world.branch2, YEAR, measures="x", owner="王五", deadline=tomorrow, actor=admin
        )
    services.set_plan_status(plan, "done", actor=admin)
    plan = RectificationPlan.objects.get()
    assert (plan.status, plan.done_on) == ("done", timezone.localdate())


def test_install_default_standards_then_copy_last_year(world, admin):
    created = services.install_default_standards(YEAR, actor=admin)
    assert len(created) == 8
    assert all(sum(i.max_score for i in s.items.all()) == 100 for s in created)
    assert services.install_default_standards(YEAR, actor=admin) == []
    community = Standard.objects.get(year=YEAR, domain="community")
    community.items.filter(name="班子建设").update(max_score=20)
    nxt = services.install_default_standards(YEAR + 1, actor=admin)
    copied = next(s for s in nxt if s.domain == "community")
    assert copied.items.get(name="班子建设").max_score == 20
    assert Standard.objects.filter(year=YEAR).count() == 8
