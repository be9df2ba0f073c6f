"""The board as an xlsx workbook, in Simplified Chinese whatever the page language.

Write-only (core.sheets): rows go to a temporary file as they come, memory stays flat.
"""

from django.utils import translation
from openpyxl.styles import PatternFill

from xianfeng.core import sheets

HEADERS = (
    "类别",
    "任务名称",
    "责任党组织",
    "牵头单位",
    "责任人",
    "配合单位",
    "开始日期",
    "完成时限",
    "进度(%)",
    "状态",
    "说明",
)
WIDTHS = (10, 30, 24, 16, 10, 20, 12, 12, 8, 8, 40)
FILLS = {"red": "F8D7DA", "amber": "FFF3CD", "green": "D4EDDA", "done": "E2E3E5"}


def board_workbook(rows):
    """(task, light) rows → a write-only workbook for `sheets.download`."""
    with translation.override("zh-hans"):
        book = sheets.new_book()
        sheet = book.create_sheet("重点任务")
        sheets.start_sheet(sheet, title="重点任务推进表", headers=HEADERS, widths=WIDTHS)
        for task, light in rows:
            values = sheets.row(
                sheet,
                [
                    task.get_kind_display(),
                    task.title,
                    task.organization.name,
                    task.lead_unit,
                    task.lead_person,
                    task.co_units,
                    task.starts_on,
                    task.due_on,
                    task.progress,
                    None,
                    "；".join(light.reasons),
                ],
                wrap=(11,),
            )
            values[9] = sheets.cell(
                sheet, str(light.label), fill=PatternFill("solid", fgColor=FILLS[light.colour])
            )
            sheet.append(values)
    return book
