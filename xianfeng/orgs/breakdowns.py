"""The org page's charts from rollup rows (docs/decisions/0004-dashboard-rollups.md).

`OrgBreakdown` holds, per organization, its active direct members in every chart bucket.
The buckets are the conditional counts of `stats._series` (the definitions the scan used),
so the rollup and the scan cannot disagree on what a bucket means. Age and party-age bands
depend on the day: every row is counted on the watermark day `as_of()`; member writes
re-count their organizations on that same day (`refresh`, called by
members.services.refresh_org_counts in the write's transaction), and the nightly job
`refresh_all` re-counts everything on the new day and moves the watermark, in one
transaction. The org page shows the day when it is not today.
"""

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from .models import BREAKDOWN_COLUMNS, Organization, OrgBreakdown, RollupWatermark

WATERMARK = "org_breakdowns"


def column(key: str) -> str:
    """stats._series key → OrgBreakdown column (lower case; the empty education is e_none)."""
    key = key.lower()
    return key + "none" if key.endswith("_") else key


def _aggregates(day):
    from .stats import _series

    return {
        column(key): Count("pk", filter=q)
        for rows in _series(day).values()
        for key, _label, q in rows
    }


def as_of():
    """The day the rows are counted on (today when nothing was counted yet)."""
    day = RollupWatermark.objects.filter(name=WATERMARK).values_list("as_of", flat=True).first()
    return day or timezone.localdate()


def _counted(org_ids, day):
    """{org id: {column: n}} counted from the members (org_ids None: every organization)."""
    from xianfeng.members.models import Member

    qs = Member.objects.active().order_by()
    if org_ids is not None:
        qs = qs.filter(organization_id__in=org_ids)
    rows = qs.values("organization_id").annotate(**_aggregates(day))
    return {row.pop("organization_id"): row for row in rows.iterator(chunk_size=5000)}


def refresh(org_ids):
    """Re-count these organizations' rows on the watermark day (inside the member write)."""
    org_ids = sorted({i for i in org_ids if i is not None})
    if not org_ids:
        return
    day = as_of()
    counted = _counted(org_ids, day)
    with transaction.atomic():
        OrgBreakdown.objects.filter(pk__in=set(org_ids) - set(counted)).delete()
        _upsert(counted, day)


def _upsert(counted, day):
    rows = [OrgBreakdown(organization_id=pk, as_of=day, **counts) for pk, counts in counted.items()]
    OrgBreakdown.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["organization"],
        update_fields=["as_of", *BREAKDOWN_COLUMNS],
    )


def refresh_all(day=None):
    """Re-count every organization on `day` (default today) and move the watermark there."""
    day = day or timezone.localdate()
    with transaction.atomic():
        RollupWatermark.objects.update_or_create(name=WATERMARK, defaults={"as_of": day})
        counted = _counted(None, day)
        OrgBreakdown.objects.exclude(pk__in=list(counted)).delete()
        _upsert(counted, day)
    return len(counted)


def drift(org_paths=None, *, fix=False):
    """[(org id, column, stored, actual)] for the subtrees at `org_paths` (None: all)."""
    from xianfeng.accounts.scoping import path_q

    orgs = Organization.objects.order_by()
    if org_paths is not None:
        orgs = orgs.filter(path_q("path", org_paths))
    ids = list(orgs.values_list("pk", flat=True))
    day = as_of()
    found = []
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        actual = _counted(chunk, day)
        stored = {
            row.pop("organization_id"): row
            for row in OrgBreakdown.objects.filter(pk__in=chunk).values(
                "organization_id", "as_of", *BREAKDOWN_COLUMNS
            )
        }
        for pk in chunk:
            want, have = actual.get(pk), stored.get(pk)
            if have is not None:
                if have.pop("as_of") != day:
                    found.append((pk, ("as_of",), None, day))
                if want is None and not any(have.values()):
                    continue
            for col in BREAKDOWN_COLUMNS:
                a = (want or {}).get(col, 0)
                s = (have or {}).get(col, 0)
                if a != s:
                    found.append((pk, (col,), s, a))
        if fix and found:
            with transaction.atomic():
                bad = {pk for pk, *_ in found if pk in set(chunk)}
                OrgBreakdown.objects.filter(pk__in=bad - set(actual)).delete()
                _upsert({pk: actual[pk] for pk in bad if pk in actual}, day)
    return found


def _sum_sql():
    table = OrgBreakdown._meta.db_table
    orgs = Organization._meta.db_table
    sums = ", ".join(f"COALESCE(SUM(b.{c}), 0)" for c in BREAKDOWN_COLUMNS)
    # Hand-written for the reason subtree_stats is: one index range scan over the subtree's
    # organizations and their one-row breakdowns; the ORM aggregate would cost more to build.
    return (
        f"SELECT {sums} FROM {orgs} o JOIN {table} b ON b.organization_id = o.id "
        "WHERE o.path LIKE %s"
    )


_SUM_SQL = _sum_sql()


def subtree_counts(org) -> dict:
    """{column: n} over the subtree of `org`, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(_SUM_SQL, [org.path + "%"])
        row = cursor.fetchone()
    return dict(zip(BREAKDOWN_COLUMNS, (int(v) for v in row), strict=True))


def _register():
    from xianfeng.core.rollups import Drift, rollup_checker

    @rollup_checker("breakdowns")
    def check_breakdowns(org_paths, *, fix=False):
        return [Drift("breakdowns", *row) for row in drift(org_paths, fix=fix)]
