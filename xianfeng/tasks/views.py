"""挂图作战 board, timeline and task pages; brand plans and a street's brand progress."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can, has_perm_anywhere, scope_orgs
from xianfeng.core import sheets, uploads
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of

from . import services
from .exports import board_workbook
from .forms import BrandForm, DoneForm, EvidenceForm, ReportForm, TaskForm
from .models import BrandMilestone, BrandPlan, BrandStatus, KeyTask, Milestone, TaskKind
from .rules import LIGHT_LABELS
from .timeline import timeline_rows


def _tasks(user, perm=Perm.ORG_VIEW):
    return KeyTask.objects.filter(organization__in=scope_orgs(user, perm))


def _get_task(user, pk, perm=Perm.ORG_VIEW):
    try:
        return _tasks(user, perm).select_related("organization").get(pk=pk)
    except (ValueError, KeyTask.DoesNotExist) as exc:
        raise Http404("任务不存在或无权查看") from exc


def _filtered_board(request, *, lazy=False):
    """(task, light) rows of the board's filter; `lazy`: a generator over chunks (export)."""
    tasks = _tasks(request.user)
    kind = request.GET.get("kind")
    if kind in TaskKind.values:
        tasks = tasks.filter(kind=kind)
    rows = services.board(tasks, timezone.localdate(), lazy=lazy)
    light = request.GET.get("light")
    if light in LIGHT_LABELS:
        rows = ((task, lt) for task, lt in rows if lt.colour == light)
        if not lazy:
            rows = list(rows)
    return rows


@perm_required(Perm.ORG_VIEW)
def task_board(request):
    rows = _filtered_board(request)
    counts = {code: 0 for code in LIGHT_LABELS}
    for _task, light in rows:
        counts[light.colour] += 1
    page = page_of(request, rows)  # the lights are computed in memory
    context = {
        "rows": page,
        "page": page,
        "counts": [(code, label, counts[code]) for code, label in LIGHT_LABELS.items()],
        "kinds": TaskKind.choices,
        "may_manage": has_perm_anywhere(request.user, Perm.TASK_MANAGE),
    }
    return render(request, "tasks/board.html", context)


@perm_required(Perm.ORG_VIEW)
def task_timeline(request):
    today = timezone.localdate()
    rows = _filtered_board(request)
    return render(request, "tasks/timeline.html", {"timeline": timeline_rows(rows, today)})


@perm_required(Perm.ORG_VIEW)
def task_export(request):
    rows = _filtered_board(request, lazy=True)
    return sheets.download(board_workbook(rows), f"重点任务_{timezone.localdate():%Y%m%d}.xlsx")


@perm_required(Perm.TASK_MANAGE)
def task_create(request):
    form = TaskForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = data.pop("organization")
        try:
            task = services.create_task(org, actor=request.user, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已部署任务")
            return redirect("tasks:detail", task.pk)
    return render(request, "tasks/form.html", {"form": form, "title": "部署重点任务"})


@perm_required(Perm.TASK_MANAGE)
def task_edit(request, pk):
    task = _get_task(request.user, pk, Perm.TASK_MANAGE)
    form = TaskForm(request.POST or None, instance=task, user=request.user)
    del form.fields["milestones"], form.fields["organization"]
    if request.method == "POST" and form.is_valid():
        try:
            services.update_task(task, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已保存")
            return redirect("tasks:detail", task.pk)
    return render(request, "tasks/form.html", {"form": form, "title": f"编辑任务：{task}"})


@perm_required(Perm.ORG_VIEW)
def task_detail(request, pk):
    task = _get_task(request.user, pk)
    return render(request, "tasks/detail.html", _detail_context(request, task, ReportForm()))


def _detail_context(request, task, report_form):
    [(task, light)] = services.board(KeyTask.objects.filter(pk=task.pk), timezone.localdate())
    return {
        "task": task,
        "light": light,
        "updates": task.updates.select_related("reported_by"),
        "report_form": report_form,
        "done_form": DoneForm(initial={"done_on": timezone.localdate()}),
        "may_report": can(request.user, Perm.ORG_CHANGE, task.organization),
        "may_manage": can(request.user, Perm.TASK_MANAGE, task.organization),
    }


@require_POST
@perm_required(Perm.ORG_CHANGE)
def task_report(request, pk):
    task = _get_task(request.user, pk, Perm.ORG_CHANGE)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.report_progress(task, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已报送本周进展")
            return redirect("tasks:detail", task.pk)
    return render(request, "tasks/detail.html", _detail_context(request, task, form))


@require_POST
@perm_required(Perm.ORG_CHANGE)
def milestone_done(request, pk):
    try:
        milestone = Milestone.objects.get(pk=pk, task__in=_tasks(request.user, Perm.ORG_CHANGE))
    except Milestone.DoesNotExist as exc:
        raise Http404("节点不存在或无权操作") from exc
    form = DoneForm(request.POST)
    if form.is_valid():
        try:
            services.complete_milestone(milestone, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"节点“{milestone.title}”已完成")
    else:
        messages.error(request, "请填写完成日期")
    return redirect("tasks:detail", milestone.task_id)


def _plans(user, perm=Perm.ORG_VIEW):
    return BrandPlan.objects.filter(organization__in=scope_orgs(user, perm))


def _get_plan(user, pk, perm=Perm.ORG_VIEW):
    try:
        return _plans(user, perm).select_related("organization").get(pk=pk)
    except (ValueError, BrandPlan.DoesNotExist) as exc:
        raise Http404("品牌计划不存在或无权查看") from exc


@perm_required(Perm.ORG_VIEW)
def brand_list(request):
    plans = _plans(request.user)
    if request.GET.get("key") == "1":
        plans = plans.filter(is_key=True)
    status = request.GET.get("status")
    if status in BrandStatus.values:
        plans = plans.filter(status=status)
    plans = plans.select_related("organization").prefetch_related("milestones")
    page = page_of(request, plans.order_by("organization__path", "-year", "pk"))
    context = {
        "page": page,
        "plans": page,
        "progress": services.brand_progress(_plans(request.user)),
        "statuses": BrandStatus.choices,
        "without_brand": services.communities_without_brand(scope_orgs(request.user)),
    }
    return render(request, "tasks/brand_list.html", context)


@perm_required(Perm.ORG_CHANGE)
def brand_create(request):
    form = BrandForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = data.pop("organization")
        try:
            plan = services.create_brand_plan(org, actor=request.user, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已登记品牌创建计划")
            return redirect("tasks:brand_detail", plan.pk)
    return render(request, "tasks/form.html", {"form": form, "title": "登记党建品牌创建计划"})


@perm_required(Perm.ORG_VIEW)
def brand_detail(request, pk):
    plan = _get_plan(request.user, pk)
    context = {
        "plan": plan,
        "milestones": plan.milestones.all(),
        "form": EvidenceForm(initial={"done_on": timezone.localdate()}),
        "statuses": BrandStatus.choices,
        "may_change": can(request.user, Perm.ORG_CHANGE, plan.organization),
        "may_choose": can(request.user, Perm.TASK_MANAGE, plan.organization),
    }
    return render(request, "tasks/brand_detail.html", context)


@require_POST
@perm_required(Perm.ORG_CHANGE)
def brand_status(request, pk):
    plan = _get_plan(request.user, pk, Perm.ORG_CHANGE)
    try:
        services.set_brand_status(plan, request.POST.get("status"), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("tasks:brand_detail", plan.pk)


@require_POST
@perm_required(Perm.TASK_MANAGE)
def brand_key(request, pk):
    plan = _get_plan(request.user, pk, Perm.TASK_MANAGE)
    services.choose_key_brand(plan, request.POST.get("is_key") == "1", actor=request.user)
    return redirect("tasks:brand_detail", plan.pk)


def _brand_milestone(user, pk, perm):
    try:
        return BrandMilestone.objects.select_related("plan").get(pk=pk, plan__in=_plans(user, perm))
    except (ValueError, BrandMilestone.DoesNotExist) as exc:
        raise Http404("节点不存在或无权查看") from exc


@require_POST
@perm_required(Perm.ORG_CHANGE)
def brand_milestone_done(request, pk):
    milestone = _brand_milestone(request.user, pk, Perm.ORG_CHANGE)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.complete_brand_milestone(milestone, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"节点“{milestone.title}”已完成")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("tasks:brand_detail", milestone.plan_id)


@perm_required(Perm.ORG_VIEW)
def brand_evidence(request, pk):
    milestone = _brand_milestone(request.user, pk, Perm.ORG_VIEW)
    if not milestone.evidence:
        raise Http404("没有佐证材料")
    return uploads.serve(milestone.evidence)
