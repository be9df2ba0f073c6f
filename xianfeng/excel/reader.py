"""The import engine's first half: an xlsx file and a SheetSpec → parsed rows and errors.

Reusable by any later import: give it a spec (columns.py), get back `Sheet.rows`
as (row number, {key: python value}) and `Sheet.errors`, each error a dict
{sheet, row, column, header, value, reason} with a Chinese reason. Reading is
streamed (xlsx.Book) so a 100,000-row file never sits in memory as cells.
"""

import re
import zipfile
from datetime import date, datetime
from xml.etree.ElementTree import ParseError

from django.core.exceptions import ValidationError
from openpyxl.utils import get_column_letter

from xianfeng.members import idcard

from .columns import NO, YES
from .xlsx import Book

ZIP_MAGIC = b"PK\x03\x04"
GUIDE_SHEET = "填写说明"
NOT_XLSX = "文件不是有效的 Excel 文件(.xlsx)，请使用下载的模板填写后上传"
_TRUE = {YES, "y", "yes", "true", "1", "√"}
_FALSE = {NO, "n", "no", "false", "0", "×"}
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def error(sheet, row, column, header, value, reason):
    return {
        "sheet": sheet,
        "row": row,
        "column": column,
        "header": header,
        "value": "" if value is None else str(value)[:100],
        "reason": reason,
    }


class FileRejected(Exception):
    """The file as a whole cannot be read (wrong type, empty, no header)."""

    def __init__(self, errors):
        super().__init__(errors[0]["reason"])
        self.errors = errors


class Sheet:
    """Parsed rows of one data sheet, with the letters its columns were found under."""

    def __init__(self, spec, name, letters):
        self.spec = spec
        self.name = name
        self.letters = letters
        self.rows = []
        self.errors = []

    def add_error(self, row, key, value, reason):
        column = self.spec.column(key)
        self.errors.append(
            error(self.name, row, self.letters.get(key, ""), column.header, value, reason)
        )

    def sorted_errors(self):
        order = {letter: i for i, letter in enumerate(sorted(self.letters.values(), key=_col_no))}
        return sorted(self.errors, key=lambda e: (e["row"], order.get(e["column"], -1)))


def _col_no(letter):
    n = 0
    for ch in letter:
        n = n * 26 + ord(ch) - 64
    return n


def check_xlsx(path):
    """Reject anything that is not a zip container before openpyxl sees it."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if not head:
        raise FileRejected([error("", 0, "", "", "", "文件为空")])
    if head != ZIP_MAGIC:
        raise FileRejected([error("", 0, "", "", "", NOT_XLSX)])


def open_book(path):
    check_xlsx(path)
    try:
        return Book(path)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError) as exc:
        raise FileRejected([error("", 0, "", "", "", NOT_XLSX)]) from exc


def data_sheet(book, spec):
    """Name of the sheet holding the data: the spec's sheet, else the first non-guide sheet."""
    if spec.sheet in book.sheetnames:
        return spec.sheet
    candidates = [name for name in book.sheetnames if name != GUIDE_SHEET]
    if not candidates:
        raise FileRejected([error("", 0, "", "", "", f"找不到工作表“{spec.sheet}”")])
    return candidates[0]


def count_rows(path, spec):
    """Data rows (cheap, no cell parsing; used to choose between sync and background)."""
    book = open_book(path)
    try:
        return max(book.count_rows(data_sheet(book, spec)) - 1, 0)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise FileRejected([error("", 0, "", "", "", NOT_XLSX)]) from exc
    finally:
        book.close()


def _header_key(text):
    return re.sub(r"[\s*＊]", "", str(text or ""))


def _locate(name, spec, header_row):
    by_header = {c.header: c for c in spec.columns}
    positions, letters = {}, {}
    for index, text in enumerate(header_row or ()):
        column = by_header.get(_header_key(text))
        if column and column.key not in positions:
            positions[column.key] = index
            letters[column.key] = get_column_letter(index + 1)
    missing = [c for c in spec.columns if c.required and c.key not in positions]
    if missing:
        raise FileRejected(
            [error(name, 1, "", c.header, "", f"缺少必填列“{c.title}”") for c in missing]
        )
    return positions, letters


def read_sheet(path, spec, progress=None, total=0):
    """Parse every data row; returns a Sheet (rows + cell-level errors) or raises FileRejected.

    The first row with any cell is the header. `total` (expected data rows) only
    scales the progress callback.
    """
    book = open_book(path)
    try:
        name = data_sheet(book, spec)
        sheet = _read_rows(book, name, spec, progress, max(total, 1))
    except (zipfile.BadZipFile, KeyError, OSError, ParseError) as exc:
        raise FileRejected([error("", 0, "", "", "", NOT_XLSX)]) from exc
    finally:
        book.close()
    if not sheet.rows:
        raise FileRejected([error(sheet.name, 2, "", "", "", "表格中没有数据行")])
    return sheet


def _read_rows(book, name, spec, progress, total):
    rows = book.rows(name)
    header = next(rows, (1, None))[1]
    positions, letters = _locate(name, spec, header)
    sheet = Sheet(spec, name, letters)
    for count, (row_no, values) in enumerate(rows, start=1):
        if any(v is not None and str(v).strip() for v in values):
            sheet.rows.append((row_no, _parse_row(sheet, row_no, values, positions)))
        if progress and count % 2000 == 0:
            progress(min(count / total, 1.0))
    return sheet


def _parse_row(sheet, row_no, values, positions):
    data = {}
    for column in sheet.spec.columns:
        index = positions.get(column.key)
        raw = values[index] if index is not None and index < len(values) else None
        try:
            value = parse_cell(column, raw)
        except ValidationError as exc:
            sheet.add_error(row_no, column.key, _shown(raw), exc.messages[0])
            value = None
        else:
            if value is None and column.required:
                sheet.add_error(row_no, column.key, "", f"“{column.header}”为必填项")
        data[column.key] = column.default if value is None else value
    return data


def _shown(raw):
    if isinstance(raw, datetime):
        return f"{raw:%Y-%m-%d}"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return raw


def parse_cell(column, raw):
    """Cell value → python value for the column's kind; None when empty."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    parser = _PARSERS[column.kind]
    return parser(column, raw)


def _text(column, raw):
    text = f"{raw:%Y-%m-%d}" if isinstance(raw, datetime | date) else str(_shown(raw)).strip()
    if column.max_length and len(text) > column.max_length:
        raise ValidationError(f"不能超过{column.max_length}个字")
    return text


def _id(column, raw):
    if not isinstance(raw, str):
        raise ValidationError("身份证号被存成了数字，请将该列设为文本格式后重新填写")
    number = idcard.normalize(raw)
    idcard.parse(number)
    return number


def _date(column, raw):
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _shown(raw)
    text = str(text).strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = _DATE_RE.match(text)
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise ValidationError("日期无效，格式应为 yyyy-mm-dd")


def _enum(column, raw):
    text = str(_shown(raw)).strip()
    for value, label in column.choices:
        if text in (label, value):
            return value
    raise ValidationError(f"“{text}”不是有效选项，应为：{'、'.join(column.labels)}")


def _bool(column, raw):
    if isinstance(raw, bool):
        return raw
    text = str(_shown(raw)).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(f"应填“{YES}”或“{NO}”")


_PARSERS = {"text": _text, "id": _id, "date": _date, "enum": _enum, "bool": _bool}
