"""发展党员 pages: list by stage, a development's timeline, start, record a step, yearly plan."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can, has_perm_anywhere, scope_orgs
from xianfeng.core.dates import year_param
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.orgs.models import OrgKind

from . import services
from .forms import PlanForm, ProbationForm, ReportForm, ReviewForm, StartForm, StepForm
from .models import Development, DevelopmentPlan, DevelopmentStatus, DevelopmentStep
from .rules import (
    BRANCH_ADMITS,
    BRANCH_CONFIRMS,
    DEPARTURE_SOURCE,
    EXTRA_RULES,
    MEETING_MAJORITY_SOURCE,
    MEETING_QUORUM_SOURCE,
    PROBATION_EXTENSION_SOURCE,
    REVIEW_SOURCE,
    STAGES,
    STEP_BY_CODE,
    STEPS,
    TIME_RULES,
    check_timing,
    probation_ends_on,
)


def _scoped(user, perm):
    orgs = scope_orgs(user, perm)
    return Development.objects.filter(organization__in=orgs).select_related("organization")


def _get(user, pk, perm=Perm.MEMBER_VIEW):
    try:
        return _scoped(user, perm).prefetch_related(*services.RELATED).get(pk=pk)
    except (ValueError, TypeError, Development.DoesNotExist) as exc:
        raise Http404("发展记录不存在或无权查看") from exc


def _stage_rank():
    """The stage of the latest recorded step, in SQL: step codes sort in their order (s01…s25),
    so the latest is the greatest code, and each stage starts at a known code."""
    last = Subquery(
        DevelopmentStep.objects.filter(development=OuterRef("pk"))
        .order_by("-step")
        .values("step")[:1]
    )
    firsts = {}
    for step in STEPS:
        firsts.setdefault(step.stage, step.code)
    order = list(STAGES)
    whens = [When(last_code__isnull=True, then=Value(0))] + [
        When(last_code__lt=firsts[code], then=Value(i - 1))
        for i, code in enumerate(order)
        if i and code in firsts
    ]
    return last, Case(*whens, default=Value(len(order) - 1), output_field=IntegerField())


@perm_required(Perm.MEMBER_VIEW)
def development_list(request):
    """Active developments by stage: the stage is computed in SQL, so the totals are one grouped
    count and the list pages in SQL; only the page's rows load their steps (issue 19: the
    whole scope was loaded and sorted in memory, 7.1 s for a 100,000-member city)."""
    today = timezone.localdate()
    last, rank = _stage_rank()
    devs = (
        _scoped(request.user, Perm.MEMBER_VIEW)
        .filter(status=DevelopmentStatus.ACTIVE)
        .annotate(last_code=last)
        .annotate(stage_rank=rank)
    )
    order = list(STAGES)
    totals = dict.fromkeys(order, 0)
    for i, n in devs.order_by().values_list("stage_rank").annotate(n=Count("pk")):
        totals[order[i]] = n
    listed = devs.order_by("stage_rank", "organization__path", "pk")
    page = page_of(request, listed.prefetch_related(*services.RELATED))
    groups = {code: [] for code in STAGES}
    for dev in page:
        groups[dev.stage].append((dev, check_timing(dev, today)))
    stages = [(STAGES[code], totals[code], rows) for code, rows in groups.items()]
    return render(request, "development/list.html", {"stages": stages, "page": page})


@perm_required(Perm.MEMBER_VIEW)
def development_detail(request, pk):
    dev = _get(request.user, pk)
    return render(request, "development/detail.html", _detail_context(request, dev, StepForm()))


def _detail_context(request, dev, form, report_form=None, review_form=None, probation_form=None):
    violations = check_timing(dev, timezone.localdate())
    flags = {}
    for v in violations:
        flags.setdefault(v.step, []).append(v)
    done = {s.step: s for s in dev.steps.all()}
    timeline = [(step, done.get(step.code), flags.get(step.code, [])) for step in STEPS]
    return {
        "dev": dev,
        "timeline": timeline,
        "violations": violations,
        "stage_names": STAGES,
        "form": form,
        "report_form": report_form or ReportForm(),
        "review_form": review_form or ReviewForm(),
        "probation_form": probation_form or ProbationForm(),
        "probation_ends_on": probation_ends_on(dev, done),
        "probation_source": PROBATION_EXTENSION_SOURCE,
        "vote_source": f"{MEETING_QUORUM_SOURCE} {MEETING_MAJORITY_SOURCE}",
        "departure_source": DEPARTURE_SOURCE,
        "in_probation": dev.member_id is not None and BRANCH_CONFIRMS not in done,
        "reviews": dev.activist_reviews.all(),
        "review_source": REVIEW_SOURCE,
        "may_change": can(request.user, Perm.MEMBER_CHANGE, dev.organization),
        "reports": dev.thought_reports.all(),
    }


@perm_required(Perm.MEMBER_CHANGE)
def development_start(request):
    form = StartForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = data.pop("organization")
        try:
            dev = services.start_development(org, actor=request.user, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已登记入党申请人")
            return redirect("development:detail", dev.pk)
    return render(request, "development/form.html", {"form": form, "title": "登记入党申请人"})


@perm_required(Perm.MEMBER_CHANGE)
def development_record(request, pk):
    dev = _get(request.user, pk, Perm.MEMBER_CHANGE)
    if request.method != "POST":
        return redirect("development:detail", dev.pk)
    form = StepForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            found = services.record_step(dev, data.pop("step"), actor=request.user, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已记录")
            for v in found:
                messages.warning(request, v.message)
            return redirect("development:detail", dev.pk)
    dev = _get(request.user, pk, Perm.MEMBER_CHANGE)
    return render(request, "development/detail.html", _detail_context(request, dev, form))


@require_POST
@perm_required(Perm.MEMBER_CHANGE)
def development_report(request, pk):
    dev = _get(request.user, pk, Perm.MEMBER_CHANGE)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.record_thought_report(
                dev, submitted_on=form.cleaned_data["submitted_on"], actor=request.user
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已记录思想汇报")
            return redirect("development:detail", dev.pk)
    dev = _get(request.user, pk, Perm.MEMBER_CHANGE)
    return render(
        request, "development/detail.html", _detail_context(request, dev, StepForm(), form)
    )


@require_POST
@perm_required(Perm.MEMBER_CHANGE)
def development_review(request, pk):
    dev = _get(request.user, pk, Perm.MEMBER_CHANGE)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.record_activist_review(dev, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已记录积极分子考察")
            return redirect("development:detail", dev.pk)
    dev = _get(request.user, pk, Perm.MEMBER_CHANGE)
    context = _detail_context(request, dev, StepForm(), review_form=form)
    return render(request, "development/detail.html", context)


@require_POST
@perm_required(Perm.MEMBER_CHANGE)
def development_probation(request, pk):
    dev = _get(request.user, pk, Perm.MEMBER_CHANGE)
    form = ProbationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "extend":
                if data["months"] is None:
                    raise DomainError("请填写延长月数", field="months")
                services.extend_probation(
                    dev,
                    decided_on=data["decided_on"],
                    months=data["months"],
                    reason=data["reason"],
                    actor=request.user,
                )
            else:
                services.cancel_probation(
                    dev, decided_on=data["decided_on"], reason=data["reason"], actor=request.user
                )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已记录预备期处理")
            return redirect("development:detail", dev.pk)
    dev = _get(request.user, pk, Perm.MEMBER_CHANGE)
    context = _detail_context(request, dev, StepForm(), probation_form=form)
    return render(request, "development/detail.html", context)


@perm_required(Perm.MEMBER_VIEW)
def development_plan(request):
    year = year_param(request.GET.get("year"))
    if request.method == "POST" and not has_perm_anywhere(request.user, Perm.MEMBER_CHANGE):
        raise PermissionDenied("没有权限访问此页面。")
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_plan(
                data["organization"], year, data["planned"], note=data["note"], actor=request.user
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已保存发展计划")
            return redirect(f"{request.path}?year={year}")
    branches = scope_orgs(request.user, Perm.MEMBER_VIEW).filter(kind=OrgKind.BRANCH)
    admitted = Q(developments__steps__step=BRANCH_ADMITS, developments__steps__done_on__year=year)
    rows = branches.order_by("path").annotate(actual=Count("developments", filter=admitted))
    plans = dict(
        DevelopmentPlan.objects.filter(organization__in=branches, year=year).values_list(
            "organization_id", "planned"
        )
    )
    context = {
        "year": year,
        "rows": [(org, plans.get(org.pk), org.actual) for org in rows],
        "form": form,
    }
    return render(request, "development/plan.html", context)


@perm_required(Perm.MEMBER_VIEW)
def development_rules(request):
    return render(
        request,
        "development/rules.html",
        {
            "steps": STEPS,
            "rules": TIME_RULES,
            "stages": STAGES,
            "step_by_code": STEP_BY_CODE,
            "review_source": REVIEW_SOURCE,
            "extra_rules": EXTRA_RULES,
        },
    )
