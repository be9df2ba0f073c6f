"""All-or-nothing xlsx import of households and housing units (the excel app's reader, so the
file checks, header search and cell errors in Chinese are the same as for members)."""

from dataclasses import dataclass, field

from django.db import transaction

from xianfeng.core import audit
from xianfeng.excel.columns import Column, SheetSpec
from xianfeng.excel.reader import FileRejected, read_sheet

from .models import Case, HousingUnit
from .rules import stage_codes
from .services import _require_active, _today, bump_counts, case_deltas

BATCH = 2000

CASE_SPEC = SheetSpec(
    kind="campaign_cases",
    sheet="户档案",
    title="专项工作户档案导入模板",
    columns=(
        Column("number", "户号", required=True, max_length=30, compact=True),
        Column("village", "村(社区)", max_length=50),
        Column("head_name", "户主", required=True, max_length=50),
        Column("id_number", "户主身份证号", kind="id", width=22),
        Column("phone", "联系电话", max_length=20, compact=True),
        Column("people", "人口数", kind="int", low=1, high=99, default=1),
        Column("address", "房产坐落", max_length=200, width=28),
        Column("area", "原房面积(平方米)", kind="number", low=0, high=100000, default=0),
        Column("case_class", "类别", max_length=30, note="填本专项工作已设的类别名称"),
        Column("group", "工作小组", max_length=60, note="填本专项工作的小组名称"),
        Column("note", "备注", max_length=300),
    ),
    example={"number": "A-001", "head_name": "王书章", "people": 3, "area": 120},
)

UNIT_SPEC = SheetSpec(
    kind="campaign_units",
    sheet="安置房源",
    title="安置房源导入模板",
    columns=(
        Column("code", "房号", required=True, max_length=30, compact=True),
        Column("building", "楼号", required=True, max_length=20),
        Column("area", "面积(平方米)", kind="number", required=True, low=1, high=1000),
        Column("layout", "户型", max_length=30),
    ),
    example={"code": "1-1-101", "building": "1号楼", "area": 90, "layout": "两室一厅"},
)


@dataclass
class Outcome:
    rows: int = 0
    created: int = 0
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def _read(path, spec):
    try:
        sheet = read_sheet(path, spec)
    except FileRejected as exc:
        return None, Outcome(errors=exc.errors)
    return sheet, Outcome(rows=len(sheet.rows), errors=sheet.sorted_errors(), notes=sheet.notes)


def _duplicates(sheet, rows, key, taken, what):
    seen = {}
    for row_no, data in rows:
        value = data.get(key)
        if value in taken:
            sheet.add_error(row_no, key, value, f"{what} {value} 已登记")
        elif value in seen:
            sheet.add_error(row_no, key, value, f"与第{seen[value]}行{what}重复")
        else:
            seen[value] = row_no


def import_cases(campaign, path, *, actor):
    """Every row becomes a household at the first stage, or nothing is written."""
    _require_active(campaign)
    sheet, outcome = _read(path, CASE_SPEC)
    if sheet is None:
        return outcome
    classes = {c.name: c for c in campaign.classes.all()}
    groups = {g.name: g for g in campaign.groups.all()}
    taken = set(Case.objects.filter(campaign=campaign).values_list("number", flat=True))
    _duplicates(sheet, sheet.rows, "number", taken, "户号")
    for row_no, data in sheet.rows:
        for key, names, what in (("case_class", classes, "类别"), ("group", groups, "工作小组")):
            if data.get(key) and data[key] not in names:
                sheet.add_error(row_no, key, data[key], f"没有名为“{data[key]}”的{what}")
    outcome.errors = sheet.sorted_errors()
    if outcome.errors:
        return outcome
    first, today = stage_codes(campaign.kind)[0], _today()
    cases = [
        Case(
            campaign=campaign,
            number=data["number"],
            village=data.get("village") or "",
            head_name=data["head_name"],
            id_number=data.get("id_number") or "",
            phone=data.get("phone") or "",
            people=data.get("people") or 1,
            address=data.get("address") or "",
            area=data.get("area") or 0,
            case_class=classes.get(data.get("case_class")),
            group=groups.get(data.get("group")),
            note=data.get("note") or "",
            stage=first,
            stage_since=today,
        )
        for _row_no, data in sheet.rows
    ]
    with transaction.atomic():
        write_cases(campaign, cases, actor=actor)
        audit.record("campaign.import_cases", campaign, actor=actor, households=len(cases))
    outcome.created = len(cases)
    return outcome


def write_cases(campaign, cases, *, actor):
    """Insert unsaved households in batches, with their counts (inside the caller's
    transaction; the demo's static households come this way too). An imported household's
    history starts at its first change: its registration is the import's audit row and
    `stage_since`, not 20,000 history rows."""
    Case.objects.bulk_create(cases, batch_size=BATCH)
    if cases[0].pk is None:  # SQLite before 3.35 returns no ids
        numbers = {c.number: c for c in cases}
        for pk, number in Case.objects.filter(
            campaign=campaign, number__in=list(numbers)
        ).values_list("pk", "number"):
            numbers[number].pk = pk
    deltas = {}
    for case in cases:
        for key, delta in case_deltas(case, campaign.kind).items():
            deltas[key] = deltas.get(key, 0) + delta
    bump_counts(campaign.pk, deltas)


def import_units(campaign, path, *, actor):
    _require_active(campaign)
    sheet, outcome = _read(path, UNIT_SPEC)
    if sheet is None:
        return outcome
    taken = set(HousingUnit.objects.filter(campaign=campaign).values_list("code", flat=True))
    _duplicates(sheet, sheet.rows, "code", taken, "房号")
    outcome.errors = sheet.sorted_errors()
    if outcome.errors:
        return outcome
    units = [
        HousingUnit(
            campaign=campaign,
            code=data["code"],
            building=data["building"],
            area=data["area"],
            layout=data.get("layout") or "",
        )
        for _row_no, data in sheet.rows
    ]
    with transaction.atomic():
        HousingUnit.objects.bulk_create(units, batch_size=BATCH)
        audit.record("campaign.import_units", campaign, actor=actor, units=len(units))
    outcome.created = len(units)
    return outcome
