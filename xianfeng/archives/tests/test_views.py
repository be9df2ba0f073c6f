from datetime import date

import pytest
from django.urls import reverse

from xianfeng.archives.models import ArchiveItem, ItemStatus
from xianfeng.core.models import AuditLog
from xianfeng.testing import make_member

from .factories import PNG, complete_file, pdf, upload_scan

pytestmark = pytest.mark.django_db


def test_upload_through_the_form(world, login):
    client = login(world.users["branch_secretary"])
    data = {"doc": "application", "file": pdf("申请书.pdf"), "pages": 3, "doc_date": "2002-03-01"}
    response = client.post(reverse("archives:upload", args=[world.member.pk]), data)
    assert response.status_code == 302
    item = ArchiveItem.objects.get()
    assert (item.pages, item.original_name) == (3, "申请书.pdf")


def test_mislabelled_upload_shows_error_and_keeps_nothing(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.users["branch_secretary"])
    data = {"doc": "application", "file": SimpleUploadedFile("x.pdf", PNG), "pages": 1}
    response = client.post(reverse("archives:upload", args=[world.member.pk]), data)
    assert response.status_code == 400
    assert "与内容(PNG)不符" in response.content.decode()
    assert not ArchiveItem.objects.exists()


def test_outsider_cannot_upload_see_or_download(world, login):
    item = upload_scan(world.member)
    client = login(world.users["outsider"])
    assert client.get(reverse("archives:member", args=[world.member.pk])).status_code == 404
    assert client.get(reverse("archives:file", args=[item.pk])).status_code == 404
    data = {"doc": "application", "file": pdf("o.pdf", b"other"), "pages": 1}
    assert client.post(reverse("archives:upload", args=[world.member.pk]), data).status_code == 404
    assert ArchiveItem.objects.count() == 1


def test_member_sees_and_downloads_own_file_and_the_read_is_audited(world, login):
    item = upload_scan(world.member)
    client = login(world.users["member"])
    page = client.get(reverse("archives:member", args=[world.member.pk])).content.decode()
    assert "入党申请书" in page and "上传材料" not in page
    response = client.get(reverse("archives:file", args=[item.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditLog.objects.filter(action="archive.file_view", actor=world.users["member"]).exists()


def test_branch_secretary_uploads_but_cannot_review(world, login):
    item = upload_scan(world.member)
    client = login(world.users["branch_secretary"])
    url = reverse("archives:review", args=[item.pk])
    assert client.post(url, {"verdict": "accepted"}).status_code == 403
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING


def test_reviewer_sends_back_with_note(world, login):
    item = upload_scan(world.member)
    client = login(world.users["org_officer"])
    url = reverse("archives:review", args=[item.pk])
    response = client.post(url, {"verdict": "to_fix", "note": "扫描不清"}, follow=True)
    item.refresh_from_db()
    assert item.status == ItemStatus.TO_FIX and "扫描不清" in response.content.decode()
    response = client.post(url, {"verdict": "to_fix", "note": ""}, follow=True)
    assert "已是“需补正”" in response.content.decode() or "写明" in response.content.decode()


def test_org_page_lists_incomplete_members_with_missing_documents(world, login):
    complete_file(world.member, ["application", "volunteer_form", "confirmation_application"])
    client = login(world.users["street_admin"])
    response = client.get(reverse("archives:org", args=[world.branch.pk]) + "?incomplete=1")
    names = [m.name for m, _s in response.context["rows"]]
    assert "张三" not in names and "李四" in names
    assert "入党志愿书" in response.content.decode()


def test_home_shows_children_with_shares(world, login):
    client = login(world.users["street_admin"])
    response = client.get(reverse("archives:home"))
    assert response.context["org"] == world.street
    assert [org.name for org, _t in response.context["rows"]] == [
        "北关社区党支部",
        "北坦社区党支部",
    ]


def test_home_query_count_does_not_grow_with_members(world, login, django_assert_max_num_queries):
    client = login(world.users["street_admin"])
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("archives:home"))
    for n in range(12):
        complete_file(make_member(world.branch2, f"增{n}"), ["application"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("archives:home"))


def test_file_index_numbers_pages_in_checklist_order(world, login):
    actor = world.users["org_officer"]
    for doc, pages, n in (("confirmation_application", 2, 1), ("application", 3, 2)):
        item = upload_scan(world.member, doc=doc, n=n, pages=pages, doc_date=date(2002, 1, n))
        item.status = ItemStatus.ACCEPTED
        item.save()
    upload_scan(world.member, doc="volunteer_form", n=3)  # pending: not in the index
    response = login(actor).get(reverse("archives:index", args=[world.member.pk]))
    rows = [(n, item.doc, first, last) for n, item, first, last in response.context["rows"]]
    assert rows == [(1, "application", 1, 3), (2, "confirmation_application", 4, 5)]
    assert "A4" in response.content.decode()


def test_member_detail_links_to_the_archive(world, login):
    response = login(world.users["branch_secretary"]).get(
        reverse("members:detail", args=[world.member.pk])
    )
    assert reverse("archives:member", args=[world.member.pk]) in response.content.decode()
