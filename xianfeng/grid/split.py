"""Split a grid on the map: a line (or polygon) drawn across its outline makes two grids.

The grid keeps the larger part (or, cut by a polygon, what lies outside it); a new sibling
of the same kind takes the other. Buildings and zones below it, and households with a
point, go with the part that holds them; a child whose outline crosses the line refuses
the split (it would leave its parent). Households without a point follow their building,
or stay with the grid they were in. One transaction, one audit row.
"""

from dataclasses import dataclass

import shapely
from django.db import IntegrityError, transaction

from xianfeng.core import audit
from xianfeng.core.errors import DomainError

from .models import Grid, Household
from .services import CODE_RE, _locked, refresh_scope_orgs
from .shapes import TOLERANCE, outline, split_outline


@dataclass
class SplitResult:
    kept: Grid
    new: Grid
    children_moved: list
    households_moved: int
    households_without_point: int


def _side(child_shape, new_part, kept_part, name):
    """True when the child goes to the new part; refuses a child across the line."""
    if shapely.difference(child_shape, new_part).area <= TOLERANCE and child_shape.area:
        return True
    if shapely.difference(child_shape, kept_part).area <= TOLERANCE and child_shape.area:
        return False
    if child_shape.area == 0:  # a point
        return new_part.covers(child_shape)
    raise DomainError(f"“{name}”的范围跨越分割线，请先调整它的范围或换一条分割线", field="line")


def split_grid(grid, *, actor, line, code, name) -> SplitResult:
    """Split `grid` along `line` (GeoJSON LineString or Polygon) into itself and a new grid."""
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise DomainError("请填写新网格的编码和名称", field="code")
    if not CODE_RE.match(code):
        raise DomainError("编码只能包含字母、数字、下划线和连字符", field="code")
    with transaction.atomic():
        grid = _locked(grid)
        kept_geo, new_geo = split_outline(grid.geometry, line)
        kept_part, new_part = outline(kept_geo), outline(new_geo)
        if Grid.objects.filter(code=code).exists():
            raise DomainError(f"网格编码 {code} 已被使用", field="code")
        to_move = []
        for child in Grid.objects.get_children(grid).filter(geometry__isnull=False):
            child_shape = outline(child.geometry) or _point(child.geometry)
            if child_shape is not None and _side(child_shape, new_part, kept_part, child.name):
                to_move.append(child)
        parent = Grid.objects.get_parent(grid)
        fields = {"code": code, "name": name, "kind": grid.kind, "address": grid.address}
        fields["geometry"] = new_geo
        try:
            with transaction.atomic():
                new = (
                    Grid.objects.add_child(parent, fields)
                    if parent
                    else Grid.objects.add_root(fields)
                )
        except IntegrityError as exc:
            raise DomainError(f"网格编码 {code} 已被使用", field="code") from exc
        grid.geometry = kept_geo
        grid.save(update_fields=["geometry"])
        for child in to_move:
            Grid.objects.move(
                Grid.objects.get(pk=child.pk), Grid.objects.get(pk=new.pk), "last-child"
            )
        new.refresh_from_db()
        refresh_scope_orgs(new)
        moved, without = _move_households(grid, new, new_part)
        audit.record(
            "grid.split",
            grid,
            actor=actor,
            new_grid=new.pk,
            code=code,
            children=[c.pk for c in to_move],
            households=moved,
        )
    grid.refresh_from_db()
    new.refresh_from_db()
    return SplitResult(grid, new, to_move, moved, without)


def _point(geometry):
    if geometry and geometry.get("type") == "Point":
        try:
            return shapely.Point(*geometry["coordinates"][:2])
        except (TypeError, ValueError, IndexError):
            return None
    return None


def _move_households(grid, new, new_part):
    """Households of the split grid itself with a point inside the new part move to it."""
    ids, without = [], 0
    rows = Household.objects.filter(grid=grid).values_list("pk", "latitude", "longitude")
    for pk, lat, long in rows:
        if lat is None or long is None:
            without += 1
        elif new_part.covers(shapely.Point(long, lat)):
            ids.append(pk)
    Household.objects.filter(pk__in=ids).update(grid=new)  # the new grid has none yet
    return len(ids), without
