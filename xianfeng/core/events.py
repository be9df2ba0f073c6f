"""The two seams between domain apps: point events and assessment indicators.

Apps never import the points or assessment apps. They announce what happened:

    from xianfeng.core.events import point_event
    point_event.send(            # inside the transaction that saved the attendance
        sender=Attendance, member=attendance.member, rule_code="meeting.attend",
        source=attendance, occurred_on=meeting.held_on, actor=actor)

and register what they can measure about an organization for the star rating:

    from xianfeng.core.events import indicator
    @indicator("meetings.compliance", _("三会一课合规率"), unit="%")
    def compliance_share(orgs, year): -> {org_id: Decimal or float or None}

and, per member, a score from 0 to 100 for the yearly member assessment:

    from xianfeng.core.events import member_input
    @member_input("review", _("民主评议"))
    def review_score(members, year): -> {member_id: 0–100 or None}

Every code an app sends is declared once at import, next to the sender:

    ATTEND = point_code("meeting.attend")

so the points app can check at start-up (system check `points.E001`) that each declared code
has a rule in its catalogue. Hour-based rules are paid from `hours` (a number the source
records). When the source is corrected (present → absent), the sender withdraws the points:

    point_withdrawn.send(sender=Attendance, member=..., rule_code="meeting.attend",
                         source=attendance, reason="改为缺席", actor=actor)

Send it inside the transaction of the write it reports: `points` writes the fact to its
outbox in that transaction and books it in a savepoint (a refusal or an error never undoes
the sender's write; what is left is booked by a sweep), so a crash after the commit loses
nothing. A service that sends many events in one write sends them inside `point_batch()`:

    with point_batch():
        for row in changed:
            point_event.send(...)

and `points` books them together (one member lock, one ledger insert, one audit append).

`points` listens to `point_event` (rule lookup, caps, idempotency on the source) and
`assessment` reads `INDICATORS` and `MEMBER_INPUTS`. Both sides work when the other is absent.
"""

import sys
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.dispatch import Signal

# kwargs: member, rule_code (str), source (model instance, the idempotency key with rule_code),
# occurred_on (date), actor (User or None), note (str, optional), hours (number, for rules
# paid per hour)
point_event = Signal()
# kwargs: member, rule_code, source, reason (str), actor — reverses what `source` earned
point_withdrawn = Signal()

# code → the modules that send it
POINT_CODES: dict[str, list[str]] = {}


def point_code(code: str) -> str:
    """Declare that the calling module sends `code`; returns it for use as a constant."""
    POINT_CODES.setdefault(code, []).append(sys._getframe(1).f_globals.get("__name__", "?"))
    return code


# The open `point_batch()` block of this thread: {key: (flush, [items])}, or None.
_BATCH: ContextVar[dict | None] = ContextVar("point_batch", default=None)


@contextmanager
def point_batch():
    """Send many `point_event`s as one write: inside the block every receiver still gets each
    event, and a receiver that can book many at once (`points`) defers them and books them
    all when the block ends, still inside the sender's transaction (a service that marks a
    whole meeting's attendance costs a fixed number of queries, not a few per member).

    Nested blocks join the outer one; an exception in the block books nothing.
    """
    if _BATCH.get() is not None:
        yield
        return
    pending: dict = {}
    token = _BATCH.set(pending)
    try:
        yield
    finally:
        _BATCH.reset(token)
    for flush, items in pending.values():
        flush(items)


def defer_to_batch(key: str, item, flush: Callable) -> bool:
    """For receivers: add `item` to the open `point_batch()` (booked by `flush(items)` when it
    ends) and return True, or return False when no block is open (handle it now)."""
    pending = _BATCH.get()
    if pending is None:
        return False
    pending.setdefault(key, (flush, []))[1].append(item)
    return True


# kwargs: years (list of int). Sent after the commit that entered or changed a year of the
# working calendar (core/holidays.py); apps with deadlines re-count their open ones.
calendar_changed = Signal()


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str
    compute: Callable  # (orgs: QuerySet[Organization], year: int) -> {org_id: number | None}


INDICATORS: dict[str, Indicator] = {}


def indicator(code, label, *, unit=""):
    """Register `fn(orgs, year) -> {org_id: value}` as a computed assessment indicator."""

    def register(fn):
        INDICATORS[code] = Indicator(code, label, unit, fn)
        return fn

    return register


@dataclass(frozen=True)
class MemberInput:
    code: str
    label: str
    compute: Callable  # (members: QuerySet[Member], year: int) -> {member_id: number | None}


MEMBER_INPUTS: dict[str, MemberInput] = {}


def member_input(code, label):
    """Register `fn(members, year) -> {member_id: score 0–100}` as a member assessment input."""

    def register(fn):
        MEMBER_INPUTS[code] = MemberInput(code, label, fn)
        return fn

    return register
