"""Writing xlsx in the template format: the blank templates and every export use this.

Workbooks are write-only (streamed to a temporary file), so exporting 100,000 rows
never holds them in memory. Cells and print setup come from core.sheets (formula
characters written as text, dates as dates, printable on A4). The data sheet comes first and starts at row 2; the
example row lives on a separate 填写说明 sheet, so nothing in the data sheet ever
needs to be recognised and skipped on import.
"""

import tempfile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from xianfeng.core import sheets

from .columns import NO, YES
from .reader import GUIDE_SHEET

TEXT_FORMAT = "@"
LAST_ROW = 1048576
_HEAD_FILL = PatternFill("solid", fgColor="FDE8E8")
_REQUIRED_FONT = Font(bold=True, color="9E1016")
_FONT = Font(bold=True)


def _format(column):
    if column.kind == "date":
        return sheets.DATE_FORMAT
    return TEXT_FORMAT if column.kind in ("id", "text") else None


def _header_cell(ws, column):
    cell = WriteOnlyCell(ws, value=column.title)
    cell.font = _REQUIRED_FONT if column.required else _FONT
    cell.fill = _HEAD_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center")
    cell.comment = Comment(column.rule(), "先锋")
    cell.comment.width, cell.comment.height = 260, 120
    return cell


def _validation(column, letter):
    labels = [YES, NO] if column.kind == "bool" else column.labels
    if column.kind not in ("enum", "bool"):
        return None
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(labels) + '"',
        allow_blank=not column.required,
        showErrorMessage=True,
        errorTitle="无效选项",
        error=f"{column.header}应为：{'、'.join(labels)}",
        promptTitle=column.header,
        prompt=column.rule()[:255],
        showInputMessage=True,
    )
    dv.add(f"{letter}2:{letter}{LAST_ROW}")
    return dv


def _data_sheet(book, spec, title):
    ws = book.create_sheet(spec.sheet)
    sheets.print_setup(ws, title=title, widths=[c.width for c in spec.columns])
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        if _format(column):
            ws.column_dimensions[letter].number_format = _format(column)
        dv = _validation(column, letter)
        if dv:
            ws.data_validations.append(dv)
    ws.append([_header_cell(ws, c) for c in spec.columns])
    return ws


def _guide_sheet(book, spec):
    ws = book.create_sheet(GUIDE_SHEET)
    for letter, width in zip("ABCD", (16, 10, 70, 30), strict=True):
        ws.column_dimensions[letter].width = width
    ws.append([f"{spec.title}：填写说明"])
    ws.append([f"请在“{spec.sheet}”工作表第2行起填写，每行一条；本说明页不会被导入。"])
    ws.append(["整个文件全部检查通过后才会一次写入；有任何错误时不写入任何数据，并列出全部错误。"])
    ws.append([])
    ws.append(["列名", "是否必填", "填写规则", "示例"])
    for column in spec.columns:
        ws.append(
            [
                column.title,
                "必填" if column.required else "选填",
                column.rule(),
                spec.example.get(column.key, ""),
            ]
        )


def write_book(spec, rows, *, guide=True, title=None):
    """Rows (lists in spec column order) → a temporary .xlsx file, rewound, ready to stream.

    `title` (default: the template's) goes into the printed page header with the date.
    """
    book = Workbook(write_only=True)
    ws = _data_sheet(book, spec, title or spec.title)
    count = 0
    for row in rows:
        if len(row) != len(spec.columns):
            raise ValueError(f"row of {len(row)} values for {len(spec.columns)} columns")
        ws.append(sheets.row(ws, row))
        count += 1
    if guide:
        _guide_sheet(book, spec)
    out = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - handed to the response
    book.save(out)
    out.seek(0)
    return out, count
