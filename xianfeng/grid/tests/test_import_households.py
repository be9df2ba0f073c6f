"""住户 from real xlsx files through the excel job flow: all or nothing, row/column errors in
Chinese, addresses normalised, households matched to their building, update mode, export."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xianfeng.excel.models import ImportJob
from xianfeng.excel.services import import_file
from xianfeng.grid.imports import HOUSEHOLD_SPEC, normalize_address
from xianfeng.grid.models import Household
from xianfeng.resident_requests.tests.shapes import draw
from xianfeng.testing import FORMULA_TEXT, assert_safe_and_printable

HEADERS = [c.title for c in HOUSEHOLD_SPEC.columns]
KEYS = [c.key for c in HOUSEHOLD_SPEC.columns]


def write(path, rows, *, headers=HEADERS, title_row=False):
    book = Workbook()
    ws = book.active
    ws.title = "住户"
    if title_row:
        ws.append(["瑞祥社区住户名单（2026年）"])
    ws.append(headers)
    for row in rows:
        ws.append([row.get(k) for k in KEYS])
    book.save(path)
    return path


def row(**values):
    base = {"grid_code": "RX-01", "address": "5号楼2单元301", "head_name": "王秀英"}
    return base | values


def upload(client, path, mode="create"):
    with open(path, "rb") as fh:
        return client.post(reverse("excel:upload", args=["households"]), {"file": fh, "mode": mode})


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("３＃ 101室", "3号楼101"),
        ("3栋1单元 101", "3号楼1单元101"),
        ("1号楼—1单元－101", "1号楼-1单元-101"),
        ("  1号楼1单元101 ", "1号楼1单元101"),
    ],
)
def test_addresses_are_normalised(typed, normal):
    assert normalize_address(typed) == normal


def test_a_file_is_previewed_then_written_and_matched_to_buildings(gw, world, login, tmp_path):
    draw(gw)
    path = write(
        tmp_path / "住户.xlsx",
        [
            row(address="１号楼 1单元101室", phone="139 1234 5678", tags="高龄老人，独居", size=3),
            row(address="2单元201", building="2号楼", is_party_household="是"),
            row(address="无楼栋 8号", latitude=36.651, longitude=117.115),  # inside 2号楼
            row(address="东院3号"),
        ],
        title_row=True,
    )
    client = login(world.users["street_admin"])
    upload(client, path)
    job = ImportJob.objects.get()
    assert job.status == "preview", job.errors
    assert job.result["new"] == 4 and "第2行为表头" in "".join(job.result["notes"])
    assert not Household.objects.exists()
    client.post(reverse("excel:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.result["created"] == 4
    first = Household.objects.get(address="1号楼1单元101")
    assert first.grid == gw.building1 and first.phone == "13912345678" and first.size == 3
    assert sorted(t.tag for t in first.tags.all()) == ["alone", "elderly"]
    second = Household.objects.get(address="2单元201")
    assert second.grid == gw.building2 and second.is_party_household
    assert Household.objects.get(address="无楼栋8号").grid == gw.building2
    assert Household.objects.get(address="东院3号").grid == gw.grid1


def test_every_error_is_listed_and_nothing_is_written(gw, world, tmp_path):
    Household.objects.create(grid=gw.grid1, address="东院3号", head_name="旧")
    path = write(
        tmp_path / "坏.xlsx",
        [
            row(address="东院 3号"),  # already there (create mode)
            row(grid_code="NOPE"),
            row(grid_code="SLB"),  # 十里堡村: outside the street admin's subtree
            row(address="甲1号", building="9号楼"),
            row(address="甲2号", size="三口", phone="138****1234"),
            row(address="甲3号", latitude=36.651),
            row(address="甲4号", tags="困难户"),
            row(address="甲5号"),
            row(address="甲 5号"),
            row(address="甲6号", latitude=36.7, longitude=117.3),  # drawn grids are elsewhere
        ],
    )
    draw(gw)
    job = import_file(path, "households", actor=world.users["street_admin"])
    assert job.status == "failed"
    reasons = {(e["row"], e["header"]): e["reason"] for e in job.errors}
    assert "该门牌已登记" in reasons[(2, "门牌地址")]
    assert reasons[(3, "网格编码")] == "网格编码不存在"
    assert reasons[(4, "网格编码")] == "无权导入到该网格"
    assert "下没有名为“9号楼”的楼栋或片区" in reasons[(5, "楼栋/片区")]
    assert reasons[(6, "人口数")] == "应为数值"
    assert "脱敏" in reasons[(6, "联系电话")]
    assert "同时填写" in reasons[(7, "经度")]
    assert "未知标签：困难户" in reasons[(8, "关爱标签")]
    assert reasons[(9, "门牌地址")] == "门牌与第10行重复"
    assert "坐标不在“第一网格”的范围内" in reasons[(11, "纬度")]
    assert Household.objects.count() == 1


def test_update_mode_changes_only_what_differs(gw, world, tmp_path):
    kept = Household.objects.create(grid=gw.grid1, address="东院3号", head_name="旧", size=2)
    same = Household.objects.create(grid=gw.grid1, address="东院4号", head_name="同")
    path = write(
        tmp_path / "改.xlsx",
        [row(address="东院 3号", head_name="新", size=2), row(address="东院4号", head_name="同")],
    )
    job = import_file(path, "households", actor=world.users["street_admin"], mode="update")
    assert job.status == "done", job.errors
    assert (job.result["updated"], job.result["unchanged"]) == (1, 1)
    assert Household.objects.get(pk=kept.pk).head_name == "新"
    assert Household.objects.get(pk=same.pk).head_name == "同"
    unknown = write(tmp_path / "新.xlsx", [row(address="西院1号")])
    job = import_file(unknown, "households", actor=world.users["street_admin"], mode="update")
    assert job.status == "failed" and "系统中没有该住户" in job.errors[0]["reason"]


def test_template_and_export_round_trip(gw, world, login, tmp_path):
    client = login(world.users["street_admin"])
    template = client.get(reverse("excel:template", args=["households"]))
    book = load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    assert book.sheetnames == ["住户", "填写说明"] and book["住户"]["A1"].value == "网格编码*"
    Household.objects.create(
        grid=gw.building1,
        address="1单元101",
        head_name="王",
        phone="13800001234",
        note=FORMULA_TEXT,
    )
    observer = login(world.users["org_officer"])  # may change grids, may not see full contacts
    masked = observer.get(reverse("grid:households_export", args=[gw.community.pk]))
    ws = load_workbook(io.BytesIO(b"".join(masked.streaming_content)))["住户"]
    assert [c.value for c in ws[2]][:5] == ["RX-01-01", None, "1单元101", "王", "138****1234"]
    assert_safe_and_printable(ws)
    full = login(world.users["street_admin"]).get(
        reverse("grid:households_export", args=[gw.community.pk]),
        {"unmasked": "1", "reason": "住户信息核对"},
    )
    out = tmp_path / "导出.xlsx"
    out.write_bytes(b"".join(full.streaming_content))
    job = import_file(out, "households", actor=world.users["street_admin"], mode="both")
    assert job.status == "done" and job.result["unchanged"] == 1, job.errors
    outsider = login(world.users["outsider"]).get(
        reverse("grid:households_export", args=[gw.community.pk])
    )
    assert outsider.status_code == 404
