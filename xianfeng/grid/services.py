"""Grid use cases: the tree, its links to party organizations, and the escalation chain.

Writes lock what two people could change at once, write an audit row in the same
transaction and refuse with a Chinese DomainError. Staff, households, visits and
activities live in services_people.py.
"""

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.core.memo import KeyedMemo
from xianfeng.orgs.models import Organization, OrgKind

from .models import CentralHousehold, Grid, GridKind, ZoneResponsibility
from .shapes import check_shape

# Which grid kinds may sit directly under which; None is the top of the grid tree.
ALLOWED_PARENTS = {
    GridKind.COMMUNITY: {None},
    GridKind.VILLAGE: {None},
    GridKind.GRID: {GridKind.COMMUNITY, GridKind.VILLAGE},
    GridKind.BUILDING: {GridKind.GRID, GridKind.COMMUNITY, GridKind.VILLAGE},
    GridKind.ZONE: {GridKind.GRID, GridKind.COMMUNITY, GridKind.VILLAGE},
    GridKind.HOUSEHOLD: {GridKind.BUILDING, GridKind.ZONE},
}
NESTING_HINT = {
    GridKind.COMMUNITY: "社区只能作为网格树的最上级",
    GridKind.VILLAGE: "村只能作为网格树的最上级",
    GridKind.GRID: "网格只能设在社区或村之下",
    GridKind.BUILDING: "楼栋只能设在网格、社区或村之下",
    GridKind.ZONE: "片区只能设在网格、社区或村之下",
    GridKind.HOUSEHOLD: "户只能设在楼栋或片区之下",
}
EDITABLE_FIELDS = ("code", "name", "kind", "organization", "address", "geometry")
GEOMETRY_TYPES = {"Point", "Polygon", "MultiPolygon"}
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def _today():
    return timezone.localdate()


def _check_nesting(kind, parent_kind):
    if kind not in ALLOWED_PARENTS:
        raise DomainError("请选择网格类别", field="kind")
    if parent_kind not in ALLOWED_PARENTS[kind]:
        raise DomainError(NESTING_HINT[kind], field="kind")


def check_geometry(geometry):
    """Accept a GeoJSON Point, Polygon or MultiPolygon geometry (or nothing)."""
    if geometry in (None, ""):
        return None
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        raise DomainError(
            "地理范围须为 GeoJSON 的 Point、Polygon 或 MultiPolygon", field="geometry"
        )
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise DomainError("地理范围缺少坐标（coordinates）", field="geometry")
    if not _numbers_in_range(coordinates):
        raise DomainError("坐标须为经度、纬度数值（经度 -180~180，纬度 -90~90）", field="geometry")
    return geometry


def _numbers_in_range(coords):
    if coords and all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords):
        return len(coords) >= 2 and -180 <= coords[0] <= 180 and -90 <= coords[1] <= 90
    return bool(coords) and all(isinstance(c, list) and _numbers_in_range(c) for c in coords)


def _clean(fields):
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"不能设置字段：{', '.join(sorted(unknown))}")
    if "geometry" in fields:
        fields["geometry"] = check_geometry(fields["geometry"])
    if fields.get("code") and not CODE_RE.match(fields["code"]):
        raise DomainError("编码只能包含字母、数字、下划线和连字符", field="code")
    return fields


def refresh_scope_orgs(grid):
    """Recompute `scope_org` for `grid` and its subtree (own link, else nearest ancestor's)."""
    parent = Grid.objects.get_parent(grid)
    inherited = {parent.path: parent.scope_org_id} if parent else {}
    rows = list(
        Grid.objects.subtree_of(grid).only("path", "depth", "organization_id", "scope_org_id")
    )
    changed = []
    for row in rows:
        upper = inherited.get(row.path[: -Grid.steplen])
        scope = row.organization_id or upper
        inherited[row.path] = scope
        if row.scope_org_id != scope:
            row.scope_org_id = scope
            changed.append(row)
    Grid.objects.bulk_update(changed, ["scope_org"], batch_size=500)
    return len(changed)


def _neighbours(parent_path, depth):
    """The grids drawn beside one at `depth` under `parent_path` (roots: empty path)."""
    return Grid.objects.filter(path__startswith=parent_path, depth=depth, geometry__isnull=False)


def _locked(grid):
    return Grid.objects.select_for_update().get(pk=grid.pk)


def create_grid(parent, *, actor, **fields):
    """Add a grid unit under `parent` (None: a new community or village)."""
    fields = _clean(fields)
    if not fields.get("code") or not fields.get("name"):
        raise DomainError("网格编码和名称必须填写")
    _check_nesting(fields.get("kind"), parent.kind if parent else None)
    with transaction.atomic():
        if parent is not None:
            parent = _locked(parent)
        if fields.get("geometry"):
            siblings = _neighbours(parent.path, parent.depth + 1) if parent else _neighbours("", 1)
            check_shape(fields["geometry"], parent=parent, siblings=siblings)
        if Grid.objects.filter(code=fields["code"]).exists():
            raise DomainError(f"网格编码 {fields['code']} 已被使用", field="code")
        try:
            with transaction.atomic():
                grid = (
                    Grid.objects.add_child(parent, fields)
                    if parent
                    else Grid.objects.add_root(fields)
                )
        except IntegrityError as exc:
            raise DomainError(f"网格编码 {fields['code']} 已被使用", field="code") from exc
        refresh_scope_orgs(grid)
        audit.record("grid.create", grid, actor=actor, parent=parent and parent.pk, **fields)
    grid.refresh_from_db()
    return grid


def update_grid(grid, *, actor, **fields):
    """Change a grid's own fields; a new organization link re-scopes the subtree."""
    fields = _clean(fields)
    with transaction.atomic():
        grid = _locked(grid)
        changed = {k: (getattr(grid, k), v) for k, v in fields.items() if getattr(grid, k) != v}
        if not changed:
            return grid
        if "kind" in changed:
            parent = Grid.objects.get_parent(grid)
            _check_nesting(fields["kind"], parent.kind if parent else None)
            _check_children_fit(grid, fields["kind"])
        if "code" in changed and Grid.objects.filter(code=fields["code"]).exists():
            raise DomainError(f"网格编码 {fields['code']} 已被使用", field="code")
        if "geometry" in changed:
            check_shape(
                fields["geometry"],
                parent=Grid.objects.get_parent(grid),
                siblings=_neighbours(grid.path[: -Grid.steplen], grid.depth).exclude(pk=grid.pk),
            )
        for key, value in fields.items():
            setattr(grid, key, value)
        grid.save()
        if "organization" in changed:
            refresh_scope_orgs(grid)
        audit.record("grid.update", grid, actor=actor, changed=changed)
    grid.refresh_from_db()
    return grid


def _check_children_fit(grid, kind):
    for child_kind in set(Grid.objects.get_children(grid).values_list("kind", flat=True)):
        if kind not in ALLOWED_PARENTS[child_kind]:
            raise DomainError(
                f"该单元下设有{GridKind(child_kind).label}，不能改为{GridKind(kind).label}"
            )


# --- The escalation chain -------------------------------------------------------------


@dataclass(frozen=True)
class ChainStep:
    """One rung of the escalation chain.

    level: "central_household" | "zone_responsibility" (a member), a GridKind value
    ("building", "zone", "grid", "community", "village": the organization linked on that
    grid) or "street" (the committee above the top linked organization).
    """

    level: str
    label: str
    grid: Grid | None = None
    organization: Organization | None = None
    member: object | None = None

    @property
    def name(self):
        return str(self.member or self.organization)


BOARD_FIELDS = ("code", "name", "kind", "address", "scope_org_id")


def _board_grid(code):
    return Grid.objects.only(*BOARD_FIELDS).filter(code=code).first()


_boards = KeyedMemo(_board_grid, seconds=60).forget_on(Grid)


def board_grid(code):
    """The grid a service board's QR code names, with the fields the public page uses; held a
    minute per process (core/memo.py) because every resident's post reads it."""
    return _boards.get(code)


def responsible_chain(grid, *, on=None):
    """Who answers for a zone, nearest first, for routing and escalating a request.

    1. The member in charge: an active 党员中心户 of the zone, else an active 划片负责
       member, else the same on the nearest ancestor grid that has one.
    2. The organizations linked on the way up, each once, nearest first — typically
       楼栋党小组 → 网格党支部 → 社区党总支 (label = grid kind + organization kind).
    3. The street: the nearest 党委 above the topmost linked organization
       (街道党工委 above a community's 党总支).
    Four queries whatever the depth. Empty steps are skipped, never invented.
    """
    on = on or _today()
    chain_grids = list(
        Grid.objects.filter(path__in=_ancestor_paths(grid.path))
        .select_related("organization")
        .order_by("-depth")
    )
    steps = []
    person = _person_in_charge(chain_grids, on)
    if person:
        steps.append(person)
    seen = set()
    for node in chain_grids:
        org = node.organization
        if org is not None and org.pk not in seen:
            seen.add(org.pk)
            label = f"{GridKind(node.kind).label}{OrgKind(org.kind).label}"
            steps.append(ChainStep(node.kind, label, grid=node, organization=org))
    top = next((s.organization for s in reversed(steps) if s.organization), None)
    street = _committee_above(top)
    if street:
        steps.append(ChainStep("street", "街道党工委", organization=street))
    return steps


def _ancestor_paths(path):
    return [path[:i] for i in range(Grid.steplen, len(path) + 1, Grid.steplen)]


def _person_in_charge(chain_grids, on):
    ids = [g.pk for g in chain_grids]
    centrals = {}
    for row in CentralHousehold.objects.filter(grid_id__in=ids, is_active=True).select_related(
        "member"
    ):
        centrals.setdefault(row.grid_id, row)
    zones = {}
    active = Q(ended_on__isnull=True) | Q(ended_on__gte=on)
    duties = ZoneResponsibility.objects.filter(active, grid_id__in=ids, started_on__lte=on)
    for row in duties.select_related("member"):
        zones.setdefault(row.grid_id, row)
    for node in chain_grids:
        if node.pk in centrals:
            return ChainStep(
                "central_household", "党员中心户", grid=node, member=centrals[node.pk].member
            )
        if node.pk in zones:
            return ChainStep(
                "zone_responsibility", "划片负责人", grid=node, member=zones[node.pk].member
            )
    return None


def _committee_above(org):
    if org is None:
        return None
    ancestors = (
        Organization.objects.get_ancestors(org).filter(kind=OrgKind.COMMITTEE).order_by("-depth")
    )
    return ancestors.first()
