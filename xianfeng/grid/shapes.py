"""Checks on a grid's outline drawn on the map: a simple polygon, not overlapping the grids
beside it (its siblings), and inside its parent when the parent has an outline."""

import shapely
from shapely.geometry import mapping, shape
from shapely.ops import split
from shapely.validation import explain_validity

from xianfeng.core.errors import DomainError

# About one square metre in degrees²: shared edges drawn by hand may touch, not overlap.
TOLERANCE = 1e-10
AREAL = ("Polygon", "MultiPolygon")


def outline(geometry):
    if not geometry or geometry.get("type") not in AREAL:
        return None
    try:
        return shape(geometry)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        raise DomainError("地理范围的坐标无法组成多边形", field="geometry") from None


def check_shape(geometry, *, parent, siblings):
    """Refuse a self-intersecting outline, one overlapping a sibling, or one outside `parent`."""
    polygon = outline(geometry)
    if polygon is None:
        return
    if not polygon.is_valid:
        reason = explain_validity(polygon)
        if "Self-intersection" in reason or "Ring Self-intersection" in reason:
            raise DomainError("图形的边相互交叉（自相交），请调整顶点后再保存", field="geometry")
        raise DomainError("图形无效（边界不闭合或重叠），请重新绘制", field="geometry")
    if polygon.is_empty or polygon.area <= TOLERANCE:
        raise DomainError("图形面积为零，请至少画出三个不共线的点", field="geometry")
    for sibling in siblings:
        other = outline(sibling.geometry) if sibling.geometry else None
        if other is None or not other.is_valid:
            continue
        if shapely.intersection(polygon, other).area > TOLERANCE:
            raise DomainError(f"与“{sibling.name}”的范围重叠，请调整边界", field="geometry")
    bounds = outline(parent.geometry) if parent is not None and parent.geometry else None
    outside = bounds is not None and bounds.is_valid and shapely.difference(polygon, bounds).area
    if outside and outside > TOLERANCE:
        raise DomainError(f"超出上级“{parent.name}”的范围", field="geometry")


def _cutter(geometry):
    """The drawn line (or polygon) that splits a grid, as a shapely geometry."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in ("LineString", "Polygon"):
        raise DomainError("请在地图上画一条分割线（或一个多边形）再拆分", field="line")
    try:
        cutter = shape(geometry)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        raise DomainError("分割线的坐标无法读取，请重新绘制", field="line") from None
    if cutter.is_empty:
        raise DomainError("分割线至少需要两个点", field="line")
    if kind == "LineString" and not cutter.is_simple:
        raise DomainError("分割线与自身交叉（自相交），请重新绘制", field="line")
    if kind == "Polygon" and not cutter.is_valid:
        raise DomainError("用于拆分的多边形自相交，请重新绘制", field="line")
    return cutter


def split_outline(geometry, cutter_geometry):
    """(kept, split off) GeoJSON outlines of a grid cut by a line or a polygon.

    A line must cross the outline from side to side and leave exactly two parts; the larger
    part stays with the grid. A polygon takes the part of the outline it covers.
    """
    polygon = outline(geometry)
    if polygon is None or not polygon.is_valid:
        raise DomainError("该网格还没有画出有效的范围，不能在地图上拆分", field="line")
    cutter = _cutter(cutter_geometry)
    if cutter.geom_type == "Polygon":
        new = shapely.intersection(polygon, cutter)
        kept = shapely.difference(polygon, cutter)
        parts = [p for p in (kept, new) if not p.is_empty and p.area > TOLERANCE]
        if len(parts) != 2 or new.geom_type not in AREAL or kept.geom_type not in AREAL:
            raise DomainError("所画多边形须覆盖网格的一部分（不能是全部或不相交）", field="line")
        return mapping(kept), mapping(new)
    pieces = [p for p in split(polygon, cutter).geoms if p.area > TOLERANCE]
    if len(pieces) < 2:
        raise DomainError("分割线须从网格的一侧边界穿过到另一侧边界", field="line")
    if len(pieces) > 2:
        raise DomainError(
            f"分割线把网格分成了{len(pieces)}块，只能分成两块，请重新绘制", field="line"
        )
    kept, new = sorted(pieces, key=lambda p: -p.area)
    return mapping(kept), mapping(new)
