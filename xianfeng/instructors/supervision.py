"""督导调度: grouped queries over instructors, a fixed number of queries per page."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Max, Q
from django.db.models.functions import ExtractMonth

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import granted_paths, path_q
from xianfeng.orgs.models import Organization

from .models import Assignment, Instructor, Submission, Visit
from .rules import STALE_DAYS


def scope_instructors(user):
    """Instructors of offices the user manages, plus the user's own instructor record."""
    paths = granted_paths(user, Perm.INSTRUCTOR_MANAGE)
    if "" in paths:
        return Instructor.objects.all()
    q = path_q("office__path", paths)
    if user.is_authenticated and user.member_id:
        q |= Q(member_id=user.member_id)
    return Instructor.objects.filter(q)


def monthly_visits(instructors, year) -> dict:
    """{instructor id: [visits in January, …, December]} in one query."""
    table = {i.pk: [0] * 12 for i in instructors}
    rows = (
        Visit.objects.filter(instructor_id__in=list(table), visited_on__year=year)
        .annotate(month=ExtractMonth("visited_on"))
        .values("instructor_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        table[row["instructor_id"]][row["month"] - 1] = row["n"]
    return table


def unvisited_orgs(paths, today, days=STALE_DAYS):
    """Organizations with an open assignment under `paths` and no visit in `days` days."""
    cutoff = today - timedelta(days=days)
    return (
        Organization.objects.filter(
            path_q("path", paths),
            pk__in=Assignment.objects.filter(ended_on__isnull=True).values("organization_id"),
        )
        .annotate(last_visit=Max("instructor_visits__visited_on"))
        .filter(Q(last_visit__lt=cutoff) | Q(last_visit__isnull=True))
        .order_by("last_visit", "path")
    )


@dataclass
class WindowRow:
    instructor: Instructor
    submission: Submission | None
    state: str  # on_time / late / missing / overdue


def window_status(window, today) -> list[WindowRow]:
    """Who was due (an assignment overlapping the period), who submitted, who is late."""
    overlapping = Assignment.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=window.period_start),
        started_on__lte=window.period_end,
    )
    due = (
        Instructor.objects.filter(office=window.office, pk__in=overlapping.values("instructor_id"))
        .select_related("member")
        .order_by("member__name_pinyin", "pk")
    )
    submitted = {s.instructor_id: s for s in window.submissions.all()}
    rows = []
    for instructor in due:
        submission = submitted.get(instructor.pk)
        if submission is not None:
            submission.window = window
            state = "late" if submission.is_late else "on_time"
        else:
            state = "overdue" if today > window.closes_on else "missing"
        rows.append(WindowRow(instructor, submission, state))
    return rows


def open_assignments(instructors):
    return Assignment.objects.filter(
        instructor__in=instructors, ended_on__isnull=True
    ).select_related("organization")
