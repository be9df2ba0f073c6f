import openpyxl
import pytest

from xianfeng.campaigns import imports
from xianfeng.campaigns.models import Case, HousingUnit

from .factories import campaign, recount, table

pytestmark = pytest.mark.django_db

HEAD = [
    "户号*",
    "村(社区)",
    "户主*",
    "户主身份证号",
    "联系电话",
    "人口数",
    "房产坐落",
    "原房面积(平方米)",
    "类别",
    "工作小组",
    "备注",
]


def _book(tmp_path, rows, head=HEAD, name="户档案"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = name
    ws.append(head)
    for row in rows:
        ws.append(row)
    path = tmp_path / "in.xlsx"
    wb.save(path)
    return str(path)


def test_households_are_imported_with_their_counts(world, tmp_path):
    c = campaign(world)
    rows = [
        [
            f"A{i:03d}",
            "东辛村",
            f"户主{i}",
            "",
            "13800000000",
            3,
            "东辛村",
            120,
            "钉子户" if i == 1 else "积极配合",
            "第1党小组",
            "",
        ]
        for i in range(1, 21)
    ]
    outcome = imports.import_cases(c, _book(tmp_path, rows), actor=world.users["admin"])
    assert outcome.ok, outcome.errors
    assert outcome.created == 20
    assert Case.objects.filter(campaign=c).count() == 20
    assert table(c) == dict(recount(c))


def test_any_error_imports_nothing_and_names_row_and_column(world, tmp_path):
    c = campaign(world)
    rows = [
        ["A001", "", "甲", "", "", 2, "", 100, "", "", ""],
        ["A001", "", "乙", "", "", 2, "", 100, "", "", ""],
        ["A003", "", "", "", "", 2, "", 100, "不存在的类", "", ""],
        ["A004", "", "丁", "123", "", "三", "", 100, "", "第9党小组", ""],
    ]
    outcome = imports.import_cases(c, _book(tmp_path, rows), actor=world.users["admin"])
    assert not outcome.ok
    assert Case.objects.filter(campaign=c).count() == 0
    found = {(e["row"], e["column"]) for e in outcome.errors}
    assert (3, "A") in found  # duplicate 户号
    assert (4, "C") in found  # missing 户主
    assert (4, "I") in found  # unknown class
    assert (5, "D") in found  # bad ID number
    assert (5, "J") in found  # unknown group
    reasons = " ".join(e["reason"] for e in outcome.errors)
    assert "与第2行户号重复" in reasons and "没有名为“不存在的类”的类别" in reasons


def test_units_import_and_a_wrong_file_is_refused(world, tmp_path):
    c = campaign(world)
    path = _book(
        tmp_path,
        [["1-1-101", "1号楼", 90, "两室"], ["1-1-102", "1号楼", 120, ""]],
        head=["房号*", "楼号*", "面积(平方米)*", "户型"],
        name="安置房源",
    )
    outcome = imports.import_units(c, path, actor=world.users["admin"])
    assert outcome.ok and HousingUnit.objects.filter(campaign=c).count() == 2
    bad = tmp_path / "x.xlsx"
    bad.write_text("not a workbook")
    outcome = imports.import_units(c, str(bad), actor=world.users["admin"])
    assert not outcome.ok and outcome.errors[0]["reason"]
