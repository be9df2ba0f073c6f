"""The listener for `xianfeng.core.events.point_event`: other apps' facts become ledger rows."""

import logging

from xianfeng.core.errors import DomainError

from .models import EventKind
from .services import book_points, current_rule

log = logging.getLogger(__name__)


def on_point_event(sender, *, member, rule_code, source, occurred_on, actor=None, note="", **kw):
    """Book the rule's points once per (rule, source); a refusal is logged, never raised.

    The sender calls this after its own commit: an unknown code, a rule out of date or scope,
    or a reached cap must not undo (or break) what the other app just saved.
    """
    rule = current_rule(rule_code)
    if rule is None:
        log.warning("points: no rule %s (from %s)", rule_code, sender)
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
        )
    except DomainError as exc:
        log.info("points: %s for member %s not booked: %s", rule_code, member.pk, exc.message)
        return None
