"""Dues collection from rollup rows (docs/decisions/0004-dashboard-rollups.md).

`DuesMonthRollup` holds, per organization × month, over the organization's active direct
members: how many owed dues that month (`liable`: a basis valid by then and joined by then,
the workbench's definition), how many of those paid it, how many owed the last three months
and paid none of them (`run_unpaid`, the first warning, WARN_MONTHS[0]), the amount due
(`due_in`, exemptions applied) and the amount paid.

Rows exist for the months up to the watermark month `through()` (RollupWatermark 'dues').
A month's row depends only on the source rows, not on the day, so every write keeps it exact
in its own transaction: the dues services (payment, basis, exemption) and every member write
(`members.services.refresh_org_counts`, through `core.rollups.members_changed`) re-count the
organizations they touch under the organizations' row locks. The monthly job `refresh_all`
(dues.tasks, the 1st at 00:10) adds the new month and moves the watermark; a month after the
watermark is counted live from the source rows (exact, slow) until it runs.

`_counted()` is the one definition; `drift` recomputes any subtree with it
(`manage.py check_rollups --only dues`).
"""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from .models import DuesBasis, DuesExemption, DuesMonthRollup, DuesPayment

WATERMARK = "dues"
COUNTERS = ("liable", "paid", "run_unpaid", "amount_due", "amount_paid")
ZERO = Decimal("0.00")
CHUNK = 500  # organizations per batch when counting everything


def _month_start(day):
    return day.replace(day=1)


def prev_month(month):
    return _month_start(month - timedelta(days=1))


def _next_month(month):
    return _month_start(month + timedelta(days=32))


def through(*, fix=False):
    """The last month the rows are counted for (this month when nothing was counted yet; with
    fix=True that month is stored as the watermark, so rows counted before a month's end are
    never read as that of a later month: a later month is counted live until the job runs)."""
    from xianfeng.orgs.models import RollupWatermark

    day = RollupWatermark.objects.filter(name=WATERMARK).values_list("as_of", flat=True).first()
    if day is None and fix:
        day = _month_start(timezone.localdate())
        RollupWatermark.objects.get_or_create(name=WATERMARK, defaults={"as_of": day})
    return _month_start(day or timezone.localdate())


# ---------------------------------------------------------------- counting


class _Joined:
    """What `services.due_in` reads of a member."""

    __slots__ = ("joined_on",)

    def __init__(self, joined_on):
        self.joined_on = joined_on


def _counted(org_ids, last):
    """{org id: {month: [liable, paid, run_unpaid, amount_due, amount_paid]}} counted from the
    members, bases, exemptions and payments, for the months up to `last` (org_ids None: all)."""
    from xianfeng.members.models import Member

    from .services import WARN_MONTHS, due_in

    run = WARN_MONTHS[0]
    members = Member.objects.active().order_by()
    if org_ids is not None:
        members = members.filter(organization_id__in=org_ids)
    people = {
        pk: (org, joined)
        for pk, org, joined in members.values_list("pk", "organization_id", "joined_on")
    }
    if not people:
        return {}
    ids = members.values("pk")
    bases, exemptions = defaultdict(list), defaultdict(list)
    for basis in DuesBasis.objects.filter(member__in=ids).order_by("member_id", "valid_from"):
        bases[basis.member_id].append(basis)
    for e in DuesExemption.objects.filter(member__in=ids).order_by("member_id", "from_month"):
        exemptions[e.member_id].append(e)
    paid = defaultdict(dict)
    for member_id, month, amount in (
        DuesPayment.objects.filter(member__in=ids, month__lte=last)
        .order_by()
        .values_list("member_id", "month", "amount_paid")
    ):
        paid[member_id][month] = amount

    out = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, ZERO, ZERO]))
    for pk, (org, joined) in people.items():
        rows = out[org]
        months_paid = paid.get(pk, {})
        for month, amount in months_paid.items():
            rows[month][4] += amount
        own = bases.get(pk)
        if not own or joined is None:
            continue
        member = _Joined(joined)
        month = max(_month_start(joined), own[0].valid_from)
        window = []  # paid or not, for the last `run` months
        while month <= last:
            row = rows[month]
            row[0] += 1
            is_paid = month in months_paid
            row[1] += is_paid
            window.append(is_paid)
            if len(window) >= run and not any(window[-run:]):
                row[2] += 1
            row[3] += due_in(member, own, month, exemptions.get(pk, ())) or ZERO
            month = _next_month(month)
    return {
        org: {m: c for m, c in months.items() if any(c)} for org, months in out.items() if months
    }


def _write(org_ids, counted):
    """Replace the rows of these organizations with `counted`."""
    DuesMonthRollup.objects.filter(organization_id__in=org_ids).delete()
    DuesMonthRollup.objects.bulk_create(
        [
            DuesMonthRollup(organization_id=org, month=month, **dict(zip(COUNTERS, c, strict=True)))
            for org in org_ids
            for month, c in sorted(counted.get(org, {}).items())
        ],
        batch_size=1000,
    )


def recount(org_ids, *, locked=False):
    """Re-count these organizations' rows (inside the write's transaction). The organization
    rows are locked first, in pk order (as members.services does): the count then runs after
    any concurrent writer to the same organization has committed."""
    from xianfeng.orgs.models import Organization

    org_ids = sorted({i for i in org_ids if i is not None})
    if not org_ids:
        return
    with transaction.atomic():
        if not locked:  # members.services has locked them already
            list(
                Organization.objects.select_for_update()
                .filter(pk__in=org_ids)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        _write(org_ids, _counted(org_ids, through(fix=True)))


def refresh_all(day=None):
    """Count every organization up to the month of `day` (default today) and move the
    watermark there; returns the number of rows written."""
    from xianfeng.orgs.models import Organization, RollupWatermark

    last = _month_start(day or timezone.localdate())
    written = 0
    with transaction.atomic():
        RollupWatermark.objects.update_or_create(name=WATERMARK, defaults={"as_of": last})
        DuesMonthRollup.objects.all().delete()
        ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            counted = _counted(chunk, last)
            DuesMonthRollup.objects.bulk_create(
                [
                    DuesMonthRollup(
                        organization_id=org, month=month, **dict(zip(COUNTERS, c, strict=True))
                    )
                    for org, months in counted.items()
                    for month, c in months.items()
                ],
                batch_size=1000,
            )
            written += sum(len(months) for months in counted.values())
    return written


def drift(org_paths=None, *, fix=False):
    """[(org id, (month,), stored, actual)] for the subtrees at `org_paths` (None: all); with
    fix=True re-count the organizations that differ."""
    from xianfeng.accounts.scoping import path_q
    from xianfeng.orgs.models import Organization

    orgs = Organization.objects.order_by("pk")
    if org_paths is not None:
        orgs = orgs.filter(path_q("path", org_paths))
    ids = list(orgs.values_list("pk", flat=True))
    last = through()
    found = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        actual = _counted(chunk, last)
        stored = defaultdict(dict)
        for org, month, *counts in DuesMonthRollup.objects.filter(
            organization_id__in=chunk
        ).values_list("organization_id", "month", *COUNTERS):
            if any(counts):
                stored[org][month] = counts
        bad = []
        for org in chunk:
            want, have = actual.get(org, {}), stored.get(org, {})
            for month in sorted(want.keys() | have.keys()):
                if want.get(month) != have.get(month):
                    found.append((org, (month,), have.get(month), want.get(month)))
                    bad.append(org)
        if fix and bad:
            with transaction.atomic():
                _write(sorted(set(bad)), actual)
    return found


# ---------------------------------------------------------------- reading


def _org_filter(paths, alias="o"):
    """(SQL, params) restricting `alias`.path to the subtrees at `paths` ("" = everywhere)."""
    if "" in paths:
        return "TRUE", []
    if not paths:
        return "FALSE", []
    return "(" + " OR ".join(f"{alias}.path LIKE %s" for _ in paths) + ")", [p + "%" for p in paths]


def _zero():
    return dict.fromkeys(COUNTERS, 0) | {"amount_due": ZERO, "amount_paid": ZERO}


def month_sums(paths, months) -> dict:
    """{month: {counter: sum}} over the subtrees at `paths`: rollup rows for the months up to
    the watermark (one statement), the source rows for a month after it."""
    from xianfeng.orgs.models import Organization

    months = sorted(set(months))
    last = through()
    out = {m: _zero() for m in months}
    covered = [m for m in months if m <= last]
    if covered:
        where, params = _org_filter(paths)
        sums = ", ".join(f"COALESCE(SUM(r.{c}), 0)" for c in COUNTERS)
        sql = (
            f"SELECT r.month, {sums} FROM {DuesMonthRollup._meta.db_table} r "
            f"JOIN {Organization._meta.db_table} o ON o.id = r.organization_id "
            f"WHERE {where} AND r.month IN ({', '.join(['%s'] * len(covered))}) "
            "GROUP BY r.month"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params + covered)
            for month, *values in cursor.fetchall():
                out[_as_date(month)] = _typed(values)
    for month in months:
        if month > last:
            out[month] = _live(paths, month)
    return out


def _as_date(value):
    from datetime import date

    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _typed(values):
    counts = dict(zip(COUNTERS, values, strict=True))
    for c in ("liable", "paid", "run_unpaid"):
        counts[c] = int(counts[c])
    for c in ("amount_due", "amount_paid"):
        counts[c] = Decimal(str(counts[c])).quantize(Decimal("0.01"))
    return counts


def _live(paths, month):
    from xianfeng.accounts.scoping import path_q
    from xianfeng.orgs.models import Organization

    ids = list(Organization.objects.filter(path_q("path", paths)).values_list("pk", flat=True))
    total = _zero()
    for start in range(0, len(ids), CHUNK):
        for months in _counted(ids[start : start + CHUNK], month).values():
            for c, n in zip(COUNTERS, months.get(month, ()), strict=False):
                total[c] += n
    return total


def subtree_month(org_ids, month) -> dict:
    """{org id: {counter: sum}} over the subtree of each of these organizations in `month`,
    in one statement (the dues home page's list); empty sums after the watermark."""
    from xianfeng.orgs.models import Organization

    out = {pk: _zero() for pk in org_ids}
    if not org_ids or month > through():
        return out
    orgs = Organization._meta.db_table
    sums = ", ".join(f"COALESCE(SUM(r.{c}), 0)" for c in COUNTERS)
    sql = (
        f"SELECT b.id, {sums} FROM {orgs} b JOIN {orgs} o ON o.path LIKE b.path || '%%' "
        f"JOIN {DuesMonthRollup._meta.db_table} r ON r.organization_id = o.id "
        f"WHERE b.id IN ({', '.join(['%s'] * len(org_ids))}) AND r.month = %s GROUP BY b.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*org_ids, month])
        for pk, *values in cursor.fetchall():
            out[pk] = _typed(values)
    return out


# ---------------------------------------------------------------- registration


def _register():
    from xianfeng.core.rollups import register_member_rollup

    register_member_rollup("dues", drift=drift, recount=recount)
