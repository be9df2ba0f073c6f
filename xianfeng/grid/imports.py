"""住户 from xlsx: the excel app's reader and job flow (preview, confirm, all or nothing), with
the grid's own checks — registered in GridConfig.ready() through excel.services.register_importer.

A row names its grid by code (a grid, building or zone the importer may change) and,
optionally, a building or zone under it by name; without one, an address starting with
"N号楼" finds the building of that name, and a point (纬度/经度) finds the smallest drawn
grid under it that holds it. Addresses are compared after `normalize_address`, so
"3# 101室" and "3号楼101" are one door. Modes: create (an existing door is an error), update
(an unknown one is an error) or both; the whole file is written in one transaction.
"""

import re
from dataclasses import dataclass

import shapely
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q

from xianfeng.accounts.roles import Perm
from xianfeng.core import audit, sheets
from xianfeng.excel.columns import YES, Column, SheetSpec
from xianfeng.excel.exporters import audit_export, export_reason
from xianfeng.excel.importers import Outcome, _read, chunked
from xianfeng.excel.member_updates import Plan
from xianfeng.excel.models import ImportMode
from xianfeng.excel.reader import clean
from xianfeng.excel.workbook import write_book
from xianfeng.members.masking import mask_phone

from .locate import grid_id_at
from .models import ZONE_KINDS, CareTag, Grid, GridKind, Household, HouseholdTag
from .scoping import scope_grids
from .shapes import outline

BATCH = 2000
TAG_BY_LABEL = {str(label): value for value, label in CareTag.choices}
HOUSEHOLD_KINDS = (*ZONE_KINDS, GridKind.GRID)
BUILDING_KINDS = (GridKind.BUILDING, GridKind.ZONE)
COMPARED = ("head_name", "phone", "size", "is_party_household", "note", "latitude", "longitude")

HOUSEHOLD_SPEC = SheetSpec(
    kind="households",
    sheet="住户",
    title="住户导入模板",
    columns=(
        Column(
            "grid_code",
            "网格编码",
            required=True,
            max_length=40,
            compact=True,
            note="住户所在网格、楼栋或片区的编码，须在您有权编辑的范围内",
        ),
        Column(
            "building",
            "楼栋/片区",
            max_length=120,
            note="该网格下楼栋或片区的名称；空白时按门牌“N号楼”或坐标自动匹配",
            width=12,
        ),
        Column("address", "门牌地址", required=True, max_length=200, width=24),
        Column("head_name", "户主/联系人", required=True, max_length=50, width=10),
        Column("phone", "联系电话", max_length=20, compact=True),
        Column("size", "人口数", kind="int", low=1, high=99, default=1, width=8),
        Column("is_party_household", "共产党员户", kind="bool", default=False, width=11),
        Column(
            "tags",
            "关爱标签",
            note="可填：" + "、".join(TAG_BY_LABEL) + "；多个用逗号分隔",
            width=20,
        ),
        Column("latitude", "纬度", kind="number", low=-90, high=90, width=11),
        Column("longitude", "经度", kind="number", low=-180, high=180, width=11),
        Column("note", "备注", max_length=200, width=20),
    ),
    example={
        "grid_code": "RX-01",
        "building": "1号楼",
        "address": "1号楼1单元101",
        "head_name": "王秀英",
        "phone": "13912345678",
        "size": 3,
        "is_party_household": YES,
        "tags": "高龄老人,独居",
        "latitude": 36.651,
        "longitude": 117.111,
        "note": "",
    },
)

_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"[‐‑‒–—―−﹣－~～]")
_BUILDING = re.compile(r"(\d+)\s*(?:#|＃|栋|幢|号栋|号幢)(?!楼)")
_ROOM = re.compile(r"(\d+)室$")
_PHONE = re.compile(r"^\+?[0-9-]{5,20}$")


def normalize_address(text: str) -> str:
    """One spelling per door: NFKC, no spaces, one kind of dash, 3#/3栋/3幢 → 3号楼, no 室."""
    text = _SPACES.sub("", clean(text or ""))
    text = _DASHES.sub("-", text)
    text = _BUILDING.sub(r"\1号楼", text)
    return _ROOM.sub(r"\1", text)


def _split_tags(text):
    for sep in "，、;；":
        text = text.replace(sep, ",")
    return [t.strip() for t in text.split(",") if t.strip()]


@dataclass
class HouseholdChange:
    row: int
    pk: int
    name: str
    fields: dict
    tags: list | None = None
    version: int = 0

    def headers(self):
        names = [HOUSEHOLD_SPEC.column(k).header for k in self.fields]
        if self.tags is not None:
            names.append(HOUSEHOLD_SPEC.column("tags").header)
        return names


def import_households(
    path, *, actor, job=None, progress=None, mode=ImportMode.CREATE, commit=True, versions=None
):
    """Check a 住户 file and, with `commit`, write it all or nothing (excel job protocol)."""
    sheet, rejected = _read(path, HOUSEHOLD_SPEC, progress, job.total_rows if job else 0)
    if rejected:
        return rejected
    _check_cells(sheet)
    targets = _targets(sheet, actor)
    plan = _plan(sheet, targets, mode)
    outcome = Outcome.of(sheet)
    outcome.plan = plan
    if not outcome.ok or not commit:
        return outcome
    with transaction.atomic():
        outcome.created = _create(sheet, plan, targets)
        outcome.updated = _update(plan)
        outcome.orgs = sorted({t for t in targets.values() if t})
        target = job if job is not None else actor
        if target is not None:
            audit.record(
                "grid.import_households",
                target,
                actor=actor,
                mode=mode,
                created=outcome.created,
                updated=outcome.updated,
                unchanged=plan.unchanged,
            )
    return outcome


def _check_cells(sheet):
    for row_no, data in sheet.rows:
        if data["address"]:
            data["address"] = normalize_address(data["address"])
        phone = data["phone"]
        if phone and "*" in phone:
            sheet.add_error(row_no, "phone", phone, "号码含“*”（脱敏导出的号码不能导入）")
        elif phone and not _PHONE.match(phone):
            sheet.add_error(row_no, "phone", phone, "电话号码只能包含数字和“-”")
        if (data["latitude"] is None) != (data["longitude"] is None):
            key = "longitude" if data["longitude"] is None else "latitude"
            sheet.add_error(row_no, key, "", "纬度和经度须同时填写或同时空白")
        names = _split_tags(data["tags"] or "")
        unknown = [n for n in names if n not in TAG_BY_LABEL]
        if unknown:
            sheet.add_error(row_no, "tags", data["tags"], f"未知标签：{'、'.join(unknown)}")
        data["tags"] = sorted({TAG_BY_LABEL[n] for n in names if n in TAG_BY_LABEL})


def _targets(sheet, actor):
    """{row number: grid id the household goes to}; errors for unknown, forbidden, no match."""
    codes = {data["grid_code"] for _r, data in sheet.rows if data["grid_code"]}
    grids = {}
    for chunk in chunked(sorted(codes), 5000):
        grids.update({g.code: g for g in Grid.objects.filter(code__in=chunk)})
    allowed = set()
    if grids:
        visible = Grid.objects.filter(pk__in=[g.pk for g in grids.values()])
        if actor is not None:
            visible = scope_grids(actor, Perm.GRID_CHANGE, qs=visible)
        allowed = set(visible.values_list("pk", flat=True))
    children = {}
    for chunk in chunked(sorted(grids.values(), key=lambda g: g.path), 500):
        under = Q()
        for g in chunk:
            under |= Q(path__startswith=g.path, depth=g.depth + 1)
        for child in Grid.objects.filter(under, kind__in=BUILDING_KINDS).only(
            "pk", "name", "path", "depth"
        ):
            children.setdefault(child.path[: -Grid.steplen], {})[normalize_address(child.name)] = (
                child
            )
    targets = {}
    for row_no, data in sheet.rows:
        grid = grids.get(data["grid_code"])
        if data["grid_code"] and grid is None:
            sheet.add_error(row_no, "grid_code", data["grid_code"], "网格编码不存在")
            continue
        if grid is None:
            continue
        if grid.pk not in allowed:
            sheet.add_error(row_no, "grid_code", data["grid_code"], "无权导入到该网格")
            continue
        if grid.kind not in HOUSEHOLD_KINDS:
            sheet.add_error(
                row_no, "grid_code", data["grid_code"], "住户只能登记在网格、楼栋、片区或户上"
            )
            continue
        targets[row_no] = _match(sheet, row_no, data, grid, children.get(grid.path, {}))
    return targets


def _match(sheet, row_no, data, grid, children):
    """The grid a row's household goes to: a named building, the N号楼 of its address, the
    drawn grid holding its point, else the grid itself."""
    if data["building"]:
        child = children.get(normalize_address(data["building"]))
        if child is None:
            sheet.add_error(
                row_no,
                "building",
                data["building"],
                f"“{grid.name}”下没有名为“{data['building']}”的楼栋或片区",
            )
            return None
        return child.pk
    if data["latitude"] is not None and data["longitude"] is not None:
        area = outline(grid.geometry)
        point = shapely.Point(data["longitude"], data["latitude"])
        if area is not None and area.is_valid and not area.covers(point):
            sheet.add_error(row_no, "latitude", data["latitude"], f"坐标不在“{grid.name}”的范围内")
            return None
        found = grid_id_at(data["latitude"], data["longitude"])
        child = next((c for c in children.values() if c.pk == found), None)
        if child is not None:
            return child.pk
    address = data["address"] or ""
    for name, child in children.items():
        if name and address.startswith(name):
            return child.pk
    return grid.pk


def _plan(sheet, targets, mode):
    keys = {}
    for row_no, data in sheet.rows:
        if targets.get(row_no) and data["address"]:
            key = (targets[row_no], data["address"])
            if key in keys:
                other = keys[key]
                sheet.add_error(row_no, "address", data["address"], f"门牌与第{other}行重复")
                sheet.add_error(other, "address", data["address"], f"门牌与第{row_no}行重复")
            else:
                keys[key] = row_no
    existing = {}
    grid_ids = {g for g, _a in keys}
    for grid_ids_chunk in chunked(sorted(grid_ids), 5000):
        for household in Household.objects.filter(grid_id__in=grid_ids_chunk).prefetch_related(
            "tags"
        ):
            existing[(household.grid_id, normalize_address(household.address))] = household
    plan = Plan()
    by_row = dict(sheet.rows)
    for key, row_no in keys.items():
        data, household = by_row[row_no], existing.get(key)
        if household is None:
            if mode == ImportMode.UPDATE:
                sheet.add_error(
                    row_no,
                    "address",
                    data["address"],
                    "系统中没有该住户；如要新增，请选择“新增”或“新增并更新”",
                )
            plan.new.add(row_no)
            continue
        if mode == ImportMode.CREATE:
            sheet.add_error(
                row_no,
                "address",
                data["address"],
                "该门牌已登记；如要更新已有住户，请选择“只更新”或“新增并更新”",
            )
            continue
        fields = {k: _value(k, data) for k in COMPARED if getattr(household, k) != _value(k, data)}
        tags = sorted(t.tag for t in household.tags.all())
        new_tags = data["tags"] if tags != data["tags"] else None
        if fields or new_tags is not None:
            plan.changes.append(
                HouseholdChange(row_no, household.pk, data["address"], fields, new_tags)
            )
        else:
            plan.unchanged += 1
    return plan


def _value(key, data):
    value = data[key]
    if key in ("phone", "note"):
        return value or ""
    return value


def _create(sheet, plan, targets):
    rows = [(row_no, data) for row_no, data in sheet.rows if row_no in plan.new]
    for batch in chunked(rows, BATCH):
        households = [
            Household(
                grid_id=targets[row_no],
                address=data["address"],
                **{k: _value(k, data) for k in COMPARED},
            )
            for row_no, data in batch
        ]
        Household.objects.bulk_create(households, batch_size=BATCH)
        HouseholdTag.objects.bulk_create(
            [
                HouseholdTag(household_id=h.pk, tag=tag)
                for h, (_row, data) in zip(households, batch, strict=True)
                for tag in data["tags"]
            ],
            batch_size=BATCH,
        )
    return len(rows)


def _update(plan):
    for change in plan.changes:
        if change.fields:
            Household.objects.filter(pk=change.pk).update(**change.fields)
        if change.tags is not None:
            HouseholdTag.objects.filter(household_id=change.pk).delete()
            HouseholdTag.objects.bulk_create(
                [HouseholdTag(household_id=change.pk, tag=t) for t in change.tags]
            )
    return len(plan.changes)


def export_households(grids, *, actor, masked=True, reason="", filters=None):
    """The households of `grids` (a scoped queryset) in the template's format, re-importable
    in update mode, read in chunks (one query and one for the tags per chunk).

    Phones are masked (3+4) unless `masked=False`, the unmasked export: it needs a `reason`
    and shows full phones only in the grids where `actor` holds grid.contact (decided in the
    same query). One audit row in the members' export's shape (`audit_export`)."""
    reason = export_reason(masked, reason, actor)
    households = (
        Household.objects.filter(grid__in=grids)
        .select_related("grid")
        .only(*HOUSEHOLD_COLUMNS)
        .prefetch_related(Prefetch("tags", queryset=HouseholdTag.objects.only("household", "tag")))
        .order_by("grid__path", "address", "pk")
    )
    if not masked:
        contact = scope_grids(actor, Perm.GRID_CONTACT).filter(pk=OuterRef("grid_id"))
        households = households.annotate(may_contact=Exists(contact))
    labels = dict(CareTag.choices)
    stats = {"masked_rows": 0}

    def rows():
        for h in households.iterator(chunk_size=sheets.chunk_size()):
            shown = not masked and h.may_contact
            stats["masked_rows"] += not shown
            yield [
                h.grid.code,
                None,
                h.address,
                h.head_name,
                (h.phone if shown else mask_phone(h.phone)) or None,
                h.size,
                YES if h.is_party_household else "否",
                ",".join(str(labels[t.tag]) for t in h.tags.all()) or None,
                h.latitude,
                h.longitude,
                h.note or None,
            ]

    out, count = write_book(HOUSEHOLD_SPEC, rows(), title="住户名册")
    audit_export(
        "grid.export_households",
        actor,
        filters=filters,
        rows=count,
        masked_rows=stats["masked_rows"],
        reason=reason,
    )
    return out, count


HOUSEHOLD_COLUMNS = (
    "grid",
    "grid__code",
    "grid__path",
    "address",
    "head_name",
    "phone",
    "size",
    "is_party_household",
    "latitude",
    "longitude",
    "note",
)
