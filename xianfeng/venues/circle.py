"""15 分钟生活圈: venues within a walk of a point, and the share of a community's households
that have one.

Distance is straight-line (haversine) and the walk is `XIANFENG_CIRCLE_METERS` (1,200 m by
default: about 15 minutes at 80 m a minute less detours). A household's point is its own
(`Household.latitude/longitude`) or, without one, the centroid of its building's outline,
else of the grid above; households with neither are counted as "无位置".
"""

import math

from django.conf import settings
from shapely.geometry import shape

from .models import Venue, VenueStatus

EARTH_M = 6_371_000


def distance_m(lat1, lng1, lat2, lng2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_M * math.asin(math.sqrt(a))


def radius() -> int:
    return settings.XIANFENG_CIRCLE_METERS


def venues_near(lat, lng, venues=None, meters=None):
    """[(venue, metres)] of the venues with a point within `meters`, nearest first."""
    meters = meters or radius()
    venues = Venue.objects.exclude(latitude=None) if venues is None else venues
    found = []
    for venue in venues.exclude(status=VenueStatus.CLOSED).select_related("organization"):
        if venue.latitude is None:
            continue
        d = distance_m(lat, lng, venue.latitude, venue.longitude)
        if d <= meters:
            found.append((venue, round(d)))
    return sorted(found, key=lambda pair: pair[1])


def _centroid(geometry):
    try:
        point = shape(geometry).centroid
    except (ValueError, TypeError, AttributeError, KeyError):
        return None
    return None if point.is_empty else (point.y, point.x)


def _grid_points(grids, by_path):
    """grid id → the centroid of its own outline, else of the nearest grid above with one."""
    from xianfeng.grid.models import Grid

    centroids = {}

    def point_of(grid_id):
        if grid_id not in centroids:
            path = grids[grid_id][0]
            found = None
            while path and found is None:
                if by_path.get(path):
                    found = _centroid(by_path[path])
                path = path[: -Grid.steplen]
            centroids[grid_id] = found
        return centroids[grid_id]

    return point_of


def coverage(communities, venues, meters=None):
    """Per community grid: households, located, covered by an open venue, and the planned
    venues that would cover more. Returns a list of dicts, one per community."""
    from xianfeng.grid.models import Grid, Household

    meters = meters or radius()
    points = [(v.latitude, v.longitude) for v in venues if v.has_point]
    open_points = [
        (v.latitude, v.longitude) for v in venues if v.has_point and v.status == VenueStatus.OPEN
    ]
    rows = []
    for community in communities:
        grids = {
            g.pk: (g.path, g.geometry)
            for g in Grid.objects.filter(path__startswith=community.path).only("path", "geometry")
        }
        by_path = {path: geometry for path, geometry in grids.values()}
        point_of = _grid_points(grids, by_path)

        total = located = covered = reachable = 0
        gaps = []
        for lat, lng, grid_id, address in Household.objects.filter(
            grid_id__in=list(grids)
        ).values_list("latitude", "longitude", "grid_id", "address"):
            total += 1
            point = (lat, lng) if lat is not None and lng is not None else point_of(grid_id)
            if point is None:
                continue
            located += 1
            if any(distance_m(*point, *p) <= meters for p in open_points):
                covered += 1
            else:
                if len(gaps) < 500:
                    gaps.append({"lat": point[0], "lng": point[1], "address": address})
                if any(distance_m(*point, *p) <= meters for p in points):
                    reachable += 1
        rows.append(
            {
                "community": community,
                "households": total,
                "located": located,
                "covered": covered,
                "planned": reachable,
                "share": round(100 * covered / located, 1) if located else None,
                "gaps": gaps,
            }
        )
    return rows
