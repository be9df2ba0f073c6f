from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xianfeng.archives import services
from xianfeng.archives.models import Archive, ArchiveItem, ItemStatus
from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog

from .factories import PNG, pdf, upload_scan

pytestmark = pytest.mark.django_db


def test_upload_stores_under_media_root_with_random_name(world, settings):
    actor = world.users["branch_secretary"]
    item = upload_scan(world.member, actor=actor, doc="volunteer_form", doc_date=date(2003, 7, 1))
    stored = Path(settings.MEDIA_ROOT) / item.file.name
    assert stored.read_bytes().startswith(b"%PDF-")
    assert item.file.name.startswith(f"archives/{world.member.pk}/")
    assert "scan" not in item.file.name and item.original_name == "scan.pdf"
    assert item.status == ItemStatus.PENDING and item.uploaded_by == actor
    assert AuditLog.objects.get(action="archive.upload").data["doc"] == "volunteer_form"


def test_same_file_twice_is_refused(world):
    upload_scan(world.member)
    with pytest.raises(DomainError, match="已上传过"):
        upload_scan(world.member)
    assert ArchiveItem.objects.count() == 1


def test_refused_upload_stores_nothing(world, settings):
    bad = SimpleUploadedFile("x.pdf", PNG)
    with pytest.raises(DomainError, match="不符"):
        services.upload_item(world.member, doc="application", upload=bad, actor=None)
    assert not ArchiveItem.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_unknown_doc_and_future_date_refused(world):
    with pytest.raises(DomainError, match="材料类别无效"):
        services.upload_item(world.member, doc="selfie", upload=pdf(), actor=None)
    with pytest.raises(DomainError, match="晚于今天"):
        services.upload_item(
            world.member, doc="application", upload=pdf(), actor=None, doc_date=date(2999, 1, 1)
        )


def test_review_accept_and_send_back(world):
    reviewer = world.users["org_officer"]
    item = upload_scan(world.member)
    with pytest.raises(DomainError, match="写明需要补正"):
        services.review_item(item, verdict=ItemStatus.TO_FIX, actor=reviewer, note="  ")
    services.review_item(item, verdict=ItemStatus.TO_FIX, actor=reviewer, note="缺少签名")
    item.refresh_from_db()
    assert item.status == ItemStatus.TO_FIX and item.review_note == "缺少签名"
    services.review_item(item, verdict=ItemStatus.ACCEPTED, actor=reviewer)
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED and item.reviewed_by == reviewer
    with pytest.raises(DomainError, match="已是“已验收”"):
        services.review_item(item, verdict=ItemStatus.ACCEPTED, actor=reviewer)
    assert AuditLog.objects.filter(action="archive.review").count() == 2


def test_set_path_overrides_and_is_audited_once(world):
    services.set_archive_path(world.member, "transferred_in", actor=None)
    services.set_archive_path(world.member, "transferred_in", actor=None)
    assert Archive.objects.get(member=world.member).path == "transferred_in"
    assert AuditLog.objects.filter(action="archive.path").count() == 1
    with pytest.raises(DomainError, match="入党途径无效"):
        services.set_archive_path(world.member, "magic", actor=None)
