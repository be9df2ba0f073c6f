"""import_orgs / import_members / export_members management commands."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from xianfeng.excel.models import ImportJob
from xianfeng.excel.tests.xlsx import member_row, members_file, org_row, orgs_file
from xianfeng.members.models import Member
from xianfeng.orgs.models import Organization


def test_import_members_command(world, tmp_path, capsys):
    rows = [member_row(), member_row(org_code="B3")]
    call_command("import_members", str(members_file(tmp_path / "m.xlsx", rows)))
    assert "新增 2 条，修改 0 条" in capsys.readouterr().out
    assert Member.objects.filter(id_number__in=[r["id_number"] for r in rows]).count() == 2
    assert ImportJob.objects.get().via_command
    rows[0]["employer"] = "新单位"
    call_command("import_members", str(members_file(tmp_path / "n.xlsx", rows)), "--mode", "update")
    assert "新增 0 条，修改 1 条，1 条未变" in capsys.readouterr().out
    assert Member.objects.get(id_number=rows[0]["id_number"]).employer == "新单位"


def test_import_members_command_prints_errors_and_fails(world, tmp_path, capsys):
    rows = [member_row(), member_row(id_number="110105194912310021")]
    with pytest.raises(CommandError, match="发现 1 个问题"):
        call_command("import_members", str(members_file(tmp_path / "m.xlsx", rows)))
    err = capsys.readouterr().err
    assert "工作表\t行\t列\t值\t原因" in err
    assert "党员\t3\tB 身份证号\t110105194912310021\t身份证号校验位错误" in err
    assert not Member.objects.filter(id_number=rows[0]["id_number"]).exists()


def test_import_members_command_with_user_is_scoped(world, tmp_path, capsys):
    path = members_file(tmp_path / "m.xlsx", [member_row(org_code="B3")])
    with pytest.raises(CommandError):
        call_command("import_members", str(path), "--user", "org_officer")
    assert "无权导入到该组织" in capsys.readouterr().err
    with pytest.raises(CommandError, match="不存在"):
        call_command("import_members", str(path), "--user", "nobody")


def test_import_orgs_command(world, tmp_path, capsys):
    rows = [org_row(code="N2", parent_code="N1"), org_row(code="N1", kind="党总支")]
    call_command("import_orgs", str(orgs_file(tmp_path / "o.xlsx", rows)))
    assert Organization.objects.get_parent(Organization.objects.get(code="N2")).code == "N1"


def test_import_orgs_command_rejects_a_non_xlsx(world, tmp_path, capsys):
    path = tmp_path / "o.xlsx"
    path.write_text("not excel")
    with pytest.raises(CommandError):
        call_command("import_orgs", str(path))
    assert "不是有效的 Excel 文件" in capsys.readouterr().err


@pytest.mark.parametrize("flags,masked", [([], True), (["--unmasked"], False)])
def test_export_members_command(world, tmp_path, flags, masked):
    out = tmp_path / "export.xlsx"
    call_command("export_members", "--org", "S1", str(out), *flags)
    rows = list(load_workbook(out)["党员"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 5
    assert all(("*" in row[1]) == masked for row in rows)


def test_export_members_command_unknown_org(world, tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("export_members", "--org", "NOPE", str(tmp_path / "x.xlsx"))
