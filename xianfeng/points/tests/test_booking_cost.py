"""What one booking costs: the queries of a `point_event` booked in the sender's transaction.

Counted without SAVEPOINT statements: the rule stamp (the process cache of rules), the member
lock, the (rule, source) lookup, the caps' aggregate (only for a capped rule), the ledger row,
the rollup UPDATE, the audit chain read and its row. The outbox row is written only when
the booking fails.
"""

from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

import xianfeng.meetings.services  # noqa: F401  (declares meeting.attend and absent.meeting)
from xianfeng.meetings.models import Meeting

from .. import services
from ..models import PendingBooking, PointEvent
from .factories import make_rule, send

pytestmark = pytest.mark.django_db


def source(pk):
    return SimpleNamespace(_meta=Meeting._meta, pk=pk)


def booking_queries(member, code, pk):
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        send(member, code, source(pk), on=date(2026, 3, 5))
    return [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]


@pytest.mark.parametrize(("code", "expected"), [("meeting.attend", 8), ("absent.meeting", 7)])
def test_one_booking_costs_a_fixed_number_of_queries(world, clock, code, expected):
    clock.set(date(2026, 3, 10))
    send(world.member, code, source(1))  # the month's totals exist from here on
    queries = booking_queries(world.member, code, 2)
    expected += connection.vendor == "postgresql"  # the audit chain's advisory lock
    assert len(queries) == expected, "\n".join(queries)
    assert PointEvent.objects.filter(rule_code=code).count() == 2
    assert not PendingBooking.objects.exists()


def test_a_new_rule_is_seen_at_once(world, clock):
    clock.set(date(2026, 3, 10))
    send(world.member, "meeting.attend", source(1))
    street = make_rule("meeting.attend", points=7, scope=world.street)
    send(world.member, "meeting.attend", source(2))
    assert PointEvent.objects.get(source_id="2").rule == street
    assert services.current_rule("meeting.attend", world.member.organization) == street
