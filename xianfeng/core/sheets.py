"""Writing xlsx the one way every export and ledger does: safe text, real dates and numbers, printable.

- A text cell that starts with a formula character (= + - @ tab CR) is written as a
  text cell with Excel's quote prefix, so a member named `=HYPERLINK(...)` shows as
  typed and never runs, not even after the clerk edits the cell.
- Dates are dates (yyyy-mm-dd), datetimes local and without timezone, Decimals numbers.
- `start_sheet` sets the column widths, an optional title row, the frozen header,
  the print titles repeated on each page, A4 with landscape and fit-to-width when the
  columns are wide, and the document's title and export date in the page header.

Works with normal and write-only workbooks alike (cells are built with WriteOnlyCell,
which both accept); in write-only mode call `start_sheet` before the first row.
"""

from datetime import date, datetime

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Widths (in characters) that still fit an A4 page in portrait; wider sheets print landscape.
PORTRAIT_WIDTH = 95
HEAD_FONT = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
TITLE_FONT = Font(bold=True, size=14)


def cell(ws, value, *, number_format=None, font=None):
    """One cell for `ws` (normal or write-only) holding `value` as what it is."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    elif isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        number_format = number_format or DATETIME_FORMAT
    elif isinstance(value, date):
        number_format = number_format or DATE_FORMAT
    result = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        result.data_type = "s"
        result.quotePrefix = True
    if number_format:
        result.number_format = number_format
    if font:
        result.font = font
    return result


def row(ws, values):
    """A list of values → cells, ready for `ws.append`; Cells already built pass through."""
    return [v if isinstance(v, Cell) else cell(ws, v) for v in values]


def append(ws, values):
    ws.append(row(ws, values))


def start_sheet(ws, *, title, headers, widths, title_row=False):
    """Print setup, an optional title row and the header row; returns the header's row number."""
    header_row = 2 if title_row else 1
    print_setup(ws, title=title, widths=widths, header_row=header_row)
    if title_row:
        ws.append([cell(ws, title, font=TITLE_FONT)])
    heads = []
    for text in headers:
        head = cell(ws, text, font=HEAD_FONT)
        head.fill = HEAD_FILL
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        heads.append(head)
    ws.append(heads)
    return header_row


def print_setup(ws, *, title, widths, header_row=1):
    """Widths, frozen header, print titles, A4 fit-to-width (landscape when wide), title and date."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    setup = ws.page_setup
    setup.paperSize = Worksheet.PAPERSIZE_A4
    setup.orientation = "landscape" if sum(widths) > PORTRAIT_WIDTH else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.gridLines = True
    header = ws.HeaderFooter.oddHeader
    header.center.text, header.center.size = title.replace("&", "&&"), 12
    header.right.text = f"导出日期：{timezone.localdate():%Y-%m-%d}"
    ws.HeaderFooter.oddFooter.center.text = "第 &P 页，共 &N 页"


def wrap_columns(ws, columns, *, first_row):
    """Long text (工作内容, 说明) wraps in the given 1-based columns; normal workbooks only."""
    for column in columns:
        for (data,) in ws.iter_rows(min_row=first_row, min_col=column, max_col=column):
            data.alignment = Alignment(wrap_text=True, vertical="top")
