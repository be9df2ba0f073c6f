"""Key tasks (挂图作战) and brand plans (党建品牌): every write, audited in its transaction."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from xianfeng.core import audit, sheets
from xianfeng.core.errors import DomainError
from xianfeng.orgs.models import Domain, OrgKind

from .models import BrandMilestone, BrandPlan, BrandStatus, KeyTask, Milestone, TaskUpdate
from .rules import task_light

TASK_FIELDS = (
    "kind",
    "title",
    "description",
    "lead_unit",
    "lead_person",
    "co_units",
    "starts_on",
    "due_on",
)


def create_task(org, *, actor, milestones=(), **fields) -> KeyTask:
    """Put a task on the board for `org`, with its milestones as (title, due_on) pairs."""
    _check_dates(fields["starts_on"], fields["due_on"], milestones)
    with transaction.atomic():
        task = KeyTask.objects.create(organization=org, created_by=_user(actor), **fields)
        Milestone.objects.bulk_create(
            Milestone(task=task, title=title, due_on=due_on) for title, due_on in milestones
        )
        audit.record("task.create", task, actor=actor, organization=org.code, **fields)
    return task


def update_task(task, *, actor, **fields) -> KeyTask:
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise DomainError(f"未知字段：{', '.join(sorted(unknown))}")
    with transaction.atomic():
        task = KeyTask.objects.select_for_update().get(pk=task.pk)
        changed = {k: v for k, v in fields.items() if getattr(task, k) != v}
        if not changed:
            return task
        _check_dates(
            changed.get("starts_on", task.starts_on), changed.get("due_on", task.due_on), ()
        )
        for key, value in changed.items():
            setattr(task, key, value)
        task.save(update_fields=list(changed))
        audit.record("task.update", task, actor=actor, **changed)
    return task


def add_milestone(task, *, actor, title, due_on) -> Milestone:
    _check_dates(task.starts_on, task.due_on, [(title, due_on)])
    with transaction.atomic():
        milestone = Milestone.objects.create(task=task, title=title, due_on=due_on)
        audit.record("task.milestone_add", task, actor=actor, title=title, due_on=due_on)
    return milestone


def report_progress(task, *, actor, progress, summary, problems="", on=None) -> TaskUpdate:
    """This week's report (周报); reporting again in the same week replaces the week's report.

    100% completes the task on the day of the report.
    """
    on = on or timezone.localdate()
    if not 0 <= progress <= 100:
        raise DomainError("进度须在 0 到 100 之间", field="progress")
    with transaction.atomic():
        task = KeyTask.objects.select_for_update().get(pk=task.pk)
        if task.completed_on:
            raise DomainError("任务已完成，不能再报送进展")
        if on < task.starts_on:
            raise DomainError("任务尚未开始", field="on")
        update, _created = TaskUpdate.objects.update_or_create(
            task=task,
            week_of=on - timedelta(days=on.weekday()),
            defaults={
                "progress": progress,
                "summary": summary,
                "problems": problems,
                "reported_by": _user(actor),
            },
        )
        task.progress = progress
        task.completed_on = on if progress == 100 else None
        task.save(update_fields=["progress", "completed_on"])
        audit.record("task.report", task, actor=actor, progress=progress, week_of=update.week_of)
    return update


def complete_milestone(milestone, *, actor, done_on) -> Milestone:
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if milestone.done_on:
            return milestone
        if done_on > timezone.localdate():
            raise DomainError("完成日期不能晚于今天", field="done_on")
        milestone.done_on = done_on
        milestone.save(update_fields=["done_on"])
        audit.record("task.milestone_done", milestone.task, actor=actor, title=milestone.title)
    return milestone


def board(tasks, today, *, lazy=False):
    """(task, light) for each task, in 3 queries whatever the number of tasks (2 a chunk of
    2,000 when `lazy`: a generator for the export, in flat memory)."""
    tasks = tasks.select_related("organization").prefetch_related("milestones")
    tasks = tasks.annotate(last_reported_at=Max("updates__reported_at"))
    if lazy:
        tasks = tasks.iterator(chunk_size=sheets.chunk_size())
    rows = (
        (task, task_light(task, task.milestones.all(), _day(task.last_reported_at), today))
        for task in tasks
    )
    return rows if lazy else list(rows)


def _day(moment):
    return timezone.localtime(moment).date() if moment else None


def _check_dates(starts_on, due_on, milestones):
    if due_on < starts_on:
        raise DomainError("完成时限不能早于开始日期", field="due_on")
    for title, milestone_due in milestones:
        if not starts_on <= milestone_due <= due_on:
            raise DomainError(f"节点“{title}”的时限须在任务起止日期之内", field="milestones")


def create_brand_plan(org, *, actor, milestones=(), **fields) -> BrandPlan:
    with transaction.atomic():
        if BrandPlan.objects.filter(organization=org, name=fields["name"]).exists():
            raise DomainError("该党组织已有同名品牌", field="name")
        plan = BrandPlan.objects.create(organization=org, created_by=_user(actor), **fields)
        BrandMilestone.objects.bulk_create(
            BrandMilestone(plan=plan, title=title, due_on=due_on) for title, due_on in milestones
        )
        audit.record("brand.create", plan, actor=actor, organization=org.code, name=plan.name)
    return plan


def set_brand_status(plan, status, *, actor) -> BrandPlan:
    if status not in BrandStatus.values:
        raise DomainError("未知状态", field="status")
    with transaction.atomic():
        plan = BrandPlan.objects.select_for_update().get(pk=plan.pk)
        if status == BrandStatus.ACHIEVED and plan.milestones.filter(done_on=None).exists():
            raise DomainError("还有未完成的创建节点，不能标记为已建成")
        if plan.status != status:
            audit.record("brand.status", plan, actor=actor, before=plan.status, after=status)
            plan.status = status
            plan.save(update_fields=["status"])
    return plan


def choose_key_brand(plan, is_key, *, actor) -> BrandPlan:
    """Mark a plan as chosen (or no longer chosen) for the street's close guidance (重点培育)."""
    with transaction.atomic():
        plan = BrandPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.is_key != is_key:
            plan.is_key = is_key
            plan.save(update_fields=["is_key"])
            audit.record("brand.key", plan, actor=actor, is_key=is_key)
    return plan


def complete_brand_milestone(
    milestone, *, actor, done_on, evidence=None, note=""
) -> BrandMilestone:
    if done_on > timezone.localdate():
        raise DomainError("完成日期不能晚于今天", field="done_on")
    with transaction.atomic():
        milestone = BrandMilestone.objects.select_for_update().get(pk=milestone.pk)
        milestone.done_on = done_on
        milestone.note = note or milestone.note
        if evidence:
            milestone.evidence = evidence
        milestone.save()
        audit.record("brand.milestone_done", milestone.plan, actor=actor, title=milestone.title)
    return milestone


def brand_progress(plans):
    """Counts for a street's progress line: by status, chosen, milestones done of all."""
    counts = dict(plans.values_list("status").annotate(n=Count("id")).order_by())
    by_status = [(label, counts.get(value, 0)) for value, label in BrandStatus.choices]
    totals = plans.aggregate(
        plans=Count("id", distinct=True),
        key=Count("id", filter=Q(is_key=True), distinct=True),
    )
    steps = BrandMilestone.objects.filter(plan__in=plans).aggregate(
        all=Count("id"), done=Count("id", filter=Q(done_on__isnull=False))
    )
    return {"by_status": by_status, **totals, "steps": steps}


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def communities_without_brand(orgs):
    """一社区一品牌: community general branches and branches in `orgs` (the top-most ones, not
    the grid branches inside a community's general branch) that have no live brand plan."""
    kinds = (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)
    communities = list(orgs.filter(domain=Domain.COMMUNITY, kind__in=kinds).order_by("path"))
    top, last = [], None
    for org in communities:
        if last is None or not org.path.startswith(last.path):
            top.append(org)
            last = org
    live = set(
        BrandPlan.objects.exclude(status=BrandStatus.DROPPED)
        .filter(organization__in=[o.pk for o in top])
        .values_list("organization_id", flat=True)
    )
    return [org for org in top if org.pk not in live]
