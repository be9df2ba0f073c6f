"""core.sheets: the one place that turns values into xlsx cells and sets up printing."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from xianfeng.core import sheets


@pytest.mark.parametrize("write_only", [False, True])
def test_formula_characters_are_text_and_values_keep_their_type(write_only):
    book = Workbook(write_only=write_only)
    ws = book.create_sheet("表")
    sheets.start_sheet(ws, title="测试 & 表", headers=["甲", "乙", "丙"], widths=(40, 40, 40))
    risky = ["=1+1", "+86 139", "-2", "@SUM(A1)", "\t=x", "\r=x"]
    sheets.append(ws, risky[:3])
    sheets.append(ws, risky[3:])
    moment = timezone.make_aware(datetime(2024, 5, 6, 7, 8))
    sheets.append(ws, [date(2024, 1, 2), moment, Decimal("15.50")])
    sheets.append(ws, [-5, "含\x01控制符", None])
    out = BytesIO()
    book.save(out)
    ws = load_workbook(out)["表"]
    cells = [c for row in ws.iter_rows(min_row=2, max_row=3) for c in row]
    # XML reading turns a CR into LF; the cell stays text either way.
    assert [c.value for c in cells] == [*risky[:5], "\n=x"]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    day, when, money = ws[4]
    assert day.is_date and day.number_format == "yyyy-mm-dd"
    assert when.value == datetime(2024, 5, 6, 7, 8) and when.is_date
    assert money.value == 15.5 and money.data_type == "n"
    assert ws["A5"].value == -5 and ws["B5"].value == "含控制符"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.oddHeader.center.text == "测试 && 表"
    assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2"


def test_narrow_sheets_print_portrait_with_a_title_row():
    book = Workbook()
    ws = book.active
    assert sheets.start_sheet(ws, title="台账", headers=["甲"], widths=(20,), title_row=True) == 2
    assert ws["A1"].value == "台账" and ws["A2"].value == "甲"
    assert ws.page_setup.orientation == "portrait" and ws.freeze_panes == "A3"
