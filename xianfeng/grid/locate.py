"""A point finds its grid: the smallest grid whose polygon contains it.

One shapely STRtree per process over every grid with a Polygon or MultiPolygon, built on
first use and dropped when a grid is saved or deleted in this process (other processes
rebuild within `REFRESH` seconds), as core/memo.py does for small reference tables. A lookup
asks the tree for the candidates whose bounding box holds the point and keeps the smallest
area among those that really cover it (a building inside its grid inside its community).
"""

from dataclasses import dataclass

import shapely
from shapely.geometry import shape

from xianfeng.core.memo import Memo

REFRESH = 300
AREAL = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class GridIndex:
    tree: shapely.STRtree | None
    shapes: list
    ids: list
    areas: list

    def find(self, lat: float, long: float) -> int | None:
        """The id of the smallest grid covering the point, or None."""
        if self.tree is None:
            return None
        point = shapely.Point(float(long), float(lat))
        best = None
        for i in self.tree.query(point):
            if (best is None or self.areas[i] < self.areas[best]) and self.shapes[i].covers(point):
                best = i
        return None if best is None else self.ids[best]


def build_index(rows) -> GridIndex:
    """`rows`: (id, GeoJSON geometry) pairs; points and broken shapes are left out."""
    shapes, ids = [], []
    for pk, geometry in rows:
        if not geometry or geometry.get("type") not in AREAL:
            continue
        try:
            polygon = shape(geometry)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            continue
        if polygon.is_empty or not polygon.is_valid:
            continue
        shapely.prepare(polygon)
        shapes.append(polygon)
        ids.append(pk)
    tree = shapely.STRtree(shapes) if shapes else None
    return GridIndex(tree, shapes, ids, [s.area for s in shapes])


def _load():
    from .models import Grid

    return build_index(Grid.objects.filter(geometry__isnull=False).values_list("pk", "geometry"))


_INDEX = Memo(_load, seconds=REFRESH)


def connect():
    from .models import Grid

    _INDEX.forget_on(Grid)


def grid_id_at(lat, long) -> int | None:
    return _INDEX.get().find(lat, long)


def grid_at(lat, long):
    """The smallest grid containing (lat, long), or None when the point is in no grid."""
    from .models import Grid

    pk = grid_id_at(lat, long)
    return None if pk is None else Grid.objects.filter(pk=pk).select_related("scope_org").first()
