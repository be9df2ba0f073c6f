"""A lean streaming reader of xlsx cell values.

openpyxl's read-only mode costs ~20 µs per cell in Python object construction and,
for files written without a <dimension> element (openpyxl's own write-only output,
i.e. our exports), scans the whole sheet once more just to open it. Imports only
need values, so this reads the sheet XML with the C expat parser and turns cells
into str / int / float / bool / datetime the way openpyxl would (dates by the
cell's number format). Templates and exports are still written with openpyxl.
"""

import posixpath
import re
import zipfile
from datetime import datetime
from xml.etree.ElementTree import iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Built-in number formats that Chinese-locale Excel shows as dates (ECMA-376 18.8.30).
CJK_DATE_FORMATS = set(range(27, 37)) | set(range(50, 59))
_ROW, _C, _V, _F, _T, _IS, _SI, _RPH, _SHEET_DATA = (
    f"{NS}row",
    f"{NS}c",
    f"{NS}v",
    f"{NS}f",
    f"{NS}t",
    f"{NS}is",
    f"{NS}si",
    f"{NS}rPh",
    f"{NS}sheetData",
)
_LETTERS = re.compile(r"[A-Z]+")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="(?:[A-Z]+\d+:)?[A-Z]+(\d+)"')


class Uncalculated(str):
    """A formula cell saved without its result (written by a program, never opened in Excel)."""


class Book:
    """Sheet names, shared strings and date styles of one xlsx file; read rows per sheet."""

    def __init__(self, path):
        self.zip = zipfile.ZipFile(path)
        self.sheets, self.hidden, self.epoch = self._workbook()
        self._strings = None
        self._date_styles = None

    def close(self):
        self.zip.close()

    @property
    def sheetnames(self):
        return list(self.sheets)

    def _read_xml(self, name):
        return iterparse(self.zip.open(name), events=("end",))

    def _workbook(self):
        rels = {}
        for _event, el in self._read_xml("xl/_rels/workbook.xml.rels"):
            if el.tag == f"{PKG_REL_NS}Relationship":
                target = el.get("Target")
                target = (
                    target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
                )
                rels[el.get("Id")] = posixpath.normpath(target)
        sheets, hidden, epoch = {}, set(), WINDOWS_EPOCH
        for _event, el in self._read_xml("xl/workbook.xml"):
            if el.tag == f"{NS}sheet":
                sheets[el.get("name")] = rels[el.get(f"{REL_NS}id")]
                if el.get("state") in ("hidden", "veryHidden"):
                    hidden.add(el.get("name"))
            elif el.tag == f"{NS}workbookPr" and el.get("date1904") in ("1", "true"):
                epoch = MAC_EPOCH
        return sheets, hidden, epoch

    @property
    def strings(self):
        if self._strings is None:
            self._strings = []
            if "xl/sharedStrings.xml" in self.zip.namelist():
                for _event, el in self._read_xml("xl/sharedStrings.xml"):
                    if el.tag == _SI:
                        self._strings.append(_text_of(el))
                        el.clear()
        return self._strings

    @property
    def date_styles(self):
        """Indexes of cell formats (xf) whose number format shows a date."""
        if self._date_styles is None:
            self._date_styles = set()
            if "xl/styles.xml" in self.zip.namelist():
                self._date_styles = self._read_date_styles()
        return self._date_styles

    def _read_date_styles(self):
        custom, xfs, in_cell_xfs = {}, [], False
        for event, el in iterparse(self.zip.open("xl/styles.xml"), events=("start", "end")):
            if el.tag == f"{NS}numFmt" and event == "end":
                custom[int(el.get("numFmtId"))] = el.get("formatCode") or ""
            elif el.tag == f"{NS}cellXfs":
                in_cell_xfs = event == "start"
            elif el.tag == f"{NS}xf" and in_cell_xfs and event == "end":
                xfs.append(int(el.get("numFmtId") or 0))
        dates = set()
        for index, fmt_id in enumerate(xfs):
            code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, ""))
            if fmt_id in CJK_DATE_FORMATS or is_date_format(code):
                dates.add(index)
        return dates

    def declared_rows(self, sheet):
        """The last row named by the sheet's <dimension> element, or None (it is optional)."""
        with self.zip.open(self.sheets[sheet]) as fh:
            head = fh.read(1 << 16)
        match = _DIMENSION.search(head)
        return int(match.group(1)) if match else None

    def count_rows(self, sheet, limit=None):
        """Rows in the sheet, counted from the raw XML (no parsing); stops once past `limit`."""
        count, tail = 0, b""
        with self.zip.open(self.sheets[sheet]) as fh:
            while chunk := fh.read(1 << 20):
                data = tail + chunk
                count += data.count(b"<row ") + data.count(b"<row>")
                tail = data[-5:]
                count -= tail.count(b"<row ") + tail.count(b"<row>")
                if limit is not None and count > limit:
                    return count
        return count + tail.count(b"<row ") + tail.count(b"<row>")

    def rows(self, sheet):
        """Yield (row number, list of values) for every row that has cells.

        Each row is dropped from the tree once yielded, so memory stays flat whatever
        the sheet's size. Equal inline texts and equal dates come back as one object
        (`seen`): a caller that keeps every row (the importer keeps the cells as typed,
        for its error messages) then holds "汉族" once, not once per row, as it would
        from a file with shared strings (Excel's). Files written by openpyxl, our own
        exports among them, store every text inline.
        """
        strings, dates, epoch = self.strings, self.date_styles, self.epoch
        seen = {}
        parser = iterparse(self.zip.open(self.sheets[sheet]), events=("start", "end"))
        data, row_no = None, 0
        for event, el in parser:
            if event == "start":
                if el.tag == _SHEET_DATA:
                    data = el
                continue
            if el.tag != _ROW:
                continue
            values = []
            for cell in el.iter(_C):
                ref = cell.get("r")
                if ref:
                    index = _column_index(_LETTERS.match(ref).group())
                    if index > len(values):
                        values.extend([None] * (index - len(values)))
                value = _value(cell, strings, dates, epoch)
                if value.__class__ in _SHARED:
                    value = seen.setdefault(value, value)
                values.append(value)
            row_no = int(el.get("r") or row_no + 1)
            yield row_no, values
            el.clear()
            if data is not None:
                data.clear()


_SHARED = (str, datetime)  # immutable values worth sharing (not Uncalculated: its type matters)


def _column_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _text_of(el):
    """Text of a shared/inline string, without phonetic (rPh) runs."""
    parts = []
    for child in el:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag != _RPH:
            parts.extend(t.text or "" for t in child.iter(_T))
    return "".join(parts)


def _value(cell, strings, dates, epoch):
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(_IS)
        return _text_of(inline) if inline is not None else None
    v = cell.find(_V)
    if v is None or v.text is None:
        formula = cell.find(_F)
        if formula is not None and formula.text:
            return Uncalculated(f"={formula.text}")
        return None
    text = v.text
    if kind == "s":
        return strings[int(text)]
    if kind in ("str", "e"):
        return text
    if kind == "b":
        return text == "1"
    if kind == "d":
        return text
    style = cell.get("s")
    if style and int(style) in dates:
        return from_excel(float(text), epoch)
    return int(text) if text.lstrip("-").isdigit() else float(text)
