"""Pages: home, templates, upload (in the request and through the huey task), job pages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from huey.contrib.djhuey import HUEY
from openpyxl import load_workbook

from xianfeng.excel.models import ImportJob, JobStatus
from xianfeng.excel.tests.xlsx import member_row, members_file
from xianfeng.members.models import Member


@pytest.fixture
def immediate_huey():
    """`make test` sets HUEY_IMMEDIATE=1; make sure, whatever the environment."""
    was = HUEY.immediate
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = was


def upload(client, path, kind="members", mode=None):
    with open(path, "rb") as fh:
        data = {"file": fh} | ({"mode": mode} if mode else {})
        return client.post(reverse("excel:upload", args=[kind]), data)


@pytest.mark.parametrize(
    "user,status",
    [("org_officer", 200), ("committee_secretary", 200), ("observer", 403), ("grid_worker", 403)],
)
def test_home_needs_import_permission(world, login, user, status):
    response = login(world.users[user]).get(reverse("excel:home"))
    assert response.status_code == status


def test_home_lists_only_my_jobs(world, login):
    mine = ImportJob.objects.create(
        kind="members", created_by=world.users["org_officer"], original_name="我的.xlsx"
    )
    ImportJob.objects.create(
        kind="members", created_by=world.users["street_admin"], original_name="别人的.xlsx"
    )
    response = login(world.users["org_officer"]).get(reverse("excel:home"))
    assert list(response.context["jobs"]) == [mine]
    assert "别人的.xlsx" not in response.content.decode()


@pytest.mark.parametrize(
    "kind,sheet,first", [("members", "党员", "姓名*"), ("orgs", "党组织", "组织代码*")]
)
def test_template_download(world, login, kind, sheet, first):
    response = login(world.users["org_officer"]).get(reverse("excel:template", args=[kind]))
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == [sheet, "填写说明"]
    ws = book[sheet]
    assert ws.max_row == 1 and ws["A1"].value == first and ws["A1"].comment.text.startswith("必填")
    assert ws.data_validations.dataValidation


def test_small_file_is_imported_in_the_request(world, login, tmp_path):
    path = members_file(tmp_path / "党员.xlsx", [member_row(), member_row()])
    client = login(world.users["org_officer"])
    response = upload(client, path)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "excel:job", args=[job.pk]
    )
    assert (job.status, job.background, job.total_rows, job.result["new"]) == (
        "preview",
        False,
        2,
        2,
    )
    assert job.original_name == "党员.xlsx" and job.file.name.startswith("imports/")
    page = client.get(response["Location"]).content.decode()
    assert "确认后将：新增 2 条，修改 0 条" in page and "hx-trigger" not in page
    assert not Member.objects.filter(name="测试党员").exists()
    response = client.post(reverse("excel:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.result["created"]) == ("done", 2)
    assert Member.objects.filter(name="测试党员").count() == 2
    assert "导入完成：新增 2 条" in client.get(response["Location"]).content.decode()
    again = client.post(reverse("excel:confirm", args=[job.pk]), follow=True)
    assert "该导入不在待确认状态" in again.content.decode()


def test_large_file_goes_through_the_huey_task(
    world, login, tmp_path, settings, immediate_huey, django_capture_on_commit_callbacks
):
    settings.XIANFENG_IMPORT_SYNC_MAX_ROWS = 2
    rows = [member_row() for _ in range(3)]
    client = login(world.users["org_officer"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upload(client, members_file(tmp_path / "m.xlsx", rows))
    job = ImportJob.objects.get()
    assert (job.status, job.result["new"]) == ("preview", 3)
    with django_capture_on_commit_callbacks(execute=True) as more:
        client.post(reverse("excel:confirm", args=[job.pk]))
    assert len(callbacks) == 1 and len(more) == 1
    job.refresh_from_db()
    assert (job.background, job.status, job.progress, job.result["created"]) == (
        True,
        "done",
        100,
        3,
    )
    assert Member.objects.filter(id_number__in=[r["id_number"] for r in rows]).count() == 3


def test_bad_file_shows_the_full_error_table(world, login, tmp_path):
    rows = [member_row(), member_row(id_number="110105194912310021"), member_row(org_code="B3")]
    client = login(world.users["org_officer"])
    response = upload(client, members_file(tmp_path / "m.xlsx", rows))
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED and job.error_count == 2
    page = client.get(response["Location"]).content.decode()
    assert "未写入任何数据" in page
    assert "身份证号校验位错误" in page and "无权导入到该组织" in page
    assert '<td data-label="列">P 所在组织代码</td>' in page


def test_not_an_xlsx_is_reported_on_the_job(world, login):
    client = login(world.users["org_officer"])
    fake = SimpleUploadedFile("党员.xlsx", "姓名,身份证号\n".encode(), content_type="text/csv")
    client.post(reverse("excel:upload", args=["members"]), {"file": fake})
    job = ImportJob.objects.get()
    assert job.status == "failed" and "这是 CSV 文本文件" in job.errors[0]["reason"]


def test_upload_without_file_shows_message(world, login):
    response = login(world.users["org_officer"]).post(
        reverse("excel:upload", args=["members"]), follow=True
    )
    assert "请选择要上传的文件" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_unknown_kind_is_404(world, login):
    client = login(world.users["org_officer"])
    assert client.get(reverse("excel:template", args=["dues"])).status_code == 404


def test_job_page_only_for_its_creator_or_superuser(world, login):
    job = ImportJob.objects.create(kind="members", created_by=world.users["org_officer"])
    url = reverse("excel:job", args=[job.pk])
    assert login(world.users["committee_secretary"]).get(url).status_code == 404
    assert (
        login(world.users["street_admin"])
        .get(reverse("excel:job_status", args=[job.pk]))
        .status_code
        == 404
    )
    assert login(world.users["admin"]).get(url).status_code == 200
    assert login(world.users["org_officer"]).get(url).status_code == 200


def test_running_job_polls_every_second(world, login):
    job = ImportJob.objects.create(
        kind="members", created_by=world.users["org_officer"], status=JobStatus.RUNNING, progress=40
    )
    response = login(world.users["org_officer"]).get(reverse("excel:job_status", args=[job.pk]))
    html = response.content.decode()
    assert 'hx-trigger="every 1s"' in html and "width: 40%" in html
