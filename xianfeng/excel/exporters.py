"""Exports in the import template's format, so an exported file can be imported again.

Rows are produced lazily from `.iterator()` querysets, in constant memory and a
constant number of queries per chunk (settings.XIANFENG_EXPORT_CHUNK rows); masking is
decided in bulk by SensitiveView (no query per row). Exports are masked (ID 6+2, phone 3+4, birth year)
unless the user asks for an unmasked export with a reason; even then only members whose
full numbers the user may see are unmasked, and one audit row records count and filter.
"""

from django.db import transaction
from django.db.models import Prefetch

from xianfeng.core import audit, sheets
from xianfeng.core.errors import DomainError
from xianfeng.members.masking import (
    SensitiveView,
    mask_birth_date,
    mask_id_number,
    mask_phone,
)
from xianfeng.members.models import MemberTag

from .columns import MEMBER_SPEC, NO, ORG_SPEC, YES
from .workbook import write_book

EXPORT_REASON_REQUIRED = "请填写导出完整信息的事由"


def export_reason(masked, reason, actor=None):
    """The reason of an unmasked export, stripped; a user's unmasked export needs one.

    Every export that can show full numbers (members, households) asks it through the same
    form (UnmaskedExportForm, excel/_unmasked_export.html) and records it the same way
    (`audit_export`)."""
    reason = (reason or "").strip()[:200]
    if not masked and actor is not None and not reason:
        raise DomainError(EXPORT_REASON_REQUIRED, field="reason")
    return reason


def audit_export(action, actor, *, filters, rows, masked_rows, reason):
    """The one audit shape of a personal-data export: filter, rows, masked and unmasked rows,
    the reason (empty for a masked export)."""
    _audit(
        action,
        actor,
        filters=filters or {},
        rows=rows,
        masked=masked_rows > 0,
        masked_rows=masked_rows,
        unmasked_rows=rows - masked_rows,
        reason=reason,
    )


def _label(column, value):
    return dict(column.choices).get(value, value) if value else None


def member_row(member, view, stats):
    """`view` is None for a fully unmasked export, else the rows `view.allowed` are unmasked."""
    shown = view is None or (stats["unmasked"] and view.allowed(member))
    if not shown:
        stats["masked_rows"] += 1
    values = {
        "id_number": member.id_number if shown else mask_id_number(member.id_number),
        "phone": (member.phone if shown else mask_phone(member.phone)) or None,
        "birth_date": member.birth_date if shown else mask_birth_date(member.birth_date),
        "org_code": member.organization.code,
        "tags": ",".join(tag.name for tag in member.tags.all()) or None,
    }
    row = []
    for column in MEMBER_SPEC.columns:
        value = values[column.key] if column.key in values else getattr(member, column.key)
        row.append(_label(column, value) if column.kind == "enum" else value or None)
    return row


def member_rows(queryset, view, stats):
    queryset = queryset.select_related("organization").prefetch_related(
        Prefetch("tags", queryset=MemberTag.objects.only("pk", "name"))
    )
    for member in queryset.order_by("organization__path", "pk").iterator(
        chunk_size=sheets.chunk_size()
    ):
        yield member_row(member, view, stats)


def org_rows(queryset):
    """Rows in tree order; the parent code of the first row comes from one extra lookup."""
    parent_codes = {}
    for org in queryset.order_by("path").iterator(chunk_size=sheets.chunk_size()):
        parent_path = org.path[: -org.steplen]
        if parent_path and parent_path not in parent_codes:
            parent = type(org).objects.filter(path=parent_path).values_list("code", flat=True)
            parent_codes[parent_path] = parent.first()
        parent_codes[org.path] = org.code
        yield _org_row(org, parent_codes.get(parent_path))


def _org_row(org, parent_code):
    row = []
    for column in ORG_SPEC.columns:
        value = parent_code if column.key == "parent_code" else getattr(org, column.key)
        if column.kind == "bool":
            value = YES if value else NO
        elif column.kind == "enum":
            value = _label(column, value)
        row.append(value or None)
    return row


def export_members(queryset, *, actor, masked=True, filters=None, reason=""):
    """Members → (temporary xlsx file, row count), audited with the filter and masking used.

    `masked=False` is the explicit unmasked export: it needs a `reason` from a user, and
    unmasks only the members whose full numbers `actor` may see (all, for the command line).
    """
    reason = export_reason(masked, reason, actor)
    view = None if actor is None and not masked else SensitiveView(actor)
    stats = {"masked_rows": 0, "unmasked": not masked}
    out, count = write_book(MEMBER_SPEC, member_rows(queryset, view, stats), title="党员名册")
    audit_export(
        "excel.export_members",
        actor,
        filters=filters,
        rows=count,
        masked_rows=stats["masked_rows"],
        reason=reason,
    )
    return out, count


def export_orgs(queryset, *, actor, filters=None):
    out, count = write_book(ORG_SPEC, org_rows(queryset), title="党组织名册")
    _audit("excel.export_orgs", actor, filters=filters or {}, rows=count)
    return out, count


def _audit(action, actor, **data):
    """Exports change nothing, so the audit row's target is the exporting account itself."""
    if actor is None:
        from xianfeng.core.models import AuditLog

        AuditLog.objects.create(action=action, target_type="", target_id="", data=data)
        return
    with transaction.atomic():
        audit.record(action, actor, actor=actor, **data)
