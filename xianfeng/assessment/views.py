"""评星定级 pages: the year's round, scorecards, reviewer scores, plaques, the star wall,
standards and rectification plans. Member assessment pages are in member_views.py.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can, get_org_for_user, scope_orgs
from xianfeng.core.errors import DomainError
from xianfeng.core.events import INDICATORS
from xianfeng.core.lists import page_of
from xianfeng.orgs.models import Domain, OrgKind

from . import services
from .forms import PlanForm, PlanStatusForm, ReviewForm
from .models import (
    BranchAssessment,
    ItemKind,
    RectificationPlan,
    ReviewScore,
    Round,
    Standard,
    StandardItem,
    StarRating,
)

NUMERALS = dict(enumerate("一二三四五", 1))


def year_param(request):
    """?year=…, by default last year (ratings are made after a year is over)."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year - 1
    return year if 2000 <= year <= 2100 else timezone.localdate().year - 1


def manages_top(user):
    """Standards and weights are shared by the whole site: a manage grant on a tree root."""
    return scope_orgs(user, Perm.ASSESS_MANAGE).filter(depth=1).exists()


def _ratings_under(org, year):
    return StarRating.objects.filter(
        year=year, organization__path__startswith=org.path
    ).select_related("organization", "assessment")


@perm_required(Perm.ASSESS_VIEW)
def assessment_home(request):
    year = year_param(request)
    orgs = scope_orgs(request.user, Perm.ASSESS_VIEW).active().filter(kind=OrgKind.COMMITTEE)
    rounds = {r.organization_id: r for r in Round.objects.filter(year=year, organization__in=orgs)}
    rows = [(org, rounds.get(org.pk)) for org in orgs]
    return render(request, "assessment/home.html", {"year": year, "rows": rows})


def distribution(ratings):
    """{domain label: [count of 1★ … 5★]} for the chart."""
    labels = dict(Domain.choices)
    counts = {}
    rows = ratings.order_by().values("organization__domain", "stars").annotate(n=Count("pk"))
    for row in rows:
        domain = str(labels.get(row["organization__domain"], row["organization__domain"]))
        counts.setdefault(domain, [0] * 5)[row["stars"] - 1] = row["n"]
    return counts


@perm_required(Perm.ASSESS_VIEW)
def round_detail(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ASSESS_VIEW)
    year = year_param(request)
    ratings = _ratings_under(org, year).order_by("-assessment__percent", "organization__path")
    return render(
        request,
        "assessment/round.html",
        {
            "org": org,
            "year": year,
            "round": Round.objects.filter(organization=org, year=year).first(),
            "covering": services.published_round_covering(org, year),
            "ratings": ratings,
            "chart": {"distribution": distribution(ratings)},
            "can_manage": can(request.user, Perm.ASSESS_MANAGE, org),
            "standards": Standard.objects.filter(year=year).count(),
        },
    )


@require_POST
@perm_required(Perm.ASSESS_MANAGE)
def round_evaluate(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ASSESS_MANAGE)
    year = year_param(request)
    try:
        services.evaluate_round(org, year, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已完成{year}年度测评。")
    return redirect(f"{reverse('assessment:round', args=[org.pk])}?year={year}")


@require_POST
@perm_required(Perm.ASSESS_MANAGE)
def round_publish(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ASSESS_MANAGE)
    year = year_param(request)
    rnd = Round.objects.filter(organization=org, year=year).first()
    try:
        if rnd is None:
            raise DomainError("尚未测评，不能发布")
        services.publish_round(rnd, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{year}年度评星定级已发布。")
    return redirect(f"{reverse('assessment:round', args=[org.pk])}?year={year}")


@perm_required(Perm.ASSESS_VIEW)
def scorecard(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ASSESS_VIEW)
    year = year_param(request)
    assessment = (
        BranchAssessment.objects.filter(organization=org, year=year)
        .select_related("standard", "round", "rating")
        .first()
    )
    items = list(assessment.items.select_related("item")) if assessment else []
    standard = Standard.objects.filter(domain=org.domain, year=year).first()
    reviews = {
        r.item_id: r
        for r in ReviewScore.objects.filter(
            organization=org, item__standard=standard
        ).select_related("reviewer")
    }
    reviewed = standard.items.filter(kind=ItemKind.REVIEWED) if standard else []
    may_review = (
        standard is not None
        and services.reviews_from_above(request.user, org)
        and services.published_round_covering(org, year) is None
    )
    return render(
        request,
        "assessment/scorecard.html",
        {
            "org": org,
            "year": year,
            "assessment": assessment,
            "items": items,
            "indicators": INDICATORS,
            "review_rows": [(item, reviews.get(item.pk)) for item in reviewed],
            "may_review": may_review,
            "history": org.star_ratings.order_by("year"),
            "plan": RectificationPlan.objects.filter(organization=org, year=year).first(),
            "can_manage": can(request.user, Perm.ASSESS_MANAGE, org),
            "plan_form": PlanForm(),
            "status_form": PlanStatusForm(),
            "chart": {
                "radar": [
                    {"name": s.item.name, "max": float(s.item.max_score), "value": float(s.score)}
                    for s in items
                    if s.counted
                ]
            },
        },
    )


@require_POST
@perm_required(Perm.ASSESS_SCORE)
def review_score(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ASSESS_SCORE)
    if not services.reviews_from_above(request.user, org):
        raise PermissionDenied("评审打分须由上级党组织进行。")
    year = year_param(request)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写评分和评分依据。")
    else:
        item = get_object_or_404(StandardItem, pk=form.cleaned_data["item"], standard__year=year)
        try:
            services.set_review_score(
                org,
                item,
                score=form.cleaned_data["score"],
                evidence=form.cleaned_data["evidence"],
                actor=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已保存“{item.name}”评分，重新测评后计入得分。")
    return redirect(f"{reverse('assessment:scorecard', args=[org.pk])}?year={year}")


@perm_required(Perm.ASSESS_VIEW)
def plaque(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ASSESS_VIEW)
    year = year_param(request)
    rating = (
        StarRating.objects.filter(organization=org, year=year)
        .select_related("assessment__round__organization")
        .first()
    )
    if rating is None:
        raise Http404("该年度尚无评星结果")
    return render(
        request,
        "assessment/plaque.html",
        {
            "org": org,
            "rating": rating,
            "stars": range(rating.stars),
            "numeral": NUMERALS[rating.stars],
            "year": year,
        },
    )


@perm_required(Perm.ASSESS_VIEW)
def star_wall(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ASSESS_VIEW)
    year = year_param(request)
    ratings = _ratings_under(org, year).order_by("-stars", "organization__path")
    rows = [(n, [r for r in ratings if r.stars == n]) for n in range(5, 0, -1)]
    return render(request, "assessment/wall.html", {"org": org, "year": year, "rows": rows})


@perm_required(Perm.ASSESS_VIEW)
def standard_list(request):
    year = year_param(request)
    standards = Standard.objects.filter(year=year).prefetch_related("items")
    return render(
        request,
        "assessment/standards.html",
        {
            "year": year,
            "standards": standards,
            "indicators": INDICATORS,
            "may_install": manages_top(request.user),
        },
    )


@require_POST
@perm_required(Perm.ASSESS_MANAGE)
def standard_install(request):
    if not manages_top(request.user):
        raise PermissionDenied("考核标准由区级党委统一制定。")
    year = year_param(request)
    created = services.install_default_standards(year, actor=request.user)
    messages.success(request, f"已新建 {len(created)} 个{year}年度考核标准。")
    return redirect(f"{reverse('assessment:standards')}?year={year}")


@perm_required(Perm.ASSESS_VIEW)
def rectification_list(request):
    orgs = scope_orgs(request.user, Perm.ASSESS_VIEW)
    weak = (
        StarRating.objects.filter(weak_and_lax=True, organization__in=orgs)
        .select_related("organization")
        .order_by("-year", "organization__path", "pk")
    )
    page = page_of(request, weak)
    shown = list(page)
    plans = {
        (p.organization_id, p.year): p
        for p in RectificationPlan.objects.filter(
            organization__in=[r.organization_id for r in shown],
            year__in={r.year for r in shown},
        )
    }
    rows = [(r, plans.get((r.organization_id, r.year))) for r in shown]
    return render(request, "assessment/rectifications.html", {"page": page, "rows": rows})


@require_POST
@perm_required(Perm.ASSESS_MANAGE)
def plan_create(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ASSESS_MANAGE)
    year = year_param(request)
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写整改措施、责任人和整改时限。")
    else:
        try:
            services.create_rectification_plan(org, year, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "整改方案已保存。")
    return redirect(f"{reverse('assessment:scorecard', args=[org.pk])}?year={year}")


@require_POST
@perm_required(Perm.ASSESS_MANAGE)
def plan_status(request, pk):
    orgs = scope_orgs(request.user, Perm.ASSESS_MANAGE)
    plan = RectificationPlan.objects.filter(organization__in=orgs, pk=pk).first()
    if plan is None:
        raise Http404("整改方案不存在或无权查看")
    form = PlanStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "整改状态无效。")
    else:
        services.set_plan_status(plan, form.cleaned_data["status"], actor=request.user)
        messages.success(request, "整改状态已更新。")
    return redirect(
        f"{reverse('assessment:scorecard', args=[plan.organization_id])}?year={plan.year}"
    )
