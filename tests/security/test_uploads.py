"""Issue 13 §4: uploads are stored under names from their content and served inert, by scope."""

import base64
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xianfeng.core import uploads
from xianfeng.core.errors import DomainError
from xianfeng.grid.testing import build_grid_world
from xianfeng.meetings import services as meeting_services
from xianfeng.meetings.rules import MeetingKind
from xianfeng.meetings.tests.factories import meeting
from xianfeng.resident_requests.models import RequestPhoto
from xianfeng.resident_requests.testing import make_category, make_request

GIF = base64.b64decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def evil_photo(world):
    gw = build_grid_world(world)
    upload = SimpleUploadedFile("evil.html", GIF, content_type="text/html")
    req = make_request(grid=gw.building1, category=make_category(), photos=[upload])
    return RequestPhoto.objects.get(request=req)


def test_a_gif_named_html_is_stored_as_gif(evil_photo):
    assert evil_photo.image.name.endswith(".gif")
    assert "evil" not in evil_photo.image.name


def test_media_is_not_served_directly(client, evil_photo):
    assert client.get("/media/" + evil_photo.image.name).status_code == 404


def test_the_staff_page_links_a_signed_file_served_inert(login, world, evil_photo):
    client = login(world.users["admin"])
    page = client.get(reverse("requests:detail", args=[evil_photo.request_id])).content.decode()
    link = uploads.file_link(evil_photo.image)
    assert link in page and "/media/" not in page
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("inline")


def test_a_forged_or_expired_link_is_404(client, settings, evil_photo):
    link = uploads.file_link(evil_photo.image)
    assert client.get(link.replace("/files/", "/files/x")).status_code == 404
    settings.XIANFENG_FILE_LINK_MAX_AGE = -1
    assert client.get(link).status_code == 404


def test_unknown_content_is_a_download_of_octet_stream(client, settings, tmp_path):
    from django.core.files.storage import default_storage

    name = default_storage.save(
        "x/page.html", SimpleUploadedFile("page.html", b"<script>1</script>")
    )
    assert name.endswith(".bin")

    class Stored:
        pass

    stored = Stored()
    stored.name, stored.storage = name, default_storage
    response = client.get(uploads.file_link(stored))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_meeting_uploads_are_checked(world):
    m = meeting(world.branch, MeetingKind.THEME_DAY, date(2026, 3, 5))
    html = SimpleUploadedFile("minutes.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(DomainError):
        meeting_services.add_file(m, kind="file", file=html, actor=world.users["branch_secretary"])
    item = meeting_services.add_file(
        m,
        kind="file",
        file=SimpleUploadedFile("纪要.pdf", PDF),
        actor=world.users["branch_secretary"],
    )
    assert item.file.name.endswith(".pdf")


def test_pdf_is_inline_without_sandbox(client, world):
    m = meeting(world.branch, MeetingKind.THEME_DAY, date(2026, 3, 5))
    item = meeting_services.add_file(
        m, kind="file", file=SimpleUploadedFile("a.pdf", PDF), actor=world.users["branch_secretary"]
    )
    response = client.get(uploads.file_link(item.file))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "default-src 'none'" in response["Content-Security-Policy"]
