"""Files as clerks really make them: 全角 input, title rows, hidden and renamed sheets,
huge declared sizes, passwords, old formats and formulas without saved results."""

import re
import time
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from xianfeng.excel import reader
from xianfeng.excel.columns import MEMBER_SPEC
from xianfeng.excel.importers import import_members
from xianfeng.excel.reader import FileRejected, count_rows, read_sheet
from xianfeng.excel.tests.xlsx import member_row, members_file, titles

KEYS = [c.key for c in MEMBER_SPEC.columns]
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def rejected(path):
    with pytest.raises(FileRejected) as exc:
        read_sheet(path, MEMBER_SPEC)
    return [e["reason"] for e in exc.value.errors]


def book_with(rows, *, title="党员"):
    book = Workbook()
    ws = book.active
    ws.title = title
    for row in rows:
        ws.append(row)
    return book, ws


def test_full_width_and_odd_spaces_are_normalised_before_any_check(world, tmp_path):
    row = member_row()
    typed = dict(
        row,
        id_number="\u3000" + row["id_number"].translate(FULL_WIDTH) + "\u200b",
        phone="１３８ 0000 1111".replace(" ", "\xa0").strip(),
        joined_on="２０１０年７月１日",
        gender=" 女\u3000",
        org_code="Ｂ１",
    )
    path = members_file(tmp_path / "m.xlsx", [typed])
    sheet = read_sheet(path, MEMBER_SPEC)
    assert sheet.errors == []
    ((_row, data),) = sheet.rows
    assert data["id_number"] == row["id_number"] and data["org_code"] == "B1"
    assert data["joined_on"] == date(2010, 7, 1) and data["gender"] == "F"
    assert data["phone"] == "13800001111"
    assert import_members(path, actor=world.users["org_officer"]).ok
    # The same person typed with ordinary digits is now a duplicate, not a second member.
    again = import_members(members_file(tmp_path / "n.xlsx", [row]), actor=None)
    assert [e["reason"] for e in again.errors] == [
        "身份证号已存在于系统中；如要更新已有党员，请选择“只更新”或“新增并更新”"
    ]


def test_title_rows_and_merged_cells_above_the_header(tmp_path):
    row = member_row()
    book, ws = book_with(
        [["北关社区党员花名册"], ["填报单位：北关社区党支部", None, "日期：2024-05-01"], []]
    )
    ws.merge_cells("A1:Q1")
    ws.append(titles(MEMBER_SPEC))
    ws.append([row[k] for k in KEYS])
    ws.append([row[k] if k != "joined_on" else "2010-13-01" for k in KEYS])
    book.save(tmp_path / "m.xlsx")
    sheet = read_sheet(tmp_path / "m.xlsx", MEMBER_SPEC)
    assert sheet.notes[0] == "读取工作表“党员”，第4行为表头"
    assert [r for r, _ in sheet.rows] == [5, 6]
    assert [(e["row"], e["column"]) for e in sheet.errors] == [(6, "L")]


def test_missing_column_is_reported_on_the_row_taken_as_header(tmp_path):
    headers = [t for t in titles(MEMBER_SPEC) if t != "入党日期*"]
    book, _ws = book_with([["花名册"], headers, ["张三"]])
    book.save(tmp_path / "m.xlsx")
    with pytest.raises(FileRejected) as exc:
        read_sheet(tmp_path / "m.xlsx", MEMBER_SPEC)
    assert [(e["row"], e["reason"]) for e in exc.value.errors] == [(2, "缺少必填列“入党日期*”")]


def test_hidden_sheets_are_ignored_and_a_renamed_sheet_is_found(tmp_path):
    row = member_row()
    book, _empty = book_with([], title="Sheet1")
    data = book.create_sheet("2024年花名册")
    data.append(titles(MEMBER_SPEC))
    data.append([row[k] for k in KEYS])
    old = book.create_sheet("旧名单")
    old.append(titles(MEMBER_SPEC))
    old.append([row[k] for k in KEYS])
    old.sheet_state = "hidden"
    book.save(tmp_path / "m.xlsx")
    sheet = read_sheet(tmp_path / "m.xlsx", MEMBER_SPEC)
    assert sheet.name == "2024年花名册" and len(sheet.rows) == 1
    assert sheet.notes == ["读取工作表“2024年花名册”，第1行为表头", "已忽略隐藏工作表“旧名单”"]


def test_two_visible_data_sheets_without_the_template_name_are_refused(tmp_path):
    book, first = book_with([titles(MEMBER_SPEC)], title="一支部")
    second = book.create_sheet("二支部")
    second.append(titles(MEMBER_SPEC))
    book.save(tmp_path / "m.xlsx")
    assert "多个工作表" in rejected(tmp_path / "m.xlsx")[0]


def _declare(path, rows):
    """Rewrite the data sheet's <dimension> to claim `rows` rows (what a zip bomb does)."""
    src = zipfile.ZipFile(path)
    items = {n: src.read(n) for n in src.namelist()}
    src.close()
    name = "xl/worksheets/sheet1.xml"
    items[name] = re.sub(
        rb'<dimension ref="[^"]+"', f'<dimension ref="A1:Q{rows}"'.encode(), items[name]
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for n, content in items.items():
            out.writestr(n, content)
    return path


def test_a_sheet_declaring_a_million_rows_is_refused_at_once(tmp_path):
    path = _declare(members_file(tmp_path / "m.xlsx", [member_row()]), 1_000_001)
    started = time.monotonic()
    reasons = rejected(path)
    assert "1,000,000行，超过单个文件100,000行的上限" in reasons[0]
    with pytest.raises(FileRejected):
        count_rows(path, MEMBER_SPEC)
    assert time.monotonic() - started < 1


def test_rows_beyond_the_limit_are_refused_even_without_a_declared_size(tmp_path, settings):
    settings.XIANFENG_IMPORT_MAX_ROWS = 3
    path = members_file(tmp_path / "m.xlsx", [member_row() for _ in range(5)])
    _declare(path, 2)  # lies about its size
    assert "超过单个文件3行的上限" in rejected(path)[0]


def test_reading_stops_at_the_error_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ERRORS", 10)
    rows = [member_row(joined_on="不是日期", category="党员") for _ in range(30)]
    sheet = read_sheet(members_file(tmp_path / "m.xlsx", rows), MEMBER_SPEC)
    assert len(sheet.rows) == 5 and len(sheet.errors) == 10
    assert sheet.sorted_errors()[-1]["reason"].startswith("错误超过10个，已停止检查")


def test_encrypted_file_is_named_as_such(tmp_path):
    path = tmp_path / "m.xlsx"
    path.write_bytes(reader.OLE_MAGIC + b"\0" * 600 + "EncryptedPackage".encode("utf-16-le"))
    assert rejected(path) == [reader.ENCRYPTED]


def test_old_xls_says_how_to_save_as_xlsx(tmp_path):
    path = tmp_path / "m.xls"
    path.write_bytes(reader.OLE_MAGIC + b"\0" * 600 + "Workbook".encode("utf-16-le"))
    assert rejected(path) == [reader.OLD_XLS]
    assert "另存为" in reader.OLD_XLS and "xlsx" in reader.OLD_XLS


def test_html_disguised_as_xls_and_ods(tmp_path):
    html = tmp_path / "m.xls"
    html.write_text("<html><table><tr><td>姓名</td></tr></table></html>", encoding="gbk")
    assert rejected(html) == [reader.HTML_FILE]
    ods = tmp_path / "m.xlsx"
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    assert rejected(ods) == [reader.ODS_FILE]


def test_formula_without_saved_result_is_not_reported_as_empty(tmp_path):
    row = member_row()
    book, ws = book_with([titles(MEMBER_SPEC), [row[k] for k in KEYS]])
    ws["L2"] = "=DATE(2010,7,1)"  # openpyxl saves formulas without a cached result
    book.save(tmp_path / "m.xlsx")
    sheet = read_sheet(tmp_path / "m.xlsx", MEMBER_SPEC)
    assert [(e["column"], e["value"], e["reason"]) for e in sheet.errors] == [
        ("L", "=DATE(2010,7,1)", reader.UNCALCULATED)
    ]


def test_error_value_is_what_the_clerk_typed(world, tmp_path):
    row = member_row(gender="男", joined_on="２０１０年７月１日", birth_date=None)
    outcome = import_members(members_file(tmp_path / "m.xlsx", [row]), actor=None)
    assert [(e["header"], e["value"]) for e in outcome.errors] == [("性别", "男")]
