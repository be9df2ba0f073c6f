"""Checks on a grid's outline drawn on the map: a simple polygon, not overlapping the grids
beside it (its siblings), and inside its parent when the parent has an outline."""

import shapely
from shapely.geometry import shape
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
