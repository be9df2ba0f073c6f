"""The import engine's second half: cross-row and database checks, then one all-or-nothing write.

`import_orgs` / `import_members` return an Outcome; when it has errors nothing was
written. Checks use set lookups and chunked `IN` queries (5,000 keys each); the
write is one transaction with bulk_create in batches of 2,000.
"""

from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.utils import timezone

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import granted_paths
from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.members.models import Member, Membership, MemberTag
from xianfeng.members.search import fill_search_keys
from xianfeng.members.services import member_errors, refresh_org_counts
from xianfeng.orgs.models import Organization, OrgChange, OrgStatus
from xianfeng.orgs.services import update_org

from . import member_updates
from .columns import MEMBER_SPEC, ORG_SPEC
from .models import ImportMode
from .reader import FileRejected, error, read_sheet

CHUNK = 5000
BATCH = 2000
OUT_OF_SCOPE = "无权导入到该组织"
READ_SHARE = 0.8  # share of the progress bar spent reading; checks and writing take the rest
MEMBER_FIELDS = [c.key for c in MEMBER_SPEC.columns if c.key not in ("org_code", "tags")]
ORG_FIELDS = [c.key for c in ORG_SPEC.columns if c.key != "parent_code"]


@dataclass
class Outcome:
    rows: int = 0
    errors: list = field(default_factory=list)
    created: int = 0
    updated: int = 0
    orgs: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    error_count: int = 0
    plan: object = None

    def preview(self):
        """What the clerk confirms: counts, the changed rows with their fields, versions."""
        plan = self.plan
        return {
            "new": len(plan.new),
            "changed": len(plan.changes),
            "unchanged": plan.unchanged,
            "changes": plan.listing(),
            "versions": {str(pk): v for pk, v in plan.versions.items()},
            "notes": self.notes,
        }

    @classmethod
    def of(cls, sheet):
        errors = sheet.sorted_errors()
        return cls(
            rows=len(sheet.rows),
            errors=errors,
            notes=sheet.notes,
            error_count=max(sheet.error_count, len(errors)),
        )

    @property
    def ok(self):
        return not self.errors


def chunked(items, size):
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


class Scope:
    """Where `actor` may import; no actor (a management command) may import anywhere."""

    def __init__(self, actor):
        self.actor = actor
        self.paths = ("",) if actor is None else granted_paths(actor, Perm.DATA_IMPORT)

    @property
    def may_add_roots(self):
        return self.actor is None or self.actor.is_superuser

    def allows(self, path):
        return any(path.startswith(p) for p in self.paths)


def _read(path, spec, progress, total):
    def reading(fraction):
        if progress:
            progress(fraction * READ_SHARE)

    try:
        return read_sheet(path, spec, reading, total), None
    except FileRejected as exc:
        return None, Outcome(errors=exc.errors, error_count=len(exc.errors))


def _existing(model, field_name, keys, columns):
    """{key: row values} for the keys already in the database, one query per CHUNK keys."""
    found = {}
    for chunk in chunked(sorted(keys), CHUNK):
        for values in model.objects.filter(**{f"{field_name}__in": chunk}).values_list(*columns):
            found[values[0]] = values
    return found


def _duplicates_in_file(sheet, key, label):
    first_row = {}
    for row_no, data in sheet.rows:
        value = data.get(key)
        if not value:
            continue
        if value in first_row:
            other = first_row[value]
            sheet.add_error(other, key, sheet.typed_value(other, key), f"{label}与第{row_no}行重复")
            sheet.add_error(
                row_no, key, sheet.typed_value(row_no, key), f"{label}与第{other}行重复"
            )
        else:
            first_row[value] = row_no
    return first_row


# ---- members -------------------------------------------------------------------------------


def import_members(
    path, *, actor, job=None, progress=None, mode=ImportMode.CREATE, commit=True, versions=None
):
    """Check a members file and, with `commit`, write it all or nothing.

    `mode`: create new members, update existing ones (matched by 身份证号), or both.
    Without `commit` the outcome is the preview (new / changed with fields / unchanged).
    `versions` ({member pk: version} from the preview) makes the write refuse members
    that someone changed after the clerk saw the preview.
    """
    sheet, rejected = _read(path, MEMBER_SPEC, progress, job.total_rows if job else 0)
    if rejected:
        return rejected
    scope = Scope(actor)
    for row_no, data in sheet.rows:
        for key, reason in member_errors(data).items():
            if data.get(key) in (None, ""):
                continue  # the reader has already reported the empty or unreadable cell
            sheet.add_error(row_no, key, sheet.typed_value(row_no, key), reason)
    _duplicates_in_file(sheet, "id_number", "身份证号")
    orgs = _check_member_orgs(sheet, scope)
    tags = _check_tags(sheet)
    plan = member_updates.plan(sheet, mode, scope)
    outcome = Outcome.of(sheet)
    outcome.plan = plan
    if not outcome.ok or not commit:
        return outcome
    new_rows = [(row_no, data) for row_no, data in sheet.rows if row_no in plan.new]
    try:
        with transaction.atomic():
            outcome.created, outcome.orgs = _write_members(new_rows, orgs, tags, actor, job)
            outcome.updated = member_updates.write(plan, orgs, actor, versions or {})
            _audit(
                "excel.import_members",
                job,
                actor,
                mode=mode,
                created=outcome.created,
                updated=outcome.updated,
                unchanged=plan.unchanged,
            )
    except member_updates.Refused as exc:
        return Outcome(rows=len(sheet.rows), errors=[exc.error], error_count=1, notes=sheet.notes)
    return outcome


def _check_member_orgs(sheet, scope):
    codes = {data["org_code"] for _row, data in sheet.rows if data["org_code"]}
    found = _existing(Organization, "code", codes, ["code", "pk", "path", "status"])
    for row_no, data in sheet.rows:
        code = data["org_code"]
        if not code:
            continue
        if code not in found:
            sheet.add_error(row_no, "org_code", code, "组织代码不存在")
        elif not scope.allows(found[code][2]):
            sheet.add_error(row_no, "org_code", code, OUT_OF_SCOPE)
        elif found[code][3] != OrgStatus.ACTIVE:
            sheet.add_error(row_no, "org_code", code, "该组织已撤销，不能导入党员")
    return {code: values[1] for code, values in found.items()}


def split_tags(text):
    for sep in "，、;；":
        text = text.replace(sep, ",")
    return [name.strip() for name in text.split(",") if name.strip()]


def _check_tags(sheet):
    known = dict(MemberTag.objects.values_list("name", "pk"))
    for row_no, data in sheet.rows:
        names = split_tags(data["tags"] or "")
        unknown = [n for n in names if n not in known]
        if unknown:
            sheet.add_error(row_no, "tags", data["tags"], f"未知标签：{'、'.join(unknown)}")
        data["tags"] = [known[n] for n in names if n in known]
        data["tag_names"] = [n for n in names if n in known]
    return known


def _build_member(data, org_id):
    member = Member(
        organization_id=org_id,
        **{key: "" if data[key] is None else data[key] for key in MEMBER_FIELDS},
    )
    member.confirmed_on = data["confirmed_on"]
    fill_search_keys(member)
    return member


def _write_members(rows, orgs, tags, actor, job):
    today = timezone.localdate()
    org_ids = set()
    Tagging = Member.tags.through
    if not rows:
        return 0, []
    with transaction.atomic():
        for batch in chunked(rows, BATCH):
            members = [_build_member(data, orgs[data["org_code"]]) for _row, data in batch]
            Member.objects.bulk_create(members, batch_size=BATCH)
            org_ids.update(m.organization_id for m in members)
            Membership.objects.bulk_create(
                [
                    Membership(
                        member_id=m.pk,
                        organization_id=m.organization_id,
                        started_on=today,
                        reason="Excel 导入",
                    )
                    for m in members
                ],
                batch_size=BATCH,
            )
            Tagging.objects.bulk_create(
                [
                    Tagging(member_id=m.pk, membertag_id=tag)
                    for m, (_row, data) in zip(members, batch, strict=True)
                    for tag in data["tags"]
                ],
                batch_size=BATCH,
            )
        refresh_org_counts(org_ids)
    return len(rows), sorted(org_ids)


def _audit(action, job, actor, **data):
    target = job if job is not None else actor
    if target is not None:
        audit.record(action, target, actor=actor, **data)


# ---- organizations -------------------------------------------------------------------------


def import_orgs(
    path, *, actor, job=None, progress=None, mode=ImportMode.CREATE, commit=True, versions=None
):
    """Like import_members; organizations are matched by 组织代码 (`versions` is not used:
    update_org locks the row and the preview's values are compared again)."""
    sheet, rejected = _read(path, ORG_SPEC, progress, job.total_rows if job else 0)
    if rejected:
        return rejected
    scope = Scope(actor)
    in_file = _duplicates_in_file(sheet, "code", "组织代码")
    parents = _check_parents(sheet, scope, in_file)
    plan, matched = _plan_orgs(sheet, in_file, mode, scope)
    parents.update(matched)
    order = [data for data in _creation_order(sheet, in_file) if data["code"] not in matched]
    outcome = Outcome.of(sheet)
    outcome.plan = plan
    if not outcome.ok or not commit:
        return outcome
    try:
        with transaction.atomic():
            outcome.created, outcome.orgs = _write_orgs(order, parents, actor, job)
            for change in plan.changes:
                update_org(Organization(pk=change.pk), actor=actor, **change.fields)
            outcome.updated = len(plan.changes)
            _audit(
                "excel.import_orgs",
                job,
                actor,
                mode=mode,
                created=outcome.created,
                updated=outcome.updated,
                unchanged=plan.unchanged,
                codes=[d["code"] for d in order][:1000],
            )
    except DomainError as exc:
        return Outcome(
            rows=len(sheet.rows),
            errors=[error(ORG_SPEC.sheet, 0, "", "", "", str(exc))],
            error_count=1,
            notes=sheet.notes,
        )
    return outcome


@dataclass
class OrgRowChange:
    row: int
    pk: int
    version: int
    name: str
    fields: dict

    def headers(self):
        return [ORG_SPEC.column(k).header for k in self.fields]


def _plan_orgs(sheet, in_file, mode, scope):
    """(Plan, {code: pk} of rows matching existing organizations)."""
    compared = [k for k in ORG_FIELDS if k != "code"]
    found = _existing(Organization, "code", in_file, ["code", "pk", "path", "status", *compared])
    steplen = Organization.steplen
    parent_paths = {values[2][:-steplen] for values in found.values() if len(values[2]) > steplen}
    parent_codes = dict(
        Organization.objects.filter(path__in=parent_paths).values_list("path", "code")
    )
    plan, matched = member_updates.Plan(), {}
    for row_no, data in sheet.rows:
        code = data["code"]
        values = found.get(code) if code else None
        if values is None:
            if mode == ImportMode.UPDATE and code:
                sheet.add_error(
                    row_no,
                    "code",
                    code,
                    "系统中没有该组织代码；如要新增，请选择“新增”或“新增并更新”",
                )
            plan.new.add(row_no)
            continue
        if mode == ImportMode.CREATE:
            sheet.add_error(
                row_no,
                "code",
                code,
                "组织代码已存在于系统中；如要更新已有组织，请选择“只更新”或“新增并更新”",
            )
            continue
        _code, pk, path, status, *current = values
        matched[code] = pk
        if not scope.allows(path):
            sheet.add_error(row_no, "code", code, OUT_OF_SCOPE)
            continue
        if status != OrgStatus.ACTIVE:
            sheet.add_error(row_no, "code", code, "该组织已撤销，不能修改")
            continue
        if (data["parent_code"] or None) != parent_codes.get(path[:-steplen]):
            sheet.add_error(
                row_no,
                "parent_code",
                sheet.typed_value(row_no, "parent_code"),
                "调整上级组织请在组织页面办理(隶属关系调整)，不能通过导入修改",
            )
            continue
        fields = {
            k: ("" if data[k] is None and k != "founded_on" else data[k])
            for k, old in zip(compared, current, strict=True)
            if not member_updates.same(k in ("founded_on",), old, data[k])
        }
        if fields:
            plan.changes.append(OrgRowChange(row_no, pk, 0, data["name"], fields))
        else:
            plan.unchanged += 1
    return plan, matched


def _check_parents(sheet, scope, in_file):
    outside = {d["parent_code"] for _r, d in sheet.rows if d["parent_code"]} - set(in_file)
    found = {
        code: (pk, path, status)
        for code, pk, path, status in _existing(
            Organization, "code", outside, ["code", "pk", "path", "status"]
        ).values()
    }
    for row_no, data in sheet.rows:
        parent = data["parent_code"]
        if not parent:
            if not scope.may_add_roots:
                sheet.add_error(
                    row_no, "parent_code", "", "只有超级管理员可以导入顶级组织，请填写上级组织代码"
                )
        elif parent == data["code"]:
            sheet.add_error(row_no, "parent_code", parent, "上级组织不能是本组织")
        elif parent in in_file:
            continue
        elif parent not in found:
            sheet.add_error(row_no, "parent_code", parent, "上级组织代码不存在")
        elif not scope.allows(found[parent][1]):
            sheet.add_error(row_no, "parent_code", parent, OUT_OF_SCOPE)
        elif found[parent][2] != OrgStatus.ACTIVE:
            sheet.add_error(row_no, "parent_code", parent, "上级组织已撤销")
    return {code: values[0] for code, values in found.items()}


def _creation_order(sheet, in_file):
    """Rows ordered parents first (a parent may appear later in the file); flags cycles."""
    by_code = {data["code"]: (row_no, data) for row_no, data in sheet.rows if data["code"]}
    order, placed = [], set()
    for row_no, data in sheet.rows:
        if data["parent_code"] and data["parent_code"] == data["code"]:
            continue  # reported by _check_parents
        chain, code = [], data["code"]
        while code and code in by_code and code not in placed and code not in chain:
            chain.append(code)
            code = by_code[code][1]["parent_code"]
        if code in chain:
            sheet.add_error(row_no, "parent_code", data["parent_code"], "上级组织关系形成循环")
            continue
        for item in reversed(chain):
            placed.add(item)
            order.append(by_code[item][1])
    return order


def _write_orgs(order, parents, actor, job):
    today = timezone.localdate()
    created = {}
    with transaction.atomic():
        for data in order:
            fields = {key: "" if data[key] is None else data[key] for key in ORG_FIELDS}
            fields["founded_on"] = data["founded_on"]
            parent_code = data["parent_code"]
            if not parent_code:
                org = Organization.objects.add_root(fields)
            else:
                parent = created.get(parent_code) or Organization(pk=parents[parent_code])
                org = Organization.objects.add_child(parent, fields)
            created[org.code] = org
        OrgChange.objects.bulk_create(
            [
                OrgChange(
                    organization=org, kind=OrgChange.Kind.CREATE, on=today, detail="Excel 导入"
                )
                for org in created.values()
            ],
            batch_size=BATCH,
        )
        ids = [org.pk for org in created.values()]
    return len(ids), ids
