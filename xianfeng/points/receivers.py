"""The listener for `xianfeng.core.events.point_event`: other apps' facts become ledger rows."""

import logging
from datetime import timedelta

from django.db import DatabaseError, transaction
from django.utils import timezone

from xianfeng.core.errors import DomainError

from .models import EventKind, PendingBooking
from .services import book_points, current_rule

log = logging.getLogger(__name__)


def on_point_event(sender, *, member, rule_code, source, occurred_on, actor=None, note="", **kw):
    """Write the fact down, then book the rule's points once per (rule, source).

    Senders send inside their own transaction: the `PendingBooking` row commits with what
    caused it, so a process dying after the commit loses nothing (the sweep books it). A
    refusal (unknown code, rule out of date or scope, reached cap) is logged, never raised,
    and a database error while booking rolls back only the booking's savepoint — neither
    undoes what the other app just saved.
    """
    pending = PendingBooking.objects.create(
        member=member,
        rule_code=rule_code,
        source_type=source._meta.label_lower,
        source_id=str(source.pk),
        occurred_on=occurred_on,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=(note or "")[:200],
    )
    return book_pending(pending)


def book_pending(pending):
    """Book one pending row and delete it; a refusal deletes it too (logged)."""
    rule = current_rule(pending.rule_code)
    if rule is None:
        log.warning("points: no rule %s (from %s)", pending.rule_code, pending.source_type)
        pending.delete()
        return None
    try:
        with transaction.atomic():
            event = book_points(
                pending.member,
                rule,
                kind=EventKind.AUTO,
                source_type=pending.source_type,
                source_id=pending.source_id,
                occurred_on=pending.occurred_on,
                actor=pending.actor,
                note=pending.note,
            )
            pending.delete()
        return event
    except DomainError as exc:
        log.info(
            "points: %s for member %s not booked: %s",
            pending.rule_code,
            pending.member_id,
            exc.message,
        )
        pending.delete()
        return None
    except DatabaseError as exc:
        log.exception("points: booking %s failed, the sweep retries", pending)
        PendingBooking.objects.filter(pk=pending.pk).update(
            attempts=pending.attempts + 1, last_error=str(exc)[:300]
        )
        return None


def book_leftovers(*, now=None, batch=500) -> int:
    """Book what a crash or an error left (rows older than a minute, so a booking in flight
    is not raced); returns how many rows were handled."""
    cutoff = (now or timezone.now()) - timedelta(minutes=1)
    pks = list(
        PendingBooking.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[:batch]
    )
    done = 0
    for pk in pks:
        with transaction.atomic():
            pending = (
                PendingBooking.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("member", "actor")
                .filter(pk=pk)
                .first()
            )
            if pending is not None:
                book_pending(pending)
                done += 1
    return done
