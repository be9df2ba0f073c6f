"""The import engine's first half: an xlsx file and a SheetSpec → parsed rows and errors.

Reusable by any later import: give it a spec (columns.py), get back `Sheet.rows`
as (row number, {key: python value}) and `Sheet.errors`, each error a dict
{sheet, row, column, header, value, reason} with a Chinese reason. Reading is
streamed (xlsx.Book) so a 100,000-row file never sits in memory as cells.
"""

import re
import unicodedata
import zipfile
from datetime import date, datetime
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl.utils import get_column_letter

from xianfeng.members import idcard

from .columns import NO, YES
from .xlsx import Book, Uncalculated

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
GUIDE_SHEET = "填写说明"
NOT_XLSX = "文件不是有效的 Excel 文件(.xlsx)，请使用下载的模板填写后上传"
ENCRYPTED = "文件设置了打开密码，系统无法读取。请在 Excel 中打开，点“文件→信息→保护工作簿→用密码进行加密”，清空密码后保存，再上传"
OLD_XLS = "这是旧版 Excel 97-2003 文件(.xls)。请在 Excel 中打开，点“文件→另存为”，保存类型选“Excel 工作簿(*.xlsx)”，再上传"
CSV_FILE = "这是 CSV 文本文件，不是 Excel 工作簿。请在 Excel 中打开，点“文件→另存为”，保存类型选“Excel 工作簿(*.xlsx)”，再上传"
HTML_FILE = "这是网页格式的文件(常见于从其他系统导出的“.xls”)。请在 Excel 中打开，另存为“Excel 工作簿(*.xlsx)”，再上传"
ODS_FILE = "这是 WPS/LibreOffice 的 .ods 表格。请另存为“Excel 工作簿(*.xlsx)”，再上传"
UNCALCULATED = "该单元格是公式，但文件中没有保存计算结果。请在 Excel 中打开文件并保存一次，或把公式改为直接填写的值"
HEADER_SCAN_ROWS = 10
MAX_ERRORS = 1000
_TRUE = {YES, "y", "yes", "true", "1", "√"}
_FALSE = {NO, "n", "no", "false", "0", "×"}
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
# Characters NFKC keeps but a clerk cannot see: zero-width spaces and joiners, BOM.
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")


def clean(text):
    """What a clerk means by a text cell: NFKC (全角 digits, letters, spaces, punctuation), trimmed."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).strip()


def error(sheet, row, column, header, value, reason):
    return {
        "sheet": sheet,
        "row": row,
        "column": column,
        "header": header,
        "value": "" if value is None else str(value)[:100],
        "reason": reason,
    }


def refuse(reason, *, sheet="", row=0):
    return FileRejected([error(sheet, row, "", "", "", reason)])


class FileRejected(Exception):
    """The file as a whole cannot be read (wrong type, empty, no header, too large)."""

    def __init__(self, errors):
        super().__init__(errors[0]["reason"])
        self.errors = errors


class TooManyErrors(Exception):
    """Raised inside reading once MAX_ERRORS cell errors are found."""


class Sheet:
    """Parsed rows of one data sheet, with the letters its columns were found under.

    `typed` keeps each row's cells as read, so an error shows what the clerk typed
    (女, 2001年7月1日), not the value it was turned into (F, 2001-07-01).
    `notes` say which sheet and header row were read and which sheets were ignored.
    """

    def __init__(self, spec, name, letters, positions=None, notes=(), header_row=1):
        self.spec = spec
        self.header_row = header_row
        self.name = name
        self.letters = letters
        self.positions = positions or {}
        self.notes = list(notes)
        self.rows = []
        self.typed = {}
        self.errors = []
        self.error_count = 0
        self.stopped_at = None  # row where reading stopped at MAX_ERRORS

    def add_error(self, row, key, value, reason):
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            column = self.spec.column(key)
            self.errors.append(
                error(self.name, row, self.letters.get(key, ""), column.header, value, reason)
            )

    def typed_value(self, row, key):
        """The cell as the clerk typed it (for error messages), or '' when the column is absent."""
        values, index = self.typed.get(row, ()), self.positions.get(key)
        return _shown(values[index]) if index is not None and index < len(values) else ""

    def sorted_errors(self):
        order = {letter: i for i, letter in enumerate(sorted(self.letters.values(), key=_col_no))}
        errors = sorted(self.errors, key=lambda e: (e["row"], order.get(e["column"], -1)))
        if self.stopped_at or self.error_count > len(self.errors):
            where = f"，第{self.stopped_at}行之后未检查" if self.stopped_at else ""
            reason = f"错误超过{MAX_ERRORS}个，已停止检查{where}；请先修改以上问题后重新上传"
            errors.append(error(self.name, 0, "", "", "", reason))
        return errors


def _col_no(letter):
    n = 0
    for ch in letter:
        n = n * 26 + ord(ch) - 64
    return n


def check_xlsx(path):
    """Reject anything that is not an xlsx zip before openpyxl sees it, saying what it is."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if not head:
        raise refuse("文件为空")
    if head.startswith(OLE_MAGIC):
        raise refuse(ENCRYPTED if _is_encrypted(path) else OLD_XLS)
    if head.startswith(ZIP_MAGIC):
        return
    text = _as_text(head)
    if text is None:
        raise refuse(NOT_XLSX)
    if text.lstrip().startswith("<"):
        raise refuse(HTML_FILE)
    raise refuse(CSV_FILE if re.search(r"[,\t;]", text) else NOT_XLSX)


def _is_encrypted(path):
    """Encrypted xlsx and old .xls share the OLE container; only the former holds EncryptedPackage."""
    with open(path, "rb") as fh:
        return ENCRYPTED_MARK in fh.read(50 * 1024 * 1024)


def _as_text(head):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    return None


def open_book(path):
    check_xlsx(path)
    try:
        return Book(path)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError) as exc:
        raise refuse(_zip_kind(path)) from exc


def _zip_kind(path):
    try:
        with zipfile.ZipFile(path) as zf:
            if "content.xml" in zf.namelist():
                return ODS_FILE
    except (zipfile.BadZipFile, OSError):
        pass
    return NOT_XLSX


def _header_key(text):
    return re.sub(r"[\s*]", "", clean(str(text or "")))


def _find_header(book, name, spec):
    """(row number, values, missing required columns) of the best header in the first rows."""
    by_header = {c.header for c in spec.columns}
    required = [c for c in spec.columns if c.required]
    best = None
    for seen, (row_no, values) in enumerate(book.rows(name)):
        if seen >= HEADER_SCAN_ROWS:
            break
        keys = {_header_key(v) for v in values if isinstance(v, str)}
        missing = [c for c in required if c.header not in keys]
        score = len(keys & by_header)
        if not missing:
            return row_no, values, []
        if score and (best is None or score > best[3]):
            best = (row_no, values, missing, score)
    return best[:3] if best else None


def data_sheet(book, spec):
    """(sheet name, notes): the spec's sheet, else the only visible sheet holding the header.

    Hidden sheets are never read; each one is named in a note.
    """
    notes = [f"已忽略隐藏工作表“{n}”" for n in book.sheetnames if n in book.hidden]
    visible = [n for n in book.sheetnames if n not in book.hidden and n != GUIDE_SHEET]
    if spec.sheet in visible:
        return spec.sheet, notes
    with_header = [n for n in visible if _find_header(book, n, spec)]
    if len(with_header) == 1:
        return with_header[0], notes
    if not with_header:
        raise refuse(f"找不到数据表：请把数据填在名为“{spec.sheet}”的工作表中(第一行为表头)")
    names = "、".join(f"“{n}”" for n in with_header)
    raise refuse(
        f"文件中有多个工作表都像数据表({names})，请把要导入的工作表命名为“{spec.sheet}”，"
        "或删除其他工作表"
    )


def _check_size(book, name):
    """Refuse by the declared size, then by a raw count of the row tags (no parsing, ~0.5 s
    per million rows), before any cell is read: reading would stop at MAX_ERRORS first."""
    limit = settings.XIANFENG_IMPORT_MAX_ROWS
    declared = book.declared_rows(name)
    if declared is not None and declared - 1 > limit:
        raise _too_large(name, declared - 1, limit)
    rows = book.count_rows(name, limit + HEADER_SCAN_ROWS)
    if rows - HEADER_SCAN_ROWS > limit:
        raise _too_large(name, None, limit)
    return limit


def _too_large(name, rows, limit):
    """`rows` as declared by the file, or None when counting stopped past the limit."""
    size = f"有{rows:,}行" if rows is not None else "的行数"
    return refuse(
        f"工作表“{name}”{size}，超过单个文件{limit:,}行的上限，请拆分成多个文件分别导入"
        "(如果实际数据没有这么多，请删除表格下方的空行或格式后再保存)",
        sheet=name,
    )


def count_rows(path, spec):
    """Data rows (cheap, no cell parsing; used to choose between sync and background)."""
    book = open_book(path)
    try:
        name, _notes = data_sheet(book, spec)
        limit = _check_size(book, name)
        rows = max(book.count_rows(name, limit + 1) - 1, 0)
    except (zipfile.BadZipFile, KeyError, OSError, ParseError) as exc:
        raise refuse(NOT_XLSX) from exc
    finally:
        book.close()
    if rows > limit:
        raise _too_large(name, None, limit)
    return rows


def _locate(name, spec, found):
    if found is None:
        raise FileRejected(
            [
                error(name, 1, "", c.header, "", f"缺少必填列“{c.title}”")
                for c in spec.columns
                if c.required
            ]
        )
    row_no, header_row, missing = found
    if missing:
        raise FileRejected(
            [error(name, row_no, "", c.header, "", f"缺少必填列“{c.title}”") for c in missing]
        )
    by_header = {c.header: c for c in spec.columns}
    positions, letters = {}, {}
    for index, text in enumerate(header_row):
        column = by_header.get(_header_key(text)) if isinstance(text, str) else None
        if column and column.key not in positions:
            positions[column.key] = index
            letters[column.key] = get_column_letter(index + 1)
    return positions, letters


def read_sheet(path, spec, progress=None, total=0):
    """Parse every data row; returns a Sheet (rows + cell-level errors) or raises FileRejected.

    The header is the first of the top rows holding every required column (title rows,
    merged or blank rows above it are skipped). `total` (expected data rows) only
    scales the progress callback.
    """
    book = open_book(path)
    try:
        name, notes = data_sheet(book, spec)
        limit = _check_size(book, name)
        sheet = _read_rows(book, name, spec, notes, limit, progress, max(total, 1))
    except (zipfile.BadZipFile, KeyError, OSError, ParseError) as exc:
        raise refuse(NOT_XLSX) from exc
    finally:
        book.close()
    if not sheet.rows:
        raise refuse("表格中没有数据行", sheet=sheet.name, row=sheet.header_row + 1)
    return sheet


def _read_rows(book, name, spec, notes, limit, progress, total):
    found = _find_header(book, name, spec)
    positions, letters = _locate(name, spec, found)
    header_row = found[0]
    note = f"读取工作表“{name}”，第{header_row}行为表头"
    sheet = Sheet(spec, name, letters, positions, [note, *notes], header_row)
    count = 0
    for row_no, values in book.rows(name):
        if row_no <= header_row:
            continue
        count += 1
        if count > limit:
            raise _too_large(name, None, limit)
        if any(v is not None and (not isinstance(v, str) or clean(v)) for v in values):
            sheet.rows.append((row_no, _parse_row(sheet, row_no, values, positions)))
            sheet.typed[row_no] = values
            if sheet.error_count >= MAX_ERRORS:
                sheet.stopped_at = row_no
                break
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
    return "" if raw is None else raw


def parse_cell(column, raw):
    """Cell value → python value for the column's kind; None when empty."""
    if isinstance(raw, Uncalculated):
        raise ValidationError(UNCALCULATED)
    if isinstance(raw, str):
        raw = clean(raw)
    if raw is None or raw == "":
        return None
    parser = _PARSERS[column.kind]
    return parser(column, raw)


def _text(column, raw):
    text = f"{raw:%Y-%m-%d}" if isinstance(raw, datetime | date) else str(_shown(raw)).strip()
    if column.compact:
        text = "".join(text.split())
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
        if text in (label, value) or text == clean(label):
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


def _number(column, raw):
    if isinstance(raw, bool | datetime | date):
        raise ValidationError("应为数值")
    try:
        value = float(raw) if isinstance(raw, int | float) else float(str(raw).strip())
    except ValueError:
        raise ValidationError("应为数值") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationError("应为数值")
    if column.kind == "int":
        if not value.is_integer():
            raise ValidationError("应为整数")
        value = int(value)
    if (column.low is not None and value < column.low) or (
        column.high is not None and value > column.high
    ):
        raise ValidationError("超出范围：应为" + column.rule().split("；")[1].replace("，", ""))
    return value


_PARSERS = {
    "text": _text,
    "id": _id,
    "date": _date,
    "enum": _enum,
    "bool": _bool,
    "int": _number,
    "number": _number,
}
