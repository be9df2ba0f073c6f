"""Subtree statistics for the org page, the API and the benchmark.

Totals come from the per-organization rollup columns (kept exact by
xianfeng.members.services.refresh_org_counts), so the street, a district or the whole
city costs one index range scan over `organization.path`, never a scan of members.
"""

from datetime import date

from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext

from xianfeng.accounts.scoping import path_q
from xianfeng.core.dates import add_years
from xianfeng.members.models import ACTIVE_STATUSES, Category, Education, Gender, Member

from .models import Organization, OrgKind, OrgStatus

_KIND_KEYS = {
    "committees": OrgKind.COMMITTEE,
    "general_branches": OrgKind.GENERAL_BRANCH,
    "branches": OrgKind.BRANCH,
    "groups": OrgKind.GROUP,
}


STATS_KEYS = (
    "members",
    "full_members",
    "probationary_members",
    *_KIND_KEYS,
    "organizations",
)


def _stats_sql():
    # Hand-written because this is the hottest read in the product (API, org page, member
    # list total): building the equivalent ORM aggregate costs ~1 ms per call, three times
    # the 0.3 ms the statement itself takes for a street (docs/benchmarks.md).
    table = Organization._meta.db_table
    kinds = ", ".join(
        f"SUM(CASE WHEN kind = '{kind}' THEN 1 ELSE 0 END)" for kind in _KIND_KEYS.values()
    )
    return (
        "SELECT COALESCE(SUM(member_count), 0), COALESCE(SUM(full_member_count), 0), "
        f"COALESCE(SUM(probationary_member_count), 0), {kinds}, COUNT(*) "
        f"FROM {table} WHERE path LIKE %s AND status = %s"
    )


_STATS_SQL = _stats_sql()


def subtree_stats(org) -> dict:
    """Totals over the active subtree of `org` (itself included), in one aggregate query."""
    # Paths use only 0-9 and A-Z, so they need no LIKE escaping.
    with connection.cursor() as cursor:
        cursor.execute(_STATS_SQL, [org.path + "%", OrgStatus.ACTIVE.value])
        row = cursor.fetchone()
    return {key: int(value or 0) for key, value in zip(STATS_KEYS, row, strict=True)}


# (label, lowest full years, highest full years or None); the labels are msgids.
AGE_BANDS = (
    ("30岁及以下", 0, 30),
    ("31-40岁", 31, 40),
    ("41-50岁", 41, 50),
    ("51-60岁", 51, 60),
    ("61-70岁", 61, 70),
    ("70岁以上", 71, None),
)
PARTY_AGE_BANDS = (
    ("不满5年", 0, 4),
    ("5-10年", 5, 10),
    ("11-20年", 11, 20),
    ("21-30年", 21, 30),
    ("31-50年", 31, 50),
    ("50年以上", 51, None),
)


def years_before(today: date, years: int) -> date:
    """The same calendar day `years` earlier (29 Feb falls back to 28 Feb)."""
    return add_years(today, -years)


def band_q(field: str, low: int, high: int | None, today: date) -> Q:
    """Rows whose full years since `field` lie in [low, high] on `today`.

    full years >= n  ⟺  field <= today shifted back n years.
    """
    q = Q(**{f"{field}__lte": years_before(today, low)})
    if high is not None:
        q &= Q(**{f"{field}__gt": years_before(today, high + 1)})
    return q


def _choice_series(prefix, field, choices):
    return [(f"{prefix}_{value}", label, Q(**{field: value})) for value, label in choices]


def _band_series(prefix, field, bands, today):
    return [
        (f"{prefix}_{i}", gettext(label), band_q(field, low, high, today))
        for i, (label, low, high) in enumerate(bands)
    ]


def _series(today):
    education = [*Education.choices, ("", gettext("未填写"))]
    active_statuses = [(status, status.label) for status in ACTIVE_STATUSES]
    return {
        "category": _choice_series("c", "category", Category.choices),
        "gender": _choice_series("g", "gender", Gender.choices),
        "age": _band_series("a", "birth_date", AGE_BANDS, today),
        "education": _choice_series("e", "education", education),
        # 党龄 counts from 转正 (党章 第七条): probationary members have none yet.
        "party_age": [
            *_band_series("p", "confirmed_on", PARTY_AGE_BANDS, today),
            ("p_none", gettext("无党龄（预备党员或缺转正日期）"), Q(confirmed_on__isnull=True)),
        ],
        "status": _choice_series("s", "status", active_statuses),
    }


def subtree_breakdowns(org, today=None, *, as_of=None) -> dict:
    """Active members of the subtree by category, gender, age band, education, party-age band
    and status: {chart: [{"name": label, "value": count}, ...]} ready for ECharts.

    Read from the breakdown rollup rows (breakdowns.py: one statement over the subtree's
    organizations), whose ages are counted on `breakdowns.as_of()`; asked for another day,
    the members are counted (`subtree_breakdowns_scan`).
    """
    from . import breakdowns

    day = as_of or breakdowns.as_of()
    if today is not None and today != day:
        return subtree_breakdowns_scan(org, today)
    counts = breakdowns.subtree_counts(org)
    return {
        chart: [
            {"name": str(label), "value": counts[breakdowns.column(key)]} for key, label, _q in rows
        ]
        for chart, rows in _series(day).items()
    }


def subtree_breakdowns_scan(org, today=None) -> dict:
    """The same, counted over the subtree's members in one conditional aggregate (what the
    org page ran before the rollup; the bench compares both)."""
    today = today or timezone.localdate()
    series = _series(today)
    aggregates = {key: Count("pk", filter=q) for rows in series.values() for key, _label, q in rows}
    counts = (
        Member.objects.active()
        .order_by()
        .filter(organization__path__startswith=org.path)
        .aggregate(**aggregates)
    )
    return {
        chart: [{"name": str(label), "value": counts[key]} for key, label, _q in rows]
        for chart, rows in series.items()
    }


# Above this many separate subtrees, one covering prefix is cheaper than many LIKEs.
_MAX_PREFIXES = 50


def covering_paths(paths) -> list[str]:
    """Few path prefixes that together cover every subtree rooted at `paths`."""
    roots = []
    for path in sorted(set(paths)):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    if len(roots) > _MAX_PREFIXES:
        roots = [_common_prefix(roots)]
    return roots


def _common_prefix(paths):
    first, last = paths[0], paths[-1]
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    step = Organization.steplen
    return first[: n - n % step]


def subtree_totals(orgs) -> dict[int, tuple[int, int]]:
    """{org id: (members, full members)} over each one's active subtree, in one query.

    One GROUP BY per distinct depth among `orgs`, sent as a single UNION ALL.
    """
    orgs = list(orgs)
    if not orgs:
        return {}
    within = path_q("path", covering_paths(org.path for org in orgs))
    step = Organization.steplen
    parts = [
        Organization.objects.order_by()
        .filter(within, status=OrgStatus.ACTIVE, depth__gte=depth)
        .annotate(prefix=Substr("path", 1, step * depth))
        .values("prefix")
        .annotate(n=Sum("member_count"), full=Sum("full_member_count"))
        .values_list("prefix", "n", "full")
        for depth in sorted({org.depth for org in orgs})
    ]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    by_prefix = {prefix: (n, full) for prefix, n, full in rows}
    return {org.pk: by_prefix.get(org.path, (0, 0)) for org in orgs}
