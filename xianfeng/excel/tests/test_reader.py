"""The import engine's file-level checks and cell parsing, on real xlsx files."""

import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from xianfeng.excel.columns import MEMBER_SPEC
from xianfeng.excel.reader import CSV_FILE, NOT_XLSX, FileRejected, count_rows, read_sheet
from xianfeng.excel.tests.xlsx import member_row, members_file, titles, write
from xianfeng.excel.workbook import write_book


def rejected(path):
    with pytest.raises(FileRejected) as exc:
        read_sheet(path, MEMBER_SPEC)
    return exc.value.errors


def test_csv_named_xlsx_is_refused_saying_it_is_csv(tmp_path):
    path = tmp_path / "members.xlsx"
    path.write_text("姓名,身份证号\n张三,110105194912310021\n", encoding="utf-8")
    assert [e["reason"] for e in rejected(path)] == [CSV_FILE]


def test_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "members.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert [e["reason"] for e in rejected(path)] == [NOT_XLSX]


def test_empty_file(tmp_path):
    path = tmp_path / "members.xlsx"
    path.write_bytes(b"")
    assert [e["reason"] for e in rejected(path)] == ["文件为空"]


def test_header_only_has_no_data_rows(tmp_path):
    path = members_file(tmp_path / "m.xlsx", [])
    assert rejected(path) == [
        {
            "sheet": "党员",
            "row": 2,
            "column": "",
            "header": "",
            "value": "",
            "reason": "表格中没有数据行",
        }
    ]


def test_blank_template_has_no_data_rows(tmp_path):
    out, _ = write_book(MEMBER_SPEC, [])
    path = tmp_path / "blank.xlsx"
    path.write_bytes(out.read())
    assert rejected(path)[0]["reason"] == "表格中没有数据行"


def test_missing_required_header_columns_are_all_named(tmp_path):
    headers = [t for t in titles(MEMBER_SPEC) if t not in ("身份证号*", "入党日期*")]
    path = write(tmp_path / "m.xlsx", headers, [["张三"]])
    errors = rejected(path)
    assert [(e["row"], e["header"], e["reason"]) for e in errors] == [
        (1, "身份证号", "缺少必填列“身份证号*”"),
        (1, "入党日期", "缺少必填列“入党日期*”"),
    ]


def test_columns_found_by_header_in_any_order_and_star_optional(tmp_path):
    row = member_row()
    headers = ["所在组织代码", "党员类别", "入党日期", "身份证号", "姓名"]
    values = [row["org_code"], row["category"], row["joined_on"], row["id_number"], row["name"]]
    sheet = read_sheet(write(tmp_path / "m.xlsx", headers, [values]), MEMBER_SPEC)
    assert sheet.errors == []
    assert sheet.letters["id_number"] == "D"
    ((_row, data),) = sheet.rows
    assert data["org_code"] == "B1" and data["category"] == "full" and data["ethnicity"] == "汉族"


def test_cells_are_parsed_by_kind(tmp_path):
    row = member_row(
        birth_date="1985/3/9",
        joined_on=datetime(2010, 7, 1),
        confirmed_on=20110701,
        phone=13800001111,
        gender="F",
        category="正式党员",
    )
    sheet = read_sheet(members_file(tmp_path / "m.xlsx", [row]), MEMBER_SPEC)
    ((_row, data),) = sheet.rows
    assert sheet.errors == []
    assert data["birth_date"] == date(1985, 3, 9)
    assert data["joined_on"] == date(2010, 7, 1)
    assert data["confirmed_on"] == date(2011, 7, 1)
    assert data["phone"] == "13800001111"
    assert data["gender"] == "F"


def test_cell_errors_name_row_column_value_and_reason(tmp_path):
    rows = [
        member_row(),
        member_row(id_number=110105194912310021, gender="男女", joined_on="2010-13-01"),
        member_row(name=None, category="党员"),
    ]
    sheet = read_sheet(members_file(tmp_path / "m.xlsx", rows), MEMBER_SPEC)
    got = [
        (e["row"], e["column"], e["header"], e["value"], e["reason"]) for e in sheet.sorted_errors()
    ]
    assert got == [
        (
            3,
            "B",
            "身份证号",
            "110105194912310000",
            "身份证号被存成了数字，请将该列设为文本格式后重新填写",
        ),
        (3, "C", "性别", "男女", "“男女”不是有效选项，应为：男、女"),
        (3, "L", "入党日期", "2010-13-01", "日期无效，格式应为 yyyy-mm-dd"),
        (4, "A", "姓名", "", "“姓名”为必填项"),
        (4, "N", "党员类别", "党员", "“党员”不是有效选项，应为：正式党员、预备党员"),
    ]


def test_blank_rows_are_skipped_and_row_numbers_kept(tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "党员"
    ws.append(titles(MEMBER_SPEC))
    ws.append([])
    keys = [c.key for c in MEMBER_SPEC.columns]
    row = member_row()
    ws.cell(row=5, column=1)  # untouched cell: no row data
    for index, key in enumerate(keys, start=1):
        ws.cell(row=6, column=index, value=row[key])
    path = tmp_path / "m.xlsx"
    book.save(path)
    sheet = read_sheet(path, MEMBER_SPEC)
    assert [r for r, _ in sheet.rows] == [6]


def test_guide_sheet_first_is_not_read_as_data(tmp_path):
    book = Workbook()
    book.active.title = "填写说明"
    book["填写说明"].append(["说明"])
    ws = book.create_sheet("Sheet1")
    ws.append(titles(MEMBER_SPEC))
    row = member_row()
    ws.append([row[c.key] for c in MEMBER_SPEC.columns])
    path = tmp_path / "m.xlsx"
    book.save(path)
    sheet = read_sheet(path, MEMBER_SPEC)
    assert sheet.name == "Sheet1" and len(sheet.rows) == 1


def test_count_rows_without_parsing(tmp_path):
    path = members_file(tmp_path / "m.xlsx", [member_row() for _ in range(7)])
    assert count_rows(path, MEMBER_SPEC) == 7
    out, _ = write_book(MEMBER_SPEC, [[None] * len(MEMBER_SPEC.columns)] * 3)
    exported = tmp_path / "e.xlsx"
    exported.write_bytes(out.read())
    assert count_rows(exported, MEMBER_SPEC) == 3


def test_equal_inline_texts_and_dates_are_kept_once(tmp_path):
    """openpyxl (our exports, the bench's files) writes every text inline; the importer keeps
    every row's cells, so equal cells must come back as one object, as shared strings do."""
    from xianfeng.excel.xlsx import Book, Uncalculated

    book = Workbook(write_only=True)
    ws = book.create_sheet("党员")
    for n in range(3):
        ws.append(["汉族", f"1390000000{n}", datetime(1990, 1, 2), "=A1"])
    path = tmp_path / "inline.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as z:
        assert b"inlineStr" in z.read("xl/worksheets/sheet1.xml")
    reader = Book(path)
    rows = [values for _no, values in reader.rows("党员")]
    reader.close()
    assert [r[0] for r in rows] == ["汉族"] * 3
    assert rows[0][0] is rows[1][0] is rows[2][0]
    assert rows[0][2] is rows[2][2] and rows[0][2] == datetime(1990, 1, 2)
    assert len({id(r[1]) for r in rows}) == 3
    assert all(type(r[3]) is Uncalculated for r in rows)
