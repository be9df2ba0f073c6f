"""A branch's yearly plan of meetings (the quarterly plan is the same rows by quarter),
copied forward from one year to the next, and the reminders raised from it."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from xianfeng.core import audit
from xianfeng.core.dates import add_years
from xianfeng.core.errors import DomainError
from xianfeng.notices.models import NoticeKind
from xianfeng.notices.services import notify
from xianfeng.orgs.models import Organization, OrgStatus

from . import compliance_cache
from .models import MeetingStatus, PlanItem, Reminder, ReminderKind, month_index
from .rules import MeetingKind


def remind_days_before():
    return getattr(settings, "XIANFENG_MEETING_REMIND_DAYS", 3)


def add_plan_item(org, *, kind, due_on, actor, topic=""):
    if kind not in MeetingKind.values:
        raise DomainError("会议类型无效", field="kind")
    with transaction.atomic():
        try:
            with transaction.atomic():
                item = PlanItem.objects.create(
                    organization=org,
                    kind=kind,
                    due_on=due_on,
                    topic=(topic or "").strip(),
                    year=due_on.year,
                    month_index=month_index(due_on),
                    created_by=actor if actor and actor.is_authenticated else None,
                )
        except IntegrityError as exc:
            raise DomainError("该日期已计划同类会议", field="due_on") from exc
        audit.record("meetings.plan_add", org, actor=actor, kind=kind, due_on=due_on)
    return item


def delete_plan_item(item, *, actor):
    with transaction.atomic():
        audit.record(
            "meetings.plan_delete",
            item.organization,
            actor=actor,
            kind=item.kind,
            due_on=item.due_on,
        )
        item.delete()


def copy_plan(org, from_year, *, actor):
    """Copy `from_year`'s plan to the next year, same days; rows already there are kept."""
    items = list(PlanItem.objects.filter(organization=org, year=from_year))
    if not items:
        raise DomainError(f"{from_year}年没有会议计划可复制")
    with transaction.atomic():
        new = []
        for item in items:
            due = add_years(item.due_on, 1)
            new.append(
                PlanItem(
                    organization=org,
                    kind=item.kind,
                    topic=item.topic,
                    due_on=due,
                    year=due.year,
                    month_index=month_index(due),
                    created_by=actor if actor and actor.is_authenticated else None,
                )
            )
        before = PlanItem.objects.filter(organization=org, year=from_year + 1).count()
        PlanItem.objects.bulk_create(new, ignore_conflicts=True)
        compliance_cache.forget(org.pk)  # bulk_create sends no signal
        copied = PlanItem.objects.filter(organization=org, year=from_year + 1).count() - before
        audit.record("meetings.plan_copy", org, actor=actor, year=from_year, copied=copied)
    return copied


def _open(qs):
    """Plan items without a held meeting."""
    return qs.filter(Q(meeting__isnull=True) | ~Q(meeting__status=MeetingStatus.HELD))


def send_reminders(today):
    """Raise the reminders due today; running it twice raises nothing new.

    - `due`: to the organizer (the organization itself) when a planned meeting is due within
      XIANFENG_MEETING_REMIND_DAYS days and not yet held;
    - `missed`: to the level above when the planned day has passed without a held meeting.
    """
    soon = today + timedelta(days=remind_days_before())
    live = PlanItem.objects.filter(organization__status=OrgStatus.ACTIVE)
    due = _open(live.filter(due_on__gte=today, due_on__lte=soon))
    due = due.exclude(reminders__kind=ReminderKind.DUE).select_related("organization")
    missed = _open(live.filter(due_on__lt=today, due_on__gte=today - timedelta(days=92)))
    missed = list(
        missed.exclude(reminders__kind=ReminderKind.MISSED).select_related("organization")
    )
    parents = _parents({item.organization.path for item in missed})
    rows = [
        Reminder(
            plan_item=item,
            kind=ReminderKind.DUE,
            organization=item.organization,
            created_on=today,
            message=f"{item.organization.name}：计划于{item.due_on:%Y-%m-%d}召开"
            f"{item.get_kind_display()}，请按时召开并登记",
        )
        for item in due
    ]
    for item in missed:
        parent = parents.get(item.organization.path[: -Organization.steplen])
        if parent is not None:
            rows.append(
                Reminder(
                    plan_item=item,
                    kind=ReminderKind.MISSED,
                    organization=parent,
                    created_on=today,
                    message=f"{item.organization.name}：计划于{item.due_on:%Y-%m-%d}召开的"
                    f"{item.get_kind_display()}未按时召开",
                )
            )
    with transaction.atomic():
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)  # a concurrent run: no duplicates
        for row in rows:
            notify(
                organizer_ids(row.organization),
                kind=NoticeKind.MEETING_REMINDER,
                title=row.get_kind_display(),
                body=row.message,
                link=reverse("meetings:plan", args=[row.plan_item.organization_id]),
            )
    return len(rows)


def organizer_ids(org):
    """Logins that arrange this organization's meetings: a `meeting.change` grant on it, or
    its secretary's own login."""
    from xianfeng.accounts.models import RoleGrant, User
    from xianfeng.accounts.roles import ROLE_PERMS, Perm

    from .services import secretary_id

    roles = [role for role, perms in ROLE_PERMS.items() if Perm.MEETING_CHANGE in perms]
    ids = set(
        RoleGrant.objects.filter(organization=org, role__in=roles).values_list("user_id", flat=True)
    )
    secretary = secretary_id(org)
    if secretary is not None:
        ids |= set(User.objects.filter(member_id=secretary).values_list("pk", flat=True))
    return ids


def _parents(paths):
    wanted = {p[: -Organization.steplen] for p in paths if len(p) > Organization.steplen}
    return {o.path: o for o in Organization.objects.filter(path__in=wanted)}
