"""Figures (三率 and more) for any subtree and period, in a handful of grouped queries."""

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.core.events import indicator

from .models import CLOSED_STATUSES, OPEN_STATUSES, RequestEvent, ResidentRequest, Status


def _duration(end, start):
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def period_bounds(start, end):
    """Aware datetimes for [start 00:00, end+1 00:00) in local time."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end, time.max), tz),
    )


def requests_in(org_path, start, end, *, grid=None):
    lower, upper = period_bounds(start, end)
    qs = ResidentRequest.objects.filter(
        organization__path__startswith=org_path, created_at__gte=lower, created_at__lte=upper
    )
    if grid is not None:
        qs = qs.filter(grid__path__startswith=grid.path)
    return qs


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


def totals_at(now):
    """The aggregates of a figures row; "due" counts deadlines passed at `now`."""
    return {
        **TOTALS,
        "due": Count(
            "pk",
            filter=Q(finish_due__lte=now) | Q(status=Status.SOLVED, solved_at__lte=F("finish_due")),
        ),
    }


TOTALS = {
    "total": Count("pk"),
    "responded": Count("pk", filter=Q(responded_at__isnull=False)),
    "solved": Count("pk", filter=Q(status=Status.SOLVED)),
    "closed": Count("pk", filter=Q(status__in=CLOSED_STATUSES)),
    "on_time": Count("pk", filter=Q(status=Status.SOLVED, solved_at__lte=F("finish_due"))),
    # Every request whose finish deadline has passed, whatever became of it (solved late,
    # still open, closed unsolved) or solved on time before its deadline.
    "due": Count(
        "pk",
        filter=Q(finish_due__lte=Now()) | Q(status=Status.SOLVED, solved_at__lte=F("finish_due")),
    ),
    "rated": Count("pk", filter=Q(rating__isnull=False)),
    "satisfied": Count("pk", filter=Q(rating__gte=4)),
    "avg_rating": Avg("rating"),
    "avg_respond": Avg(_duration("responded_at", "created_at")),
    "avg_finish": Avg(_duration("solved_at", "created_at")),
}


def with_rates(row):
    row["response_rate"] = _rate(row["responded"], row["total"])
    row["on_time_rate"] = _rate(row["on_time"], row["due"])
    row["resolution_rate"] = _rate(row["solved"], row["total"])
    row["satisfaction_rate"] = _rate(row["satisfied"], row["rated"])
    return row


def request_figures(qs, now=None):
    """Totals, 三率, averages, and breakdowns by status, category, level and grid."""
    now = now or timezone.now()
    totals_ = totals_at(now)
    totals = with_rates(
        qs.aggregate(
            **totals_,
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(next_due__lte=now)),
        )
    )
    labels = dict(Status.choices)
    by_status = [
        (labels.get(row["status"], row["status"]), row["n"])
        for row in qs.values("status").annotate(n=Count("pk")).order_by("-n")
    ]
    by_category = [
        with_rates(row)
        for row in qs.values("category__name").annotate(**totals_).order_by("-total")
    ]
    escalations = list(
        RequestEvent.objects.filter(request__in=qs, action="escalated")
        .values("level", "level_label")
        .annotate(n=Count("pk"))
        .order_by("level", "level_label")
    )
    by_grid = [
        with_rates(row)
        for row in qs.values("grid__name").annotate(**totals_).order_by("-total")[:100]
    ]
    return {
        "totals": totals,
        "by_status": by_status,
        "by_category": by_category,
        "escalations": escalations,
        "by_grid": by_grid,
    }


@indicator("requests.on_time_rate", _("诉求按时办结率"), unit="%")
def on_time_rate(orgs, year):
    """Requests solved within their deadline ÷ every request due in the year, per subtree.

    Due = the finish deadline falls in the year and has passed, or the request was solved on
    time before it: solved late, open and overdue, and closed unsolved all lower the rate;
    requests not yet due and still open do not count. None for a subtree with nothing due.
    """
    rows = (
        ResidentRequest.objects.filter(finish_due__year=year)
        .filter(Q(finish_due__lte=Now()) | Q(status=Status.SOLVED, solved_at__lte=F("finish_due")))
        .values("organization__path")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(status=Status.SOLVED, solved_at__lte=F("finish_due"))),
        )
    )
    sums = defaultdict(lambda: [0, 0])
    orgs = list(orgs)
    for row in rows:
        for org in orgs:
            if row["organization__path"].startswith(org.path):
                sums[org.pk][0] += row["on_time"]
                sums[org.pk][1] += row["due"]
    return {org.pk: _rate(*sums[org.pk]) if org.pk in sums else None for org in orgs}


RATES = (
    ("response_rate", _("响应率")),
    ("resolution_rate", _("解决率")),
    ("satisfaction_rate", _("满意率")),
    ("on_time_rate", _("按时办结率")),
)


def rates_chart(rows):
    """Data for the figures page's bar chart: one group per category, the four rates in %,
    labels in the user's language (the page passes them to the chart as they are)."""
    if not rows:
        return None
    return {
        "categories": [str(row["category__name"]) for row in rows],
        "series": [
            {"name": str(label), "data": [row[key] for row in rows]} for key, label in RATES
        ],
        "unit": "%",
    }


MAP_MARKERS = 500


def request_map(qs, now=None):
    """The figures map: each grid with an outline and requests in `qs`, with its open and
    overdue counts (the page colours it), and the open requests that carry a point."""
    from xianfeng.grid.models import Grid

    now = now or timezone.now()
    counts = {
        row["grid"]: row
        for row in qs.filter(grid__isnull=False)
        .values("grid")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, next_due__lte=now)),
        )
        .order_by()
    }
    grids = Grid.objects.filter(pk__in=counts, geometry__isnull=False).only("name", "geometry")
    return {
        "grids": {"type": "FeatureCollection", "features": _features(grids, counts)},
        "points": _open_points(qs, now),
    }


def _features(grids, counts):
    return [
        {
            "type": "Feature",
            "properties": {
                "name": g.name,
                "total": counts[g.pk]["total"],
                "open": counts[g.pk]["open"],
                "overdue": counts[g.pk]["overdue"],
            },
            "geometry": g.geometry,
        }
        for g in grids
        if g.geometry.get("type") in ("Polygon", "MultiPolygon")
    ]


def _open_points(qs, now):
    return [
        {
            "lat": float(lat),
            "long": float(long),
            "code": code,
            "category": category,
            "overdue": bool(due and due <= now),
        }
        for lat, long, code, category, due in qs.filter(
            status__in=OPEN_STATUSES, lat__isnull=False, long__isnull=False
        )
        .order_by("-created_at")
        .values_list("lat", "long", "tracking_code", "category__name", "next_due")[:MAP_MARKERS]
    ]


# ---------------------------------------------------------------- from the rollup


def _from_counts(c):
    """A figures row (as request_figures gives it) from summed rollup counters."""
    row = {k: c[k] for k in ("total", "responded", "solved", "closed", "on_time", "rated")}
    row["satisfied"] = c["satisfied"]
    row["due"] = c["total"] - c.get("not_due", 0)
    row["avg_rating"] = c["rating_sum"] / c["rated"] if c["rated"] else None
    row["avg_respond"] = (
        timedelta(milliseconds=c["respond_ms"] / c["respond_n"]) if c["respond_n"] else None
    )
    row["avg_finish"] = (
        timedelta(milliseconds=c["finish_ms"] / c["finish_n"]) if c["finish_n"] else None
    )
    return with_rates(row)


def _sum(rows):
    total = defaultdict(int)
    for counts in rows:
        for k, n in counts.items():
            total[k] += n
    return total


def figures_from_rollup(org, start, end, *, grid=None, now=None):
    """What `request_figures(requests_in(org.path, start, end, grid=grid))` returns, read from
    the rollup rows (rollups.py) plus three small live reads: requests not routed yet, those
    whose deadline is still ahead, and those overdue now. Also returns "map_counts"
    ({grid id: {total, open, overdue}}) for the map, so the page scans no request."""
    from xianfeng.grid.models import Grid

    from . import rollups
    from .models import Category

    now = now or timezone.now()
    grid_ids = rollups.grid_ids_under(grid)
    sums = rollups.read(org.path, start, end, grid_ids=grid_ids)
    live = requests_in(org.path, start, end)
    if grid_ids is not None:
        live = live.filter(grid_id__in=grid_ids)
    not_due = {
        (cat, g or 0): n
        for cat, g, n in live.filter(routed_at__isnull=False, finish_due__gt=now)
        .exclude(status=Status.SOLVED)
        .order_by()
        .values_list("category_id", "grid_id")
        .annotate(n=Count("finish_due"))  # a column of the covering index: index-only
    }
    for key, n in not_due.items():
        sums.setdefault(key, dict.fromkeys(rollups.COUNTERS, 0))["not_due"] = n
    rollups.add_into(sums, rollups.unrouted(live, now))
    sums = {key: counts for key, counts in sums.items() if counts["total"]}
    overdue = {
        g or 0: n
        for g, n in live.filter(next_due__lte=now)
        .order_by()
        .values_list("grid_id")
        .annotate(n=Count("next_due"))  # index-only on request_next_due_idx
    }
    everything = _sum(sums.values())
    totals = _from_counts(everything)
    totals["open"] = sum(everything[k] for k in rollups.OPEN_COLUMNS)
    totals["overdue"] = sum(overdue.values())
    labels = dict(Status.choices)
    by_status = sorted(
        ((labels[s], everything[f"s_{s}"]) for s in Status.values if everything[f"s_{s}"]),
        key=lambda pair: -pair[1],
    )
    by_cat, by_grid = defaultdict(list), defaultdict(list)
    for (cat, g), counts in sums.items():
        by_cat[cat].append(counts)
        by_grid[g].append(counts)
    names = dict(Category.objects.filter(pk__in=by_cat).values_list("pk", "name"))
    by_category = sorted(
        (
            {"category__name": names.get(cat), **_from_counts(_sum(rows))}
            for cat, rows in by_cat.items()
        ),
        key=lambda r: -r["total"],
    )
    grid_rows = sorted(
        ((g, _from_counts(_sum(rows))) for g, rows in by_grid.items()), key=lambda p: -p[1]["total"]
    )
    shown = grid_rows[:100]
    grid_names = dict(
        Grid.objects.filter(pk__in=[g for g, _ in shown if g]).values_list("pk", "name")
    )
    by_grid_rows = [{"grid__name": grid_names.get(g), **row} for g, row in shown]
    map_counts = {
        g: {
            "total": sum(c["total"] for c in rows),
            "open": sum(c[k] for c in rows for k in rollups.OPEN_COLUMNS),
            "overdue": overdue.get(g, 0),
        }
        for g, rows in by_grid.items()
        if g
    }
    return {
        "totals": totals,
        "by_status": by_status,
        "by_category": by_category,
        "escalations": rollups.read_escalations(org.path, start, end, grid_ids=grid_ids),
        "by_grid": by_grid_rows,
        "map_counts": map_counts,
    }


def map_from_counts(qs, counts, now=None):
    """The figures map from per-grid counts (figures_from_rollup's "map_counts")."""
    from xianfeng.grid.models import Grid

    now = now or timezone.now()
    grids = Grid.objects.filter(pk__in=list(counts), geometry__isnull=False).only(
        "name", "geometry"
    )
    return {
        "grids": {"type": "FeatureCollection", "features": _features(grids, counts)},
        "points": _open_points(qs, now),
    }
