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

Every export is a write-only workbook (`new_book`): openpyxl writes each row to a
temporary file as it is appended, so memory stays flat whatever the number of rows.
`download` saves it to a temporary file and streams that file in blocks
(FileResponse, without a Content-Length: the size is only known once the zip is
written, and a streamed response is what docs/benchmarks.md measures). Rows come from
`.iterator(chunk_size=chunk_size())` querysets with the related rows joined or prefetched
per chunk, so the number of queries does not grow with the rows.
"""

import tempfile
from datetime import date, datetime

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
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
WRAP = Alignment(wrap_text=True, vertical="top")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chunk_size():
    """Rows an export reads at once (settings.XIANFENG_EXPORT_CHUNK): one query, and one per
    prefetch or per-chunk lookup, for each chunk; the memory an export holds is one chunk."""
    return settings.XIANFENG_EXPORT_CHUNK


def chunks(rows, size=None):
    """Lists of up to `size` (chunk_size()) items: the unit a per-chunk lookup runs on."""
    size = size or chunk_size()
    chunk = []
    for item in rows:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def new_book():
    """A write-only workbook (no default sheet: `book.create_sheet(title)` each one)."""
    return Workbook(write_only=True)


def save(book):
    """The workbook in a temporary file, rewound (deleted when closed)."""
    out = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - handed to the response
    book.save(out)
    out.seek(0)
    return out


def download(out, filename):
    """A saved workbook (a temporary file, or a write-only Workbook) → a streamed attachment.

    The file is sent in FileResponse's blocks and closed (so deleted) after the last one.
    """
    if isinstance(out, Workbook):
        out = save(out)
    response = FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)
    del response.headers["Content-Length"]
    return response


def cell(ws, value, *, number_format=None, font=None, alignment=None, fill=None):
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
    if alignment:
        result.alignment = alignment
    if fill:
        result.fill = fill
    return result


def row(ws, values, *, wrap=()):
    """A list of values → cells, ready for `ws.append`; Cells already built pass through.

    `wrap`: 1-based columns whose long text wraps (工作内容, 说明), set as the cell is built
    (write-only sheets cannot be styled afterwards).
    """
    return [
        v if isinstance(v, Cell) else cell(ws, v, alignment=WRAP if index in wrap else None)
        for index, v in enumerate(values, start=1)
    ]


def append(ws, values, *, wrap=()):
    ws.append(row(ws, values, wrap=wrap))


def start_sheet(ws, *, title, headers, widths, title_row=False, comments=None):
    """Print setup, an optional title row and the header row; returns the header's row number.

    `comments`: {0-based column: text} notes on header cells (a write-only sheet takes them
    only as the row is written)."""
    header_row = 2 if title_row else 1
    print_setup(ws, title=title, widths=widths, header_row=header_row)
    if title_row:
        ws.append([cell(ws, title, font=TITLE_FONT)])
    heads = []
    for text in headers:
        head = cell(ws, text, font=HEAD_FONT)
        head.fill = HEAD_FILL
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if comments and len(heads) in comments:
            head.comment = Comment(comments[len(heads)], "先锋")
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
