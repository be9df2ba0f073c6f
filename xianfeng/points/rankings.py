"""Rankings of a subtree for a month, quarter or year, and closing a month into a snapshot.

Order (the tie rule, stated once and tested): total points, highest first; on equal totals
the member who reached that total earlier (the booking time of their latest event in the
period) ranks higher; then name pinyin A→Z; then the member's id. Ranks are therefore
1, 2, 3 … without shared places, which is what a notice board prints.

Points follow the member: a ranking counts every point of the period for the members who
are in the subtree now (active members only), whichever organization they earned them in.
A month that is closed keeps the TOP-N it had when it was closed (RankingSnapshot).

One hand-written statement (like orgs/stats.py): the ORM would add ~1 ms of compiling to
a query that takes 1 ms on 1,000,000 members (docs/benchmarks.md).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from xianfeng.core.audit import record
from xianfeng.core.errors import DomainError
from xianfeng.members.models import ACTIVE_STATUSES
from xianfeng.orgs.models import Organization, OrgKind

from . import periods
from .models import RankingRow, RankingSnapshot

MAX_N = 100
SNAPSHOT_SIZE = 10
_STATUSES = tuple(str(s) for s in ACTIVE_STATUSES)
_IN = ", ".join(["%s"] * len(_STATUSES))
_FROM = f"""
FROM points_pointtotal t
JOIN members_member m ON m.id = t.member_id
JOIN orgs_organization o ON o.id = m.organization_id
WHERE t.period = %s AND o.path LIKE %s AND m.status IN ({_IN})
"""
TOP_SQL = f"""
SELECT t.member_id, m.name, o.name, t.total, t.reached_at {_FROM}
ORDER BY t.total DESC, t.reached_at, m.name_pinyin, t.member_id
LIMIT %s
"""
AHEAD_SQL = f"""
SELECT COUNT(*) {_FROM}
AND (t.total > %s OR (t.total = %s AND (t.reached_at < %s OR (t.reached_at = %s AND
     (m.name_pinyin < %s OR (m.name_pinyin = %s AND t.member_id < %s))))))
"""
MINE_SQL = """
SELECT t.total, t.reached_at, m.name_pinyin FROM points_pointtotal t
JOIN members_member m ON m.id = t.member_id WHERE t.member_id = %s AND t.period = %s
"""


@dataclass(frozen=True)
class Place:
    rank: int
    member_id: int
    member_name: str
    org_name: str
    total: int
    reached_at: datetime | None = None


def top(org, key, n=10):
    """The first `n` members of `org`'s subtree in period `key` (see the order above)."""
    periods.parse(key)
    n = max(1, min(int(n), MAX_N))
    with connection.cursor() as cursor:
        cursor.execute(TOP_SQL, [key, org.path + "%", *_STATUSES, n])
        rows = cursor.fetchall()
    return [Place(i, *row) for i, row in enumerate(rows, 1)]


def rank_of(member, org, key):
    """(rank, total) of `member` inside `org`'s subtree in `key`; (None, 0) with no points."""
    with connection.cursor() as cursor:
        cursor.execute(MINE_SQL, [member.pk, key])
        mine = cursor.fetchone()
        if mine is None:
            return None, 0
        total, reached_at, pinyin = mine
        cursor.execute(
            AHEAD_SQL,
            [key, org.path + "%", *_STATUSES]
            + [total, total, reached_at, reached_at, pinyin, pinyin, member.pk],
        )
        return cursor.fetchone()[0] + 1, total


def home_orgs(member):
    """The member's branch (or general branch) and the committee above it, for 'my rank'."""
    chain = [*Organization.objects.get_ancestors(member.organization), member.organization]
    branch = next(
        (o for o in reversed(chain) if o.kind in (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH)),
        member.organization,
    )
    committee = next((o for o in reversed(chain) if o.kind == OrgKind.COMMITTEE), None)
    return [o for o in (branch, committee) if o is not None]


def snapshot(org, key):
    return RankingSnapshot.objects.filter(organization=org, period=key).first()


def close_month(org, key, *, actor, size=SNAPSHOT_SIZE):
    """Freeze `org`'s TOP-`size` of a month that is over; a month closes once."""
    period = periods.parse(key)
    if period.kind != periods.MONTH:
        raise DomainError("只能按月结账", field="period")
    if period.end > timezone.localdate():
        raise DomainError("该月尚未结束，不能结账", field="period")
    places = top(org, key, size)
    try:
        with transaction.atomic():
            snap = RankingSnapshot.objects.create(
                organization=org, period=key, size=size, closed_by=actor
            )
            RankingRow.objects.bulk_create(
                RankingRow(
                    snapshot=snap,
                    rank=p.rank,
                    member_id=p.member_id,
                    member_name=p.member_name,
                    org_name=p.org_name,
                    total=p.total,
                )
                for p in places
            )
            record("points.month_closed", org, actor=actor, period=key, rows=len(places))
    except IntegrityError as exc:
        raise DomainError(f"{org.name} {period.label}已结账") from exc
    return snap


def snapshot_places(snap):
    return [
        Place(r.rank, r.member_id, r.member_name, r.org_name, r.total)
        for r in snap.rows.order_by("rank")
    ]


def close_last_month(today=None) -> int:
    """月度结账 by the job: freeze last month's TOP10 of every active 党委/党工委 not yet closed.

    Returns how many were closed; a committee closed by hand earlier is left as it is.
    """
    today = today or timezone.localdate()
    key = periods.month_key(today.replace(day=1) - timedelta(days=1))
    done = set(RankingSnapshot.objects.filter(period=key).values_list("organization_id", flat=True))
    closed = 0
    for org in Organization.objects.active().filter(kind=OrgKind.COMMITTEE).exclude(pk__in=done):
        try:
            close_month(org, key, actor=None)
        except DomainError:
            continue
        closed += 1
    return closed
