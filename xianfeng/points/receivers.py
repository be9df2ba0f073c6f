"""Listeners for `xianfeng.core.events`: other apps' facts become ledger rows, corrections reversals."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from xianfeng.core.errors import DomainError
from xianfeng.core.events import POINT_CODES, defer_to_batch

from .models import EventKind, PendingBooking
from .services import book_many, book_points, current_rule, rule_table, rules_for, withdraw_points

log = logging.getLogger(__name__)


class UnknownPointCode(Exception):
    """A sender used a code that is not declared or has no rule (a wiring bug, not user input)."""


def _dropped(message):
    # Tests (POINTS_STRICT) fail on a dropped event; in production the sender's commit stands.
    if settings.POINTS_STRICT:
        raise UnknownPointCode(message)
    log.error(message)


def _actor(actor):
    return actor if actor is not None and actor.is_authenticated else None


def on_point_event(
    sender, *, member, rule_code, source, occurred_on, actor=None, note="", hours=None, **kw
):
    """Book the rule's points once per (rule, source), in the sender's transaction.

    Sent inside the sender's transaction, the booking commits with what caused it or not at
    all; a database error while booking rolls back only the booking's savepoint and writes
    the fact to the outbox (`PendingBooking`) in its place, for the sweep to book. Sent
    outside a transaction, the fact is written to the outbox first. A refusal (rule out of
    date or scope, reached cap) is logged, never raised — neither undoes what the other app
    just saved. An undeclared or unknown code is a wiring bug: an error in the log, an
    exception in tests.
    """
    if rule_code not in POINT_CODES:
        _dropped(f"points: code {rule_code} sent by {sender} is not declared with point_code()")
        return None
    in_sender_tx = transaction.get_connection().in_atomic_block
    if not in_sender_tx:
        rules = rules_for(rule_code)
        if not rules:
            _dropped(f"points: no rule {rule_code} (from {sender})")
            return None
    pending = PendingBooking(
        member=member,
        rule_code=rule_code,
        source_type=source._meta.label_lower,
        source_id=str(source.pk),
        occurred_on=occurred_on,
        actor=_actor(actor),
        note=(note or "")[:200],
        hours=hours,
    )
    if not in_sender_tx:
        pending.save()
    elif defer_to_batch("points", (pending, sender), book_batch):
        return None
    else:
        rules = rules_for(rule_code)
        if not rules:
            _dropped(f"points: no rule {rule_code} (from {sender})")
            return None
    return book_pending(pending, rules=rules)


def book_batch(items):
    """Book the events of a `point_batch()` block [(unsaved pending row, sender)] together
    (`services.book_many`), in the sender's transaction; a database error rolls back only the
    batch's savepoint and books them one by one (each error then goes to the outbox). A batch
    of one is booked as a single event."""
    if len(items) == 1:
        pending, sender = items[0]
        rules = rules_for(pending.rule_code)
        if not rules:
            _dropped(f"points: no rule {pending.rule_code} (from {sender})")
            return [None]
        return [book_pending(pending, rules=rules)]
    table = rule_table()
    bookable, rules = [], {}
    for pending, sender in items:
        if not table.get(pending.rule_code):
            _dropped(f"points: no rule {pending.rule_code} (from {sender})")
            continue
        rule = current_rule(
            pending.rule_code, pending.member.organization, rules=table[pending.rule_code]
        )
        if rule is None:
            log.info(
                "points: %s has no rule for member %s's organization",
                pending.rule_code,
                pending.member_id,
            )
            continue
        rules[pending.rule_code] = table[pending.rule_code]
        bookable.append((pending, rule))
    try:
        with transaction.atomic():
            results = book_many(
                [
                    {
                        "member": pending.member,
                        "rule": rule,
                        "source_type": pending.source_type,
                        "source_id": pending.source_id,
                        "occurred_on": pending.occurred_on,
                        "actor": pending.actor,
                        "note": pending.note,
                        "hours": pending.hours,
                    }
                    for pending, rule in bookable
                ]
            )
    except DatabaseError:
        log.exception("points: booking a batch of %s failed, booking one by one", len(bookable))
        return [book_pending(pending, rules=rules[pending.rule_code]) for pending, _ in bookable]
    for (pending, _), result in zip(bookable, results, strict=True):
        if isinstance(result, DomainError):
            log.info(
                "points: %s for member %s not booked: %s",
                pending.rule_code,
                pending.member_id,
                result.message,
            )
    return results


def book_pending(pending, *, rules=None):
    """Book one pending row and delete it (a refusal deletes it too, logged); an unsaved row
    (booked in its sender's transaction) is saved only when a database error stops it."""
    rule = current_rule(pending.rule_code, pending.member.organization, rules=rules)
    if rule is None:
        log.info(
            "points: %s has no rule for member %s's organization",
            pending.rule_code,
            pending.member_id,
        )
        _forget(pending)
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
                hours=pending.hours,
            )
            _forget(pending)
        return event
    except DomainError as exc:
        log.info(
            "points: %s for member %s not booked: %s",
            pending.rule_code,
            pending.member_id,
            exc.message,
        )
        _forget(pending)
        return None
    except DatabaseError as exc:
        log.exception("points: booking %s failed, the sweep retries", pending)
        pending.attempts += 1
        pending.last_error = str(exc)[:300]
        if pending.pk is None:
            pending.save()
        else:
            PendingBooking.objects.filter(pk=pending.pk).update(
                attempts=pending.attempts, last_error=pending.last_error
            )
        return None


def _forget(pending):
    if pending.pk is not None:
        PendingBooking.objects.filter(pk=pending.pk).delete()


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
                .select_related("member__organization", "actor")
                .filter(pk=pk)
                .first()
            )
            if pending is not None:
                book_pending(pending)
                done += 1
    return done


def on_point_withdrawn(sender, *, member, rule_code, source, reason, actor=None, **kw):
    """Reverse what `source` earned under `rule_code` (nothing when it earned nothing).

    Sent inside the sender's transaction, like `point_event`: a booking of the same source
    still waiting in the outbox is dropped, and the reversal runs in a savepoint.
    """
    if rule_code not in POINT_CODES:
        _dropped(f"points: code {rule_code} withdrawn by {sender} is not declared")
        return None
    source_type, source_id = source._meta.label_lower, str(source.pk)
    PendingBooking.objects.filter(
        member=member, rule_code=rule_code, source_type=source_type, source_id=source_id
    ).delete()
    try:
        with transaction.atomic():
            return withdraw_points(
                member,
                rule_code,
                source_type=source_type,
                source_id=source_id,
                reason=reason,
                actor=_actor(actor),
            )
    except DomainError as exc:
        log.info("points: withdrawing %s for member %s: %s", rule_code, member.pk, exc.message)
        return None
