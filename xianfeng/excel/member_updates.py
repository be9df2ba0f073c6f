"""Update mode for members: match rows by 身份证号, compare, and change through update_members.

`plan` sorts every row into new / changed (with the changed fields) / unchanged and
reports rows the mode does not allow; `write` applies the changes through the members
service (history, audit, version check, in batches), inside the caller's transaction.
"""

from dataclasses import dataclass, field

from xianfeng.members.lookup import values_by_id_numbers
from xianfeng.members.models import Member, MemberTag
from xianfeng.members.services import (
    STALE_MESSAGE,
    MemberChange,
    MemberRefused,
    update_members,
)
from xianfeng.orgs.models import Organization

from .columns import MEMBER_SPEC
from .models import ImportMode
from .reader import clean, error

CHUNK = 5000
LISTED = 1000  # changed rows listed in the preview; the counts are always complete
COMPARED = [
    c.key for c in MEMBER_SPEC.columns if c.key not in ("id_number", "org_code", "tags", "status")
]
DATES = {c.key for c in MEMBER_SPEC.columns if c.kind == "date"}


class Refused(Exception):
    """A member changed between preview and write: the whole import is rolled back."""

    def __init__(self, row_no, reason):
        super().__init__(reason)
        self.error = error(MEMBER_SPEC.sheet, row_no, "", "", "", reason)


@dataclass
class Change:
    row: int
    pk: int
    version: int
    name: str
    fields: dict  # key → new value
    org_code: str | None = None
    tags: list | None = None

    def headers(self):
        names = [MEMBER_SPEC.column(k).header for k in self.fields]
        if self.org_code:
            names.append(MEMBER_SPEC.column("org_code").header)
        if self.tags is not None:
            names.append(MEMBER_SPEC.column("tags").header)
        return names


@dataclass
class Plan:
    new: set = field(default_factory=set)
    changes: list = field(default_factory=list)
    unchanged: int = 0

    @property
    def versions(self):
        return {c.pk: c.version for c in self.changes}

    def listing(self):
        return [
            {"row": c.row, "name": c.name, "fields": "、".join(c.headers())}
            for c in self.changes[:LISTED]
        ]


def same(is_date, old, new):
    """A stored value equals the file's: texts as the reader normalises them, blank as ''."""
    if is_date:
        return old == new
    old = clean(old or "") if isinstance(old, str) or old is None else old
    return old == ("" if new is None else new)


def plan(sheet, mode, scope):
    """Sort the rows; stored members are fetched and compared CHUNK rows at a time, so
    memory does not grow with the file."""
    result = Plan()
    for start in range(0, len(sheet.rows), CHUNK):
        _plan_chunk(sheet, sheet.rows[start : start + CHUNK], mode, scope, result)
    return result


def _plan_chunk(sheet, rows, mode, scope, result):
    numbers = [data["id_number"] for _row, data in rows if data.get("id_number")]
    existing = values_by_id_numbers(
        numbers, "pk", "version", "status", "organization__code", "organization__path", *COMPARED
    )
    tag_names = _tag_names([m["pk"] for m in existing.values()])
    for row_no, data in rows:
        number = data.get("id_number")
        found = existing.get(number) if number else None
        if found is None:
            if mode == ImportMode.UPDATE and number:
                sheet.add_error(
                    row_no,
                    "id_number",
                    sheet.typed_value(row_no, "id_number"),
                    "系统中没有该身份证号的党员；如要新增，请选择“新增”或“新增并更新”",
                )
            result.new.add(row_no)
            continue
        if mode == ImportMode.CREATE:
            sheet.add_error(
                row_no,
                "id_number",
                sheet.typed_value(row_no, "id_number"),
                "身份证号已存在于系统中；如要更新已有党员，请选择“只更新”或“新增并更新”",
            )
            continue
        if not scope.allows(found["organization__path"]):
            sheet.add_error(
                row_no, "id_number", sheet.typed_value(row_no, "id_number"), "无权修改该党员"
            )
            continue
        change = _compare(row_no, data, found, tag_names.get(found["pk"], set()))
        if data["status"] != found["status"]:
            sheet.add_error(
                row_no,
                "status",
                sheet.typed_value(row_no, "status"),
                "党籍状态的变化请在党员页面办理(需登记日期和原因)，不能通过导入修改",
            )
        if change:
            result.changes.append(change)
        else:
            result.unchanged += 1


def _tag_names(pks):
    names = {}
    Tagging = Member.tags.through
    for start in range(0, len(pks), 5000):
        rows = Tagging.objects.filter(member_id__in=pks[start : start + 5000]).values_list(
            "member_id", "membertag__name"
        )
        for pk, name in rows:
            names.setdefault(pk, set()).add(name)
    return names


def _compare(row_no, data, found, tags):
    fields = {k: data[k] for k in COMPARED if not same(k in DATES, found[k], data[k])}
    for key, value in fields.items():
        if value is None and key not in DATES:
            fields[key] = ""
    org_code = data["org_code"] if data["org_code"] != found["organization__code"] else None
    new_tags = set(data["tag_names"])
    tag_change = sorted(new_tags) if new_tags != tags else None
    if not (fields or org_code or tag_change is not None):
        return None
    return Change(row_no, found["pk"], found["version"], data["name"], fields, org_code, tag_change)


def write(plan, orgs, actor, versions):
    """Apply every change through members.services.update_members (the rules, history and
    audit of update_member, written in batches); a refused member refuses the whole import."""
    if not plan.changes:
        return 0
    targets = {o.pk: o for o in Organization.objects.filter(pk__in=set(orgs.values()))}
    tags = {t.name: t for t in MemberTag.objects.all()}
    rows = {c.pk: c for c in plan.changes}
    try:
        return update_members(
            [
                MemberChange(
                    pk=c.pk,
                    expected_version=versions.get(str(c.pk), c.version),
                    fields=c.fields,
                    organization=targets[orgs[c.org_code]] if c.org_code else None,
                    tags=None if c.tags is None else [tags[n] for n in c.tags],
                )
                for c in plan.changes
            ],
            actor=actor,
        )
    except MemberRefused as exc:
        change = rows[exc.pk] if exc.pk in rows else plan.changes[0]
        reason = str(exc)
        if exc.code == "stale" or reason == STALE_MESSAGE:
            reason = f"{change.name}的信息在预览之后已被他人修改，请重新上传并预览"
        raise Refused(change.row, f"第{change.row}行：{reason}") from exc
