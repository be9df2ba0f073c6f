"""Figures for a grid, a community or a street over any period.

The base is a set of grids — a grid's subtree, or every grid an organization's subtree
governs (a street) — already cut to the viewer's scope. Every figure is one grouped query
over that set, so the page costs the same handful of queries for 5 grids or 1,153.

Party share of grid staff counts `GridStaff.is_party_member` among staff active on the
period's last day (天桥: 5,207 of 9,097 = 57%).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr, TruncMonth

from xianfeng.core.events import indicator

from .models import (
    ActivityKind,
    CareTag,
    CentralHousehold,
    Grid,
    GridKind,
    GridStaff,
    Household,
    HouseholdTag,
    ServiceActivity,
)


@dataclass
class Figures:
    start: date
    end: date
    grids: int = 0
    grids_by_kind: list = field(default_factory=list)  # [(label, count)]
    activities: int = 0
    residents_served: int = 0
    problems_solved: int = 0
    activities_by_month: list = field(default_factory=list)  # [(YYYY-MM, count)]
    activities_by_kind: list = field(default_factory=list)  # [(label, count)]
    staff: int = 0
    party_staff: int = 0
    staff_by_role: list = field(default_factory=list)  # [(role name, total, party)]
    households: int = 0
    households_by_tag: list = field(default_factory=list)  # [(label, count)]
    central_households: int = 0
    breakdown: list = field(default_factory=list)  # [BreakdownRow]

    @property
    def party_share(self):
        return round(100 * self.party_staff / self.staff) if self.staff else None


@dataclass
class BreakdownRow:
    grid: Grid
    activities: int = 0
    problems_solved: int = 0
    staff: int = 0
    party_staff: int = 0

    @property
    def party_share(self):
        return round(100 * self.party_staff / self.staff) if self.staff else None


def grid_figures(base, start, end, *, breakdown_of=None):
    """Figures over the grids of `base` (a Grid queryset) between `start` and `end` inclusive.

    `breakdown_of`: a list of grids (e.g. the children) to split activities and staff by;
    each row covers that grid's subtree.
    """
    ids = base.values("pk")
    fig = Figures(start, end)
    kinds = dict(base.values_list("kind").annotate(n=Count("pk")).order_by())
    fig.grids = sum(kinds.values())
    fig.grids_by_kind = [(k.label, kinds[k]) for k in GridKind if kinds.get(k)]
    _activities(fig, ServiceActivity.objects.filter(grid__in=ids, held_on__range=(start, end)))
    _staff(fig, _active_staff(ids, end))
    households = Household.objects.filter(grid__in=ids)
    fig.households = households.count()
    tags = dict(
        HouseholdTag.objects.filter(household__in=households.values("pk"))
        .values_list("tag")
        .annotate(n=Count("pk"))
        .order_by()
    )
    fig.households_by_tag = [(t.label, tags.get(t, 0)) for t in CareTag]
    fig.central_households = CentralHousehold.objects.filter(grid__in=ids, is_active=True).count()
    if breakdown_of:
        fig.breakdown = _breakdown(base, breakdown_of, start, end)
    return fig


def _active_staff(ids, on):
    return GridStaff.objects.filter(grid__in=ids, started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on)
    )


def _activities(fig, qs):
    totals = qs.aggregate(
        n=Count("pk"), served=Sum("residents_served"), solved=Sum("problems_solved")
    )
    fig.activities = totals["n"]
    fig.residents_served = totals["served"] or 0
    fig.problems_solved = totals["solved"] or 0
    months = qs.annotate(m=TruncMonth("held_on")).values_list("m").annotate(n=Count("pk"))
    fig.activities_by_month = [(f"{m:%Y-%m}", n) for m, n in months.order_by("m")]
    kinds = dict(qs.values_list("kind").annotate(n=Count("pk")).order_by())
    fig.activities_by_kind = [(k.label, kinds[k]) for k in ActivityKind if kinds.get(k)]


def _staff(fig, qs):
    rows = (
        qs.values_list("role__name", "role__order")
        .annotate(total=Count("pk"), party=Count("pk", filter=Q(is_party_member=True)))
        .order_by("role__order", "role__name")
    )
    by_role = {}
    for name, _order, total, party in rows:
        t, p = by_role.get(name, (0, 0))
        by_role[name] = (t + total, p + party)
    fig.staff_by_role = [(name, t, p) for name, (t, p) in by_role.items()]
    fig.staff = sum(t for _, t, _ in fig.staff_by_role)
    fig.party_staff = sum(p for _, _, p in fig.staff_by_role)


def _breakdown(base, parts, start, end):
    """One row per grid in `parts`, covering its subtree; two grouped queries per path length."""
    rows = {g.path: BreakdownRow(g) for g in parts}
    ids = base.values("pk")
    for length in sorted({len(p) for p in rows}):
        prefix = Substr("grid__path", 1, length)
        acts = (
            ServiceActivity.objects.filter(grid__in=ids, held_on__range=(start, end))
            .annotate(p=prefix)
            .values_list("p")
            .annotate(n=Count("pk"), solved=Sum("problems_solved"))
            .order_by()
        )
        for path, n, solved in acts:
            if path in rows:
                rows[path].activities, rows[path].problems_solved = n, solved or 0
        staff = (
            _active_staff(ids, end)
            .annotate(p=prefix)
            .values_list("p")
            .annotate(n=Count("pk"), party=Count("pk", filter=Q(is_party_member=True)))
            .order_by()
        )
        for path, n, party in staff:
            if path in rows:
                rows[path].staff, rows[path].party_staff = n, party
    return list(rows.values())


def map_features(grids):
    """GeoJSON FeatureCollection of the grids that carry a geometry (for ECharts registerMap)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": g.name, "code": g.code, "id": g.pk},
                "geometry": g.geometry,
            }
            for g in grids
            if g.geometry
        ],
    }


@indicator("grid.activities", "网格便民服务活动次数", unit="次")
def activities_per_org(orgs, year):
    """Service activities held in the year in grids governed inside each organization's subtree."""
    per_path = (
        ServiceActivity.objects.filter(held_on__year=year, grid__scope_org__isnull=False)
        .values_list("grid__scope_org__path")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = list(per_path)
    return {org.pk: sum(n for path, n in counts if path.startswith(org.path)) for org in orgs}
