from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xianfeng.tasks.models import KeyTask, TaskUpdate
from xianfeng.testing import FORMULA_TEXT, assert_safe_and_printable

from .factories import brand, task

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_board_shows_lights_and_filters(world, login):
    today = timezone.localdate()
    task(
        world,
        title="逾期任务",
        starts_on=today - timedelta(days=60),
        due_on=today - timedelta(days=1),
    )
    task(world, title="正常任务", starts_on=today, due_on=today + timedelta(days=60))
    client = login(world.users["branch_secretary"])
    page = client.get(reverse("tasks:board")).content.decode()
    assert "逾期任务" in page and "正常任务" in page
    red = client.get(reverse("tasks:board"), {"light": "red"})
    assert [t.title for t, _l in red.context["rows"]] == ["逾期任务"]


def test_outsider_sees_nothing_and_gets_404(world, login):
    t = task(world)
    client = login(world.users["outsider"])
    assert list(client.get(reverse("tasks:board")).context["rows"]) == []
    assert client.get(reverse("tasks:detail", args=[t.pk])).status_code == 404
    response = client.post(reverse("tasks:report", args=[t.pk]), {"progress": 10, "summary": "x"})
    assert response.status_code == 404
    assert not TaskUpdate.objects.exists()


def test_create_task_from_the_form_with_milestone_lines(world, login):
    client = login(world.users["street_admin"])
    response = client.post(
        reverse("tasks:create"),
        {
            "kind": "breakthrough",
            "title": "黄河大桥片区征迁",
            "organization": world.branch.pk,
            "lead_unit": "区征收中心",
            "lead_person": "李明",
            "starts_on": "2026-01-01",
            "due_on": "2026-12-31",
            "milestones": "入户调查 2026-03-31\n签约完成 2026-09-30\n",
        },
    )
    t = KeyTask.objects.get()
    assert response.status_code == 302
    assert [(m.title, m.due_on) for m in t.milestones.all()] == [
        ("入户调查", date(2026, 3, 31)),
        ("签约完成", date(2026, 9, 30)),
    ]


def test_bad_milestone_line_is_a_form_error_and_creates_nothing(world, login):
    client = login(world.users["street_admin"])
    response = client.post(
        reverse("tasks:create"),
        {
            "kind": "key_task",
            "title": "x",
            "organization": world.branch.pk,
            "lead_unit": "u",
            "lead_person": "p",
            "starts_on": "2026-01-01",
            "due_on": "2026-12-31",
            "milestones": "入户调查 2026-13-01",
        },
    )
    assert response.status_code == 200
    assert "第 1 行格式不对" in response.content.decode()
    assert not KeyTask.objects.exists()


def test_branch_secretary_reports_progress(world, login):
    t = task(world, starts_on=timezone.localdate() - timedelta(days=3))
    client = login(world.users["branch_secretary"])
    response = client.post(
        reverse("tasks:report", args=[t.pk]), {"progress": 35, "summary": "完成入户"}
    )
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.progress == 35


def test_export_is_a_real_workbook_with_the_board(world, login):
    task(world, title="导出任务")
    task(world, title=FORMULA_TEXT)
    response = login(world.users["observer"]).get(reverse("tasks:export"))
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert sheet["B1"].value == "任务名称"
    assert {sheet["B2"].value, sheet["B3"].value} == {"导出任务", FORMULA_TEXT}
    assert sheet["G2"].is_date and sheet["I2"].data_type == "n"
    assert_safe_and_printable(sheet)
    assert sheet.page_setup.orientation == "landscape"


def test_timeline_renders_bars(world, login):
    task(world, milestones=[("节点一", date(2026, 6, 30))])
    response = login(world.users["street_admin"]).get(reverse("tasks:timeline"))
    [bar] = response.context["timeline"]["bars"]
    assert bar.left == 0 and bar.width == 100
    assert "节点一" in response.content.decode()


def test_evidence_upload_checks_the_content(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = brand(world, milestones=[("挂牌", date(2026, 5, 1))])
    milestone = plan.milestones.get()
    client = login(world.users["branch_secretary"])
    url = reverse("tasks:brand_milestone_done", args=[milestone.pk])
    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"done_on": "2026-05-01", "evidence": fake}, follow=True)
    assert "文件格式不支持" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.done_on is None
    real = SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")
    client.post(url, {"done_on": "2026-05-01", "evidence": real})
    milestone.refresh_from_db()
    assert milestone.done_on == date(2026, 5, 1)
    download = client.get(reverse("tasks:brand_evidence", args=[milestone.pk]))
    assert b"".join(download.streaming_content) == PDF
    outsider = login(world.users["outsider"])
    assert outsider.get(reverse("tasks:brand_evidence", args=[milestone.pk])).status_code == 404


def test_only_task_managers_choose_key_brands(world, login):
    plan = brand(world)
    login(world.users["branch_secretary"]).post(
        reverse("tasks:brand_key", args=[plan.pk]), {"is_key": "1"}
    )
    plan.refresh_from_db()
    assert not plan.is_key
    login(world.users["street_admin"]).post(
        reverse("tasks:brand_key", args=[plan.pk]), {"is_key": "1"}
    )
    plan.refresh_from_db()
    assert plan.is_key


def test_brand_list_shows_progress_and_communities_without_a_brand(world, login):
    brand(world, is_key=True)
    response = login(world.users["street_admin"]).get(reverse("tasks:brand_list"))
    assert response.context["progress"]["plans"] == 1
    assert response.context["progress"]["key"] == 1
    assert list(response.context["without_brand"]) == [world.branch2]
