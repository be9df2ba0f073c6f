"""Update mode: export → edit → re-import, with a preview and an all-or-nothing write."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from xianfeng.core.models import AuditLog
from xianfeng.excel.importers import import_members, import_orgs
from xianfeng.excel.models import ImportJob, ImportMode
from xianfeng.excel.services import confirm_import_job, create_import_job
from xianfeng.excel.tests.xlsx import member_row, members_file
from xianfeng.members.models import Member
from xianfeng.members.services import update_member
from xianfeng.orgs.models import Organization, OrgChange


def _unmasked(org):
    return {"org": org, "unmasked": "1", "reason": "核对后回导"}


def exported(client, tmp_path, url, **params):
    """The explicit unmasked export (a masked one cannot be matched back by 身份证号)."""
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(client.get(reverse(url), params).streaming_content))
    return path


def edit(path, sheet, changes, *, append=None):
    """changes: {(data row index from 0, header): value}; append: a row dict keyed by header."""
    book = load_workbook(path)
    ws = book[sheet]
    headers = [c.value.rstrip("*") for c in ws[1]]
    for (index, header), value in changes.items():
        ws.cell(row=index + 2, column=headers.index(header) + 1, value=value)
    if append:
        ws.append([append.get(h) for h in headers])
    book.save(path)
    return path


def upload(path, kind, mode, actor):
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    return create_import_job(upload, kind, actor=actor, mode=mode)


def _fit_world(world):
    # The standing world admits some members at 15; imports (rightly) refuse that.
    Member.objects.filter(birth_date__year=1990).update(joined_on="2010-07-01")


def test_unmasked_export_reimported_unchanged_is_a_no_op(world, login, tmp_path):
    _fit_world(world)
    secretary = world.users["committee_secretary"]
    path = exported(
        login(secretary), tmp_path, "excel:export_members", **_unmasked(world.branch.pk)
    )
    versions = dict(Member.objects.values_list("pk", "version"))
    job = upload(path, "members", ImportMode.UPDATE, secretary)
    assert (job.status, job.result["new"], job.result["changed"]) == ("done", 0, 0)
    assert job.result["unchanged"] == 4
    assert dict(Member.objects.values_list("pk", "version")) == versions
    orgs = exported(login(secretary), tmp_path, "excel:export_orgs", org=world.branch.pk)
    outcome = import_orgs(orgs, actor=secretary, mode=ImportMode.UPDATE, commit=False)
    assert outcome.ok and (len(outcome.plan.changes), outcome.plan.unchanged) == (0, 2)


def test_preview_lists_changes_then_confirm_writes_through_the_service(world, login, tmp_path):
    _fit_world(world)
    secretary = world.users["committee_secretary"]
    path = exported(
        login(secretary), tmp_path, "excel:export_members", **_unmasked(world.branch.pk)
    )
    new = member_row(name="新党员")
    new_row = {
        "姓名": "新党员",
        "身份证号": new["id_number"],
        "入党日期": new["joined_on"],
        "党员类别": "正式党员",
        "所在组织代码": "B1",
    }
    zhang = [m.name for m in Member.objects.filter(organization=world.branch).order_by("pk")]
    row = zhang.index("张三")
    edit(
        path, "党员", {(row, "手机号"): "13700001111", (row, "工作单位"): "新单位"}, append=new_row
    )
    job = upload(path, "members", ImportMode.BOTH, secretary)
    assert job.status == "preview", job.errors
    assert (job.result["new"], job.result["changed"], job.result["unchanged"]) == (1, 1, 3)
    assert job.result["changes"] == [{"row": row + 2, "name": "张三", "fields": "手机号、工作单位"}]
    page = login(secretary).get(reverse("excel:job", args=[job.pk])).content.decode()
    assert "手机号、工作单位" in page and "确认写入" in page
    assert not Member.objects.filter(name="新党员").exists()
    job = confirm_import_job(job, actor=secretary)
    assert (job.status, job.result["created"], job.result["updated"]) == ("done", 1, 1)
    world.member.refresh_from_db()
    assert (world.member.phone, world.member.employer) == ("13700001111", "新单位")
    assert world.member.version == 1
    log = AuditLog.objects.get(action="member.update", target_id=str(world.member.pk))
    assert log.data["changes"]["employer"][1] == "新单位"
    assert Member.objects.filter(name="新党员", organization=world.branch).exists()


def test_a_member_changed_after_the_preview_refuses_the_whole_write(world, login, tmp_path):
    _fit_world(world)
    secretary = world.users["committee_secretary"]
    path = exported(
        login(secretary), tmp_path, "excel:export_members", **_unmasked(world.branch.pk)
    )
    new = member_row(name="新党员")
    new_row = {
        "姓名": "新党员",
        "身份证号": new["id_number"],
        "入党日期": new["joined_on"],
        "党员类别": "正式党员",
        "所在组织代码": "B1",
    }
    row = [m.name for m in Member.objects.filter(organization=world.branch).order_by("pk")].index(
        "张三"
    )
    edit(path, "党员", {(row, "工作单位"): "新单位"}, append=new_row)
    job = upload(path, "members", ImportMode.BOTH, secretary)
    update_member(world.member, actor=world.users["admin"], post="书记")
    job = confirm_import_job(job, actor=secretary)
    assert job.status == "failed"
    assert "张三的信息在预览之后已被他人修改" in job.errors[0]["reason"]
    assert not Member.objects.filter(name="新党员").exists()
    world.member.refresh_from_db()
    assert world.member.employer != "新单位"


def test_the_mode_decides_what_existing_and_unknown_rows_mean(world, tmp_path):
    fresh = member_row()
    path = members_file(tmp_path / "m.xlsx", [fresh])
    outcome = import_members(path, actor=None, mode=ImportMode.UPDATE, commit=False)
    assert [e["reason"] for e in outcome.errors] == [
        "系统中没有该身份证号的党员；如要新增，请选择“新增”或“新增并更新”"
    ]
    assert import_members(path, actor=None).ok  # create
    outcome = import_members(path, actor=None, mode=ImportMode.CREATE, commit=False)
    assert outcome.errors[0]["reason"].startswith("身份证号已存在于系统中")
    changed = members_file(tmp_path / "n.xlsx", [dict(fresh, status="停止党籍")])
    outcome = import_members(changed, actor=None, mode=ImportMode.UPDATE, commit=False)
    assert [(e["header"], e["value"]) for e in outcome.errors] == [("党籍状态", "停止党籍")]


def test_member_outside_scope_cannot_be_updated(world, tmp_path):
    other = world.other_member
    row = member_row(id_number=other.id_number, name=other.name)
    path = members_file(tmp_path / "m.xlsx", [row])
    outcome = import_members(
        path, actor=world.users["org_officer"], mode=ImportMode.UPDATE, commit=False
    )
    assert "无权修改该党员" in [e["reason"] for e in outcome.errors]


def test_org_update_by_code_renames_with_history(world, login, tmp_path):
    secretary = world.users["committee_secretary"]
    path = exported(login(secretary), tmp_path, "excel:export_orgs", org=world.branch.pk)
    edit(path, "党组织", {(0, "组织名称"): "北关社区第一党支部", (1, "上级组织代码"): "B2"})
    outcome = import_orgs(path, actor=secretary, mode=ImportMode.UPDATE, commit=False)
    assert [e["header"] for e in outcome.errors] == ["上级组织代码"]
    edit(path, "党组织", {(1, "上级组织代码"): "B1"})
    job = upload(path, "orgs", ImportMode.UPDATE, secretary)
    assert job.result["changes"] == [{"row": 2, "name": "北关社区第一党支部", "fields": "组织名称"}]
    job = confirm_import_job(job, actor=secretary)
    assert (job.status, job.result["updated"]) == ("done", 1)
    assert Organization.objects.get(code="B1").name == "北关社区第一党支部"
    assert OrgChange.objects.filter(organization__code="B1", kind=OrgChange.Kind.RENAME).exists()
    assert ImportJob.objects.count() == 1
