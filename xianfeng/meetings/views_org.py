"""组织生活 pages for an organization: compliance, the rules table, the yearly ledger (A4 and
xlsx), 民主评议 results, and the meeting plan."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can, get_org_for_user, granted_paths, path_q, scope_orgs
from xianfeng.core import sheets
from xianfeng.core.dates import year_param
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.orgs.models import Organization

from . import plans, services
from .compliance import CODES, LATE, MET, MISSED, PENDING, STATUS_LABELS, compliance
from .forms import PlanItemForm, ReviewForm
from .ledger import build_ledger, ledger_workbook
from .models import PlanItem, Reminder, ReviewResult
from .rules import QUORUM_SOURCE, REVIEW_SOURCE, RULE_BY_CODE, RULES

LIST_LIMIT = 200


def period_of(request):
    """(year, quarter or None, start, end) from ?year=&quarter=."""
    year = year_param(request.GET.get("year"))
    try:
        quarter = int(request.GET.get("quarter", ""))
    except ValueError:
        quarter = None
    if quarter not in (1, 2, 3, 4):
        return year, None, date(year, 1, 1), date(year, 12, 31)
    end = date(year + (quarter == 4), 1 if quarter == 4 else quarter * 3 + 1, 1)
    return year, quarter, date(year, quarter * 3 - 2, 1), date.fromordinal(end.toordinal() - 1)


def _root(request):
    if request.GET.get("org"):
        return get_org_for_user(request.user, request.GET["org"], Perm.MEETING_VIEW)
    root = scope_orgs(request.user, Perm.MEETING_VIEW).order_by("depth", "path").first()
    if root is None:
        raise Http404("没有可查看的组织")
    return root


@perm_required(Perm.MEETING_VIEW)
def compliance_page(request):
    root = _root(request)
    year, quarter, start, end = period_of(request)
    result = compliance([root], start, end, timezone.localdate())
    by_rule = result.by_rule()
    rules = [
        {
            "rule": RULE_BY_CODE[code],
            "met": by_rule[code][MET],
            "pending": by_rule[code][PENDING],
            "late": by_rule[code][LATE],
            "missed": by_rule[code][MISSED],
            "share": result.rule_share(code),
        }
        for code in CODES
    ]
    failing = [
        (
            org_id,
            [RULE_BY_CODE[c].label for c, s in zip(CODES, row, strict=True) if s == MISSED],
            [RULE_BY_CODE[c].label for c, s in zip(CODES, row, strict=True) if s == LATE],
        )
        for org_id, row in result.statuses.items()
        if MISSED in row or LATE in row
    ]
    names = _names([f[0] for f in failing[:LIST_LIMIT]])
    context = {
        "root": root,
        "year": year,
        "quarter": quarter,
        "start": start,
        "end": end,
        "rules": rules,
        "share": result.share_compliant(),
        "bound": sum(1 for row in result.statuses.values() if any(row)),
        "failing": [(names[i], missed, late) for i, missed, late in failing[:LIST_LIMIT]],
        "failing_total": len(failing),
        "reminders": Reminder.objects.filter(
            path_q("organization__path", granted_paths(request.user, Perm.MEETING_VIEW)),
            organization__path__startswith=root.path,
        ).select_related("organization")[:20],
    }
    return render(request, "meetings/compliance.html", context)


def _names(ids):
    found = Organization.objects.filter(pk__in=ids).order_by("path")
    return {org.pk: org for org in found}


@perm_required(Perm.MEETING_VIEW)
def rules_page(request):
    context = {"rules": RULES, "quorum_source": QUORUM_SOURCE, "labels": STATUS_LABELS}
    return render(request, "meetings/rules.html", context)


@perm_required(Perm.MEETING_VIEW)
def ledger_page(request, pk):
    org = get_org_for_user(request.user, pk, Perm.MEETING_VIEW)
    ledger = build_ledger(org, year_param(request.GET.get("year")))
    return render(request, "meetings/ledger.html", {"org": org, "ledger": ledger})


@perm_required(Perm.MEETING_VIEW)
def ledger_xlsx(request, pk):
    org = get_org_for_user(request.user, pk, Perm.MEETING_VIEW)
    year = year_param(request.GET.get("year"))
    return sheets.download(ledger_workbook(org, year), f"meetings-{org.code}-{year}.xlsx")


def _require_change(request, org):
    if request.method == "POST" and not can(request.user, Perm.MEETING_CHANGE, org):
        raise PermissionDenied("没有权限访问此页面。")


@perm_required(Perm.MEETING_VIEW)
def reviews_page(request, pk):
    org = get_org_for_user(request.user, pk, Perm.MEETING_VIEW)
    _require_change(request, org)
    year = year_param(request.GET.get("year"))
    members = services.org_members(org).order_by("name_pinyin")
    form = ReviewForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.record_review(data.pop("member"), year, actor=request.user, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "评议结果已登记")
            return redirect(f"{request.path}?year={year}")
    results = ReviewResult.objects.filter(organization=org, year=year).select_related("member")
    page = page_of(request, results.order_by("member__name_pinyin", "pk"))
    context = {
        "org": org,
        "year": year,
        "form": form,
        "page": page,
        "results": page,
        "may_change": can(request.user, Perm.MEETING_CHANGE, org),
        "warnings": services.review_warnings(org, year),
        "review_source": REVIEW_SOURCE,
    }
    return render(request, "meetings/reviews.html", context)


@perm_required(Perm.MEETING_VIEW)
def plan_page(request, pk):
    org = get_org_for_user(request.user, pk, Perm.MEETING_VIEW)
    _require_change(request, org)
    year = year_param(request.GET.get("year"))
    if request.method == "POST" and request.POST.get("delete"):
        return _delete_plan_item(request, org, year)
    form = PlanItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plans.add_plan_item(org, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已加入计划")
            return redirect(f"{request.path}?year={year}")
    items = PlanItem.objects.filter(organization=org, year=year).select_related("meeting")
    quarters = {q: [] for q in range(1, 5)}
    for item in items:
        quarters[item.quarter].append(item)
    context = {
        "org": org,
        "year": year,
        "form": form,
        "quarters": quarters.items(),
        "today": timezone.localdate(),
        "may_change": can(request.user, Perm.MEETING_CHANGE, org),
    }
    return render(request, "meetings/plan.html", context)


def _delete_plan_item(request, org, year):
    raw = request.POST["delete"]
    item = PlanItem.objects.filter(organization=org, pk=raw).first() if raw.isdigit() else None
    if item is None:
        messages.error(request, "计划不存在或已删除")
    else:
        plans.delete_plan_item(item, actor=request.user)
        messages.success(request, "已删除")
    return redirect(f"{request.path}?year={year}")


@require_POST
@perm_required(Perm.MEETING_CHANGE)
def plan_copy(request, pk):
    org = get_org_for_user(request.user, pk, Perm.MEETING_CHANGE)
    year = year_param(request.POST.get("year"))
    try:
        copied = plans.copy_plan(org, year, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已复制 {copied} 项计划到{year + 1}年")
    return redirect(f"{reverse('meetings:plan', args=[org.pk])}?year={year + 1}")
