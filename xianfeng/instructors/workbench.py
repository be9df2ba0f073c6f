"""Workbench: an instructor's logs/ledgers to hand in; for the office that collects them, the
ones still missing after the deadline (windows closed within the last year)."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import granted_paths, path_q
from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider

from .models import Assignment, CollectionWindow, Instructor, Submission

LOOK_BACK = timedelta(days=366)


def _due_pairs(windows):
    """(window, instructor id) for every instructor of the window's office whose assignment
    overlaps the window's period and who has not submitted: three queries in all."""
    windows = list(windows)
    if not windows:
        return []
    offices = {w.office_id for w in windows}
    spans = {}
    for instructor_id, office_id, started, ended in Assignment.objects.filter(
        instructor__office_id__in=offices
    ).values_list("instructor_id", "instructor__office_id", "started_on", "ended_on"):
        spans.setdefault(office_id, []).append((instructor_id, started, ended))
    submitted = set(
        Submission.objects.filter(window__in=windows).values_list("window_id", "instructor_id")
    )
    pairs = set()
    for w in windows:
        for instructor_id, started, ended in spans.get(w.office_id, ()):
            overlaps = started <= w.period_end and (ended is None or ended >= w.period_start)
            if overlaps and (w.pk, instructor_id) not in submitted:
                pairs.add((w, instructor_id))
    return sorted(pairs, key=lambda p: (p[0].closes_on, p[0].pk, p[1]))


@workbench_provider("instructors")
def instructors_todo(user, today):
    paths = granted_paths(user, Perm.INSTRUCTOR_MANAGE)
    if paths:
        closed = CollectionWindow.objects.filter(
            path_q("office__path", paths),
            closes_on__lt=today,
            closes_on__gte=today - LOOK_BACK,
        )
        missing = _due_pairs(closed)
        yield TodoItem(
            "instructors.missing",
            _("逾期未交的指导员工作日志/台账"),
            len(missing),
            reverse("instructors:windows"),
            Urgency.OVERDUE,
        )
    if not user.member_id:
        return
    me = Instructor.objects.filter(member_id=user.member_id).first()
    if me is None:
        return
    open_windows = CollectionWindow.objects.filter(
        Q(closes_on__gte=today - LOOK_BACK), office_id=me.office_id, opens_on__lte=today
    )
    mine = [w for w, who in _due_pairs(open_windows) if who == me.pk]
    first_due = min((w.closes_on for w in mine), default=None)
    late = first_due is not None and first_due < today
    yield TodoItem(
        "instructors.mine",
        _("我待提交的工作日志/台账"),
        len(mine),
        reverse("instructors:detail", args=[me.pk]),
        Urgency.OVERDUE if late else Urgency.SOON,
        due=first_due,
    )
