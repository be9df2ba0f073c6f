"""Panels of resident requests: today / open / overdue with the 三率, the live feed, and the
grid map coloured by open and overdue requests.

Today and this year come from the request rollup (resident_requests.rollups: day and month
rows per organization × category × grid) in one statement; open and overdue from the "now"
rollup (one row per organization × grid × deadline day, rollups.read_now), whose only live
part is today's deadlines already passed (request_next_due_idx). The feed reads the newest
requests through the (organization, created_at) index, bounded to the last days. Requests
from the public page not routed yet (seconds, until the worker routes them) are not counted.
"""

import math
from collections import defaultdict
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.core.choices import choice_labels
from xianfeng.grid.models import Grid
from xianfeng.resident_requests import rollups
from xianfeng.resident_requests.models import ResidentRequest, Status

from . import screen_panel

FEED_SIZE = 8
FEED_DAYS = 3


def mask_name(name):
    """王** : the family name only, like every name on the screen."""
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else "—"


YEAR_COLUMNS = ("total", "solved", "responded", "satisfied", "rated")


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


@screen_panel(
    "requests",
    title=_("居民诉求"),
    template="screen/panels/requests.html",
    link=lambda org: reverse("requests:figures") + f"?org={org.pk}",
    refresh=30,
)
def requests_panel(org, at):
    """Today and this year's 三率 (1 statement), open and overdue now (1 statement)."""
    sums = rollups.read_sums(
        org.path,
        {"today": (at.today, at.today), "year": (at.today.replace(month=1, day=1), at.today)},
        YEAR_COLUMNS,
    )
    today, year = sums["today"], sums["year"]
    now = rollups.read_now(org.path, at.now).values()
    total = year["total"]
    return {
        "today": today["total"],
        "today_solved": today["solved"],
        "open": sum(o for o, _d in now),
        "overdue": sum(d for _o, d in now),
        "year_total": total,
        "rates": [
            (_("响应率"), _rate(year["responded"], total)),
            (_("解决率"), _rate(year["solved"], total)),
            (_("满意率"), _rate(year["satisfied"], year["rated"])),
        ],
    }


@screen_panel(
    "feed",
    title=_("最新诉求"),
    template="screen/panels/feed.html",
    link=lambda org: reverse("requests:list"),
    refresh=15,
)
def feed_panel(org, at):
    """The newest requests of the last days (1 query), names masked, no phone or address."""
    labels = choice_labels(ResidentRequest, "status")
    rows = (
        ResidentRequest.objects.filter(
            organization__path__startswith=org.path,
            created_at__gte=at.now - timedelta(days=FEED_DAYS),
        )
        .order_by("-created_at", "-pk")
        .values_list(
            "created_at", "resident_name", "category__name", "grid__name", "status", "next_due"
        )[:FEED_SIZE]
    )
    return {
        "rows": [
            {
                "at": timezone.localtime(created),
                "name": mask_name(name),
                "category": category or "—",
                "grid": grid or "",
                "status": labels.get(status, status),
                "solved": status == Status.SOLVED,
                "overdue": bool(due and due <= at.now),
            }
            for created, name, category, grid, status, due in rows
        ]
    }


# ---------------------------------------------------------------- the map

VIEW_W, VIEW_H = 1000, 640


def _rings(geometry):
    if not geometry:
        return []
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        return [coords]
    if kind == "MultiPolygon":
        return list(coords)
    return []


def _project(grids):
    """SVG path data per grid id in a VIEW_W × VIEW_H box (equirectangular, north up)."""
    points = [
        (x, y)
        for g in grids
        for polygon in _rings(g["geometry"])
        for ring in polygon
        for x, y, *_ in ring
    ]
    if not points:
        return {}
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    lat = math.radians((min(ys) + max(ys)) / 2)
    kx = math.cos(lat)
    width = (max(xs) - min(xs)) * kx or 1e-9
    height = (max(ys) - min(ys)) or 1e-9
    scale = min((VIEW_W - 20) / width, (VIEW_H - 20) / height)
    ox = (VIEW_W - width * scale) / 2
    oy = (VIEW_H - height * scale) / 2
    x0, y1 = min(xs), max(ys)
    paths = {}
    for g in grids:
        d = []
        for polygon in _rings(g["geometry"]):
            for ring in polygon:
                pts = [
                    f"{ox + (x - x0) * kx * scale:.1f},{oy + (y1 - y) * scale:.1f}"
                    for x, y, *_ in ring
                ]
                if len(pts) >= 3:
                    d.append("M" + " L".join(pts) + " Z")
        if d:
            paths[g["pk"]] = " ".join(d)
    return paths


def _colour(open_n, overdue_n):
    if overdue_n:
        return "overdue"
    if open_n:
        return "open"
    return "calm"


@screen_panel(
    "map",
    title=_("网格地图"),
    template="screen/panels/map.html",
    link=lambda org: reverse("grid:home"),
    refresh=60,
)
def map_panel(org, at):
    """The subtree's grid outlines drawn as SVG (no tiles: the screen works offline), each
    coloured by its open and overdue requests and those of the grids inside it: 1 query
    for the grids, 1 read of the "now" rollup per grid."""
    grids = list(
        Grid.objects.filter(scope_org__path__startswith=org.path)
        .order_by("depth", "path")
        .values("pk", "path", "name", "geometry")
    )
    now = {grid: n for grid, n in rollups.read_now(org.path, at.now).items() if grid}
    opened = {grid: o for grid, (o, _d) in now.items()}
    overdue = {grid: d for grid, (_o, d) in now.items()}
    path_of = {g["pk"]: g["path"] for g in grids}
    drawn = {g["path"]: g for g in grids if _rings(g["geometry"])}
    sums = defaultdict(lambda: [0, 0])
    for counts, slot in ((opened, 0), (overdue, 1)):
        for grid_id, n in counts.items():
            path = path_of.get(grid_id)
            while path:
                if path in drawn:
                    sums[path][slot] += n
                path = path[: -Grid.steplen]
    paths = _project(list(drawn.values()))
    shapes = []
    for path, g in drawn.items():
        open_n, overdue_n = sums[path]
        if g["pk"] in paths:
            shapes.append(
                {
                    "d": paths[g["pk"]],
                    "name": g["name"],
                    "open": open_n,
                    "overdue": overdue_n,
                    "tone": _colour(open_n, overdue_n),
                }
            )
    return {
        "shapes": shapes,
        "view": f"0 0 {VIEW_W} {VIEW_H}",
        "grids": len(grids),
        "open_grids": sum(1 for s in shapes if s["tone"] == "open"),
        "overdue_grids": sum(1 for s in shapes if s["tone"] == "overdue"),
        "hot": sorted(
            (s for s in shapes if s["open"] or s["overdue"]),
            key=lambda s: (-s["overdue"], -s["open"], s["name"]),
        )[:5],
    }
