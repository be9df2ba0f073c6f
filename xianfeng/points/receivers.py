"""Listeners for `xianfeng.core.events`: other apps' facts become ledger rows, corrections reversals."""

import logging

from django.conf import settings

from xianfeng.core.errors import DomainError
from xianfeng.core.events import POINT_CODES

from .models import EventKind, PointRule
from .services import book_points, current_rule, withdraw_points

log = logging.getLogger(__name__)


class UnknownPointCode(Exception):
    """A sender used a code that is not declared or has no rule (a wiring bug, not user input)."""


def _dropped(message):
    # Tests (POINTS_STRICT) fail on a dropped event; in production the sender's commit stands.
    if settings.POINTS_STRICT:
        raise UnknownPointCode(message)
    log.error(message)


def on_point_event(
    sender, *, member, rule_code, source, occurred_on, actor=None, note="", hours=None, **kw
):
    """Book the rule's points once per (rule, source); a refusal is logged, never raised.

    The sender calls this after its own commit: a rule out of date or scope, or a reached cap
    must not undo (or break) what the other app just saved. An undeclared or unknown code is a
    wiring bug: an error in the log, an exception in tests.
    """
    if rule_code not in POINT_CODES:
        _dropped(f"points: code {rule_code} sent by {sender} is not declared with point_code()")
        return None
    rule = current_rule(rule_code, member.organization)
    if rule is None:
        if PointRule.objects.filter(code=rule_code).exists():
            log.info("points: %s has no rule for member %s's organization", rule_code, member.pk)
        else:
            _dropped(f"points: no rule {rule_code} (from {sender})")
        return None
    try:
        return book_points(
            member,
            rule,
            kind=EventKind.AUTO,
            source_type=source._meta.label_lower,
            source_id=source.pk,
            occurred_on=occurred_on,
            actor=actor,
            note=note,
            hours=hours,
        )
    except DomainError as exc:
        log.info("points: %s for member %s not booked: %s", rule_code, member.pk, exc.message)
        return None


def on_point_withdrawn(sender, *, member, rule_code, source, reason, actor=None, **kw):
    """Reverse what `source` earned under `rule_code` (nothing when it earned nothing)."""
    if rule_code not in POINT_CODES:
        _dropped(f"points: code {rule_code} withdrawn by {sender} is not declared")
        return None
    try:
        return withdraw_points(
            member,
            rule_code,
            source_type=source._meta.label_lower,
            source_id=source.pk,
            reason=reason,
            actor=actor if actor is not None and actor.is_authenticated else None,
        )
    except DomainError as exc:
        log.info("points: withdrawing %s for member %s: %s", rule_code, member.pk, exc.message)
        return None
