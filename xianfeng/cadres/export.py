"""后备干部 xlsx export: one row per entry, ID number and phone masked unless the role allows."""

from django.db import transaction

from xianfeng.core import audit, sheets
from xianfeng.members.masking import SensitiveView

HEADERS = (
    "姓名",
    "身份证号",
    "手机号",
    "所在党组织",
    "所属党组织(后备库)",
    "拟任岗位",
    "入库日期",
    "状态",
    "培训学时",
    "最近评价",
)
WIDTHS = (10, 21, 14, 24, 24, 16, 12, 8, 9, 14)


def cadres_workbook(cadres, *, actor):
    """`cadres` (rows annotated with `training_hours` and `latest_evaluation`, read in
    chunks) → (write-only workbook, rows), audited."""
    view = SensitiveView(actor)
    wb = sheets.new_book()
    ws = wb.create_sheet("后备干部")
    sheets.start_sheet(ws, title="后备干部名册", headers=HEADERS, widths=WIDTHS)
    rows = masked = 0
    for cadre in cadres:
        member = cadre.member
        masked += not view.allowed(member)
        latest = cadre.latest_evaluation
        sheets.append(
            ws,
            [
                member.name,
                view.id_number(member),
                view.phone(member) or None,
                member.organization.name,
                cadre.organization.name,
                cadre.intended_post,
                cadre.entered_on,
                cadre.get_status_display(),
                cadre.training_hours or 0,
                f"{latest.year} {latest.get_result_display()}" if latest else None,
            ],
        )
        rows += 1
    with transaction.atomic():
        audit.record(
            "cadres.export", actor, actor=actor, rows=rows, masked=masked > 0, masked_rows=masked
        )
    return wb, rows
