"""限时办结: the periodic job that escalates overdue requests one level and notifies.

It reads only rows whose `next_due` has passed, through the partial index on `next_due`
(NULL for closed and paused requests), so its cost follows the number due, not the table.
"""

import logging

from django.db import transaction
from django.utils import timezone

from xianfeng.core.errors import DomainError
from xianfeng.notices.models import NoticeKind

from . import notices
from .models import UNANSWERED_STATUSES, ResidentRequest
from .routing import chain_of
from .services import _step, escalate_request, route_pending
from .units import escalate_call_ins

logger = logging.getLogger(__name__)
BATCH = 200


def due_ids(now, limit=BATCH):
    return list(
        ResidentRequest.objects.filter(next_due__lte=now)
        .order_by("next_due")
        .values_list("pk", flat=True)[:limit]
    )


def escalate_due(now=None):
    """Escalate every request due by `now`; returns how many were escalated or flagged."""
    now = now or timezone.now()
    route_pending()  # whatever the intake job missed is placed before its clock is judged
    done = 0
    chains = {}
    while ids := due_ids(now):
        # One commit per batch: each request still has its own savepoint and row lock.
        with transaction.atomic():
            for req in ResidentRequest.objects.filter(pk__in=ids).select_related(
                "category", "organization", "grid"
            ):
                escalate_one(req, chain_of(req, chains), now)
                done += 1
    return done + escalate_call_ins(now)  # called-in units past their own deadline


def escalate_one(req, levels, now):
    reason = "超过响应时限" if req.status in UNANSWERED_STATUSES else "超过办结时限"
    reason = f"{reason}（{timezone.localtime(req.next_due):%Y-%m-%d %H:%M}），系统自动上报"
    try:
        escalate_request(req, actor=None, reason=reason, levels=levels)
    except DomainError:
        _flag_at_top(req, now)


def _flag_at_top(req, now):
    """Already at the street: stop the clock for the job and tell the street once."""
    with transaction.atomic():
        locked = ResidentRequest.objects.select_for_update().get(pk=req.pk)
        if locked.next_due is None or locked.next_due > now:
            return
        locked.next_due = None
        locked.save(update_fields=["next_due", "updated_at"])
        _step(locked, "overdue_at_top", note="已在街道层级且超时，请督办", actor_name="系统")
        notices.notify_handlers(
            locked, f"诉求 {locked.tracking_code} 超时，请督办", kind=NoticeKind.REQUEST_ESCALATED
        )
