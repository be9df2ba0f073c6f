"""限时办结 after the working calendar changed: every open request's deadlines are counted
again from where they started (intake, the last escalation, the time waited for the resident).

Runs in the background (tasks.recount_deadlines) in batches, one transaction per batch with
the rows locked, so a request handled meanwhile is not overwritten and a crash loses
nothing: the job is retried and counting again gives the same answer. The category's time
limits are read as they are now, as an escalation does.
"""

from django.db import transaction

from xianfeng.core import workcal
from xianfeng.core.audit import record

from .models import OPEN_STATUSES, UNANSWERED_STATUSES, ResidentRequest
from .services import calendar_warning, due_after

BATCH = 500


def recount(req) -> bool:
    """Set the request's deadlines from the calendar as it is now; whether anything changed."""
    category = req.category
    respond_due = due_after(
        req.respond_from or req.created_at, category.respond_within, category.respond_unit
    )
    finish_due = workcal.extend(
        due_after(req.created_at, category.finish_within, category.finish_unit),
        req.waited_hours,
    )
    next_due = req.next_due
    if next_due is not None:
        if req.status in UNANSWERED_STATUSES:
            next_due = respond_due
        elif next_due == req.finish_due:
            next_due = finish_due
        # otherwise a called-in unit's deadline or the day granted after a late acceptance
    warning = calendar_warning(req.created_at, finish_due)
    before = (req.respond_due, req.finish_due, req.next_due, req.calendar_warning)
    if before == (respond_due, finish_due, next_due, warning):
        return False
    req.respond_due, req.finish_due, req.next_due = respond_due, finish_due, next_due
    req.calendar_warning = warning
    req.save(update_fields=["respond_due", "finish_due", "next_due", "calendar_warning"])
    record(
        "request.deadlines_recounted",
        req,
        respond_due=respond_due,
        finish_due=finish_due,
        before_finish_due=before[1],
    )
    return True


def recount_open_deadlines(batch: int = BATCH) -> int:
    """Re-count every open request, `batch` at a time in primary-key order; returns how many changed."""
    workcal.forget()  # this process may hold the calendar from before the change
    changed = 0
    last = 0
    while True:
        with transaction.atomic():
            rows = list(
                ResidentRequest.objects.select_for_update(of=("self",))
                .select_related("category")
                .filter(pk__gt=last, status__in=OPEN_STATUSES)
                .order_by("pk")[:batch]
            )
            if not rows:
                return changed
            changed += sum(recount(req) for req in rows)
        last = rows[-1].pk
