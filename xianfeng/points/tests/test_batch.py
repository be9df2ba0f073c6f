"""`point_batch()`: events sent together are booked by `services.book_many`, which writes the
rows of the one-by-one path (ledger, rollups, audit) for a fixed number of queries."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

import xianfeng.learning.services  # noqa: F401  (declares study.hours)
import xianfeng.meetings.services  # noqa: F401  (declares meeting.attend and absent.meeting)
from xianfeng.core.events import point_batch, point_event, point_withdrawn
from xianfeng.core.models import AuditLog
from xianfeng.meetings.models import Meeting
from xianfeng.orgs.models import Domain
from xianfeng.testing import make_member

from ..models import PendingBooking, PointEvent, PointTotal
from .factories import declared, make_rule, send

pytestmark = pytest.mark.django_db
MARCH = date(2026, 3, 10)


def source(pk):
    return SimpleNamespace(_meta=Meeting._meta, pk=pk)


def ledger():
    return sorted(
        PointEvent.objects.values_list(
            "member_id",
            "rule_code",
            "source_type",
            "source_id",
            "rule_id",
            "points",
            "kind",
            "booked_on",
            "occurred_on",
            "organization_id",
            "note",
            "approved_by_id",
            "reverses_id",
            "created_at",
        )
    )


def totals():
    return sorted(
        PointTotal.objects.values_list("member_id", "period", "total", "deducted", "reached_at")
    )


def audits(after):
    rows = AuditLog.objects.filter(seq__gt=after, action="points.booked")
    return sorted((r.target_id, r.actor_id, sorted(r.data.items())) for r in rows)


def state(after):
    return ledger(), totals(), audits(after)


@pytest.fixture
def mixed(world, clock):
    """A batch that takes every branch of `book_many`: plain bookings, a capped rule with
    earlier points, a domain rule that applies and one that refuses, a member with two
    bookings (hours, cut by the month cap), a source booked before and one withdrawn before
    (booked again as `id#2`)."""
    clock.set(MARCH)
    make_rule("batch.capped", points=3, cap_month=5)
    make_rule("rural.only", domains=[Domain.RURAL])
    people = [make_member(world.branch, f"批量{i}") for i in range(4)]
    rural = make_member(world.other_branch, "村党员")
    with declared("batch.capped", "rural.only"):
        send(people[0], "meeting.attend", source(1))
        point_withdrawn.send(
            sender=Meeting,
            member=people[0],
            rule_code="meeting.attend",
            source=source(1),
            reason="改为缺席",
            actor=None,
        )
        send(people[1], "batch.capped", source(2))  # 3 of the month's 5
        send(people[3], "meeting.attend", source(3))
    events = [
        (people[0], "meeting.attend", 1, None),  # withdrawn before: booked as 1#2
        (people[1], "batch.capped", 10, None),  # cut to 2
        (rural, "rural.only", 11, None),
        (people[2], "rural.only", 12, None),  # a community branch: refused
        (people[2], "study.hours", 13, Decimal("2.5")),
        (people[2], "study.hours", 14, Decimal("7")),  # cut to the month's 8
        (people[3], "meeting.attend", 3, None),  # booked before: the same row
        (world.member, "meeting.attend", 15, None),
        (world.other_member, "absent.meeting", 16, None),
    ]
    return events, world.users["branch_secretary"]


def send_all(events, actor):
    for member, code, pk, hours in events:
        point_event.send(
            sender=Meeting,
            member=member,
            rule_code=code,
            source=source(pk),
            occurred_on=MARCH,
            actor=actor,
            note=f"会议{pk}",
            hours=hours,
        )


def lived(events, actor, *, batch):
    """The state after sending `events` in one transaction (rolled back afterwards)."""
    after = AuditLog.objects.order_by("-seq").values_list("seq", flat=True).first()
    with declared("batch.capped", "rural.only"), transaction.atomic():
        if batch:
            with point_batch():
                send_all(events, actor)
        else:
            send_all(events, actor)
        out = state(after)
        transaction.set_rollback(True)
    return out


def test_a_batch_writes_the_rows_of_the_one_by_one_path(mixed):
    events, actor = mixed
    before = ledger()
    one_by_one = lived(events, actor, batch=False)
    assert ledger() == before
    batched = lived(events, actor, batch=True)
    assert batched == one_by_one
    new = [row for row in one_by_one[0] if row not in before]
    assert sorted((r[3], r[5]) for r in new) == [
        ("1#2", 2),
        ("10", 2),
        ("11", 3),
        ("13", 3),
        ("14", 5),
        ("15", 2),
        ("16", -3),
    ]
    assert len(one_by_one[2]) == len(new)
    assert not PendingBooking.objects.exists()


def test_nothing_is_booked_when_the_block_raises(world, clock):
    clock.set(MARCH)
    with pytest.raises(RuntimeError), transaction.atomic(), point_batch():
        send(world.member, "meeting.attend", source(1))
        raise RuntimeError
    assert not PointEvent.objects.exists() and not PendingBooking.objects.exists()


def batch_queries(members, first_pk):
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx, point_batch():
        for n, member in enumerate(members):
            send(member, "meeting.attend", source(first_pk + n))
    return [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_a_batch_costs_the_same_queries_for_three_members_or_twelve(world, clock):
    clock.set(MARCH)
    members = [make_member(world.branch, f"党员{i}") for i in range(12)]
    for n, member in enumerate(members):  # the month's totals exist from here on
        send(member, "meeting.attend", source(100 + n))
    three = batch_queries(members[:3], 200)
    twelve = batch_queries(members, 300)
    # The rule stamp, the member lock, the (rule, source) lookup, the caps' aggregate, the
    # ledger insert, the rollups read and updated, the audit chain read and its insert (+ the
    # chain's advisory lock on PostgreSQL).
    expected = 9 + (connection.vendor == "postgresql")
    assert len(three) == len(twelve) == expected, "\n".join(twelve)
    assert PointEvent.objects.filter(source_id__startswith="3").count() == 12
    assert PointTotal.objects.get(member=members[0], period="2026-03").total == 2 * 3
