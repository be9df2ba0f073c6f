"""Sending the deliveries: claim under a row lock, call the channel, record the outcome.

At most one worker holds a delivery at a time (the claim is a conditional update under
`select_for_update`); a claim older than the lease belongs to a worker that died and is
taken again by the sweep. A failed attempt waits `XIANFENG_NOTICE_RETRY_SECONDS × 2^(n-1)`
(capped at six hours) before the next; after `XIANFENG_NOTICE_MAX_ATTEMPTS` it is failed.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from xianfeng.core.notify import DeliveryError, Message, get_channel

from .models import Delivery, DeliveryState

logger = logging.getLogger("xianfeng.notify")
MAX_BACKOFF = timedelta(hours=6)


def _claimable(now):
    lease = timedelta(seconds=settings.XIANFENG_NOTICE_LEASE_SECONDS)
    return Q(state=DeliveryState.PENDING, not_before__lte=now) | Q(
        state=DeliveryState.CLAIMED, claimed_at__lt=now - lease
    )


def _claim(pk, now):
    with transaction.atomic():
        row = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_claimable(now), pk=pk)
            .select_related("notice")
            .first()
        )
        if row is None:
            return None
        Delivery.objects.filter(pk=pk).update(
            state=DeliveryState.CLAIMED, claimed_at=now, attempts=F("attempts") + 1
        )
    row.claimed_at, row.attempts = now, row.attempts + 1
    return row


def backoff(attempts: int) -> timedelta:
    delay = timedelta(seconds=settings.XIANFENG_NOTICE_RETRY_SECONDS * 2 ** (attempts - 1))
    return min(delay, MAX_BACKOFF)


def deliver(pk: int, *, now=None) -> bool:
    """Send one delivery if it is due and nobody holds it; True when it went out now."""
    now = now or timezone.now()
    row = _claim(pk, now)
    if row is None:
        return False
    ours = Delivery.objects.filter(pk=pk, state=DeliveryState.CLAIMED, claimed_at=row.claimed_at)
    message = Message(
        address=row.address,
        text=row.text,
        key=str(row.key),
        subject=row.notice.title if row.notice else "",
    )
    try:
        ref = get_channel(row.channel).send(message)
    except (DeliveryError, KeyError) as exc:
        # KeyError: the deployment no longer offers this channel; keep the row for later.
        permanent = getattr(exc, "permanent", False)
        give_up = permanent or row.attempts >= settings.XIANFENG_NOTICE_MAX_ATTEMPTS
        logger.warning("delivery %s attempt %s failed: %s", pk, row.attempts, exc)
        ours.update(
            state=DeliveryState.FAILED if give_up else DeliveryState.PENDING,
            not_before=now + backoff(row.attempts),
            last_error=str(exc)[:300],
        )
        return False
    ours.update(state=DeliveryState.SENT, sent_at=timezone.now(), provider_ref=ref[:100])
    return True


def sweep(*, now=None, batch: int = 200) -> int:
    """Send what is due and nobody holds: retries after backoff, the end of quiet hours,
    rows whose job was lost (queue down) and claims of workers that died. Returns how many went out."""
    now = now or timezone.now()
    pks = list(
        Delivery.objects.filter(_claimable(now))
        .order_by("not_before")
        .values_list("pk", flat=True)[:batch]
    )
    return sum(deliver(pk, now=now) for pk in pks)
