from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xianfeng.accounts.roles import Role
from xianfeng.campaigns import services
from xianfeng.campaigns.models import CaseDocument, CaseVisit
from xianfeng.core.models import AuditLog
from xianfeng.testing import make_user

from .factories import campaign, case

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def setup(world):
    c = campaign(world)
    cadre = make_user("baohu")  # no grant at all: only the households given to them
    h = case(c, "DX-001", responsible=cadre)
    other = case(c, "DX-002")
    return c, h, other, cadre


def test_the_street_and_the_branch_see_the_files_other_streets_do_not(world, setup, client):
    c, h, _other, _cadre = setup
    secretary = make_user("temp_secretary", role=Role.BRANCH_SECRETARY, org=c.branch)
    for user, status in (
        (world.users["street_admin"], 200),
        (secretary, 200),
        (world.users["outsider"], 404),
        (make_user("other_street", role=Role.STREET_ADMIN, org=world.other_street), 404),
        (world.users["branch_secretary"], 404),  # a branch of the same street, not this one
    ):
        client.force_login(user)
        for url in (
            reverse("campaigns:detail", args=[c.pk]),
            reverse("campaigns:cases", args=[c.pk]),
            reverse("campaigns:ledger", args=[c.pk]),
            reverse("campaigns:case", args=[h.pk]),
        ):
            assert client.get(url).status_code == status, (user.username, url)
        listed = client.get(reverse("campaigns:list"))
        assert (c.name in listed.content.decode()) == (status == 200)


def test_the_cadre_updates_their_household_and_only_theirs(setup, client):
    c, h, other, cadre = setup
    client.force_login(cadre)
    page = client.get(reverse("campaigns:case", args=[h.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "139****5678" in text and "13912345678" not in text
    assert client.get(reverse("campaigns:case", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("campaigns:case_stage", args=[h.pk]),
        {"stage": "negotiating", "on": str(c.starts_on)},
    )
    assert response.status_code == 302
    h.refresh_from_db()
    assert h.stage == "negotiating"
    assert AuditLog.objects.filter(action="campaign.stage", actor=cadre).count() == 1
    skip = client.post(
        reverse("campaigns:case_stage", args=[h.pk]), {"stage": "moved_out", "on": str(c.starts_on)}
    )
    assert skip.status_code == 400
    visit = {"visited_on": str(c.starts_on), "said": "讲解补偿政策", "token": "t-1"}
    client.post(reverse("campaigns:case_visit", args=[h.pk]), visit)
    client.post(reverse("campaigns:case_visit", args=[h.pk]), visit)  # double submit
    assert CaseVisit.objects.filter(case=h).count() == 1
    assert client.post(reverse("campaigns:case_visit", args=[other.pk]), visit).status_code == 404


def test_documents_go_through_the_upload_checks(setup, client):
    _c, h, _other, cadre = setup
    client.force_login(cadre)
    url = reverse("campaigns:case_document", args=[h.pk])
    bad = SimpleUploadedFile("协议.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(url, {"kind": "agreement", "title": "协议", "file": bad})
    assert response.status_code == 400 and "文件格式不支持" in response.content.decode()
    good = SimpleUploadedFile("评估.png", PNG, content_type="image/png")
    response = client.post(url, {"kind": "valuation", "title": "评估报告", "file": good})
    assert response.status_code == 302
    assert CaseDocument.objects.filter(case=h).count() == 1


def test_the_board_costs_the_same_for_more_households(world, client):
    c = campaign(world)
    client.force_login(world.users["street_admin"])
    url = reverse("campaigns:detail", args=[c.pk])
    for _ in range(3):
        case(c)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(30):
        h = case(c)
        if i % 2:
            services.change_stage(h, "negotiating", actor=None)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_dispatch_and_import_pages(world, setup, client, tmp_path):
    import openpyxl

    c, _h, _other, cadre = setup
    client.force_login(world.users["street_admin"])
    response = client.post(
        reverse("campaigns:dispatch", args=[c.pk]),
        {
            "held_on": str(c.starts_on),
            "kind": "morning",
            "issues": "入户计划",
            "task": "复核评估",
            "owner": cadre.pk,
            "due_on": str(c.starts_on),
        },
    )
    assert response.status_code == 302
    again = client.post(
        reverse("campaigns:dispatch", args=[c.pk]),
        {"held_on": str(c.starts_on), "kind": "morning", "issues": "入户计划"},
    )
    assert again.status_code == 400 and "已记录" in again.content.decode()
    client.force_login(cadre)
    assert "复核评估" in client.get(reverse("campaigns:mine")).content.decode()
    client.force_login(world.users["street_admin"])
    wb = openpyxl.Workbook()
    wb.active.title = "户档案"
    wb.active.append(["户号*", "户主*"])
    wb.active.append(["DX-001", "重复"])
    buffer = BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("h.xlsx", buffer.getvalue())
    response = client.post(
        reverse("campaigns:import", args=[c.pk]), {"what": "cases", "file": upload}
    )
    assert response.status_code == 400 and "户号 DX-001 已登记" in response.content.decode()


def test_the_notices_page_reads_every_notices_reach_in_one_query(world, client):
    from xianfeng.campaigns import outreach

    c = campaign(world)
    case(c)
    case(c, phone="")
    admin = world.users["admin"]
    client.force_login(admin)
    url = reverse("campaigns:notices", args=[c.pk])

    def count():
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url).status_code == 200
        return len(seen)

    outreach.send_notice(c, actor=admin, title="入户通知", body="请于周六到村委会")
    one = count()
    outreach.send_notice(c, actor=admin, title="第二次通知", body="请带好房产证")
    assert count() == one
    figures = outreach.reach_figures(list(c.notices.all()))
    first, second = figures.values()
    assert first == second and first["total"] >= 1  # each notice went to the same households
