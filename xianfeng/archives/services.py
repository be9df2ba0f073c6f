"""档案 use cases: upload a checked scan, set a member's path, accept or send back an item."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.core.errors import DomainError

from . import rollups
from .checks import check_upload
from .models import Archive, ArchiveItem, ItemStatus
from .rules import DOC_NAMES, PATHS


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _locked_archive(member):
    Archive.objects.get_or_create(member=member)
    return Archive.objects.select_for_update().get(member=member)


def upload_item(member, *, doc, upload, actor, title="", doc_date=None, pages=1) -> ArchiveItem:
    """Store `upload` as a document of `member`'s file after the content checks.

    The same file (by SHA-256) is accepted once per member, so a double submit or a retry
    returns an error instead of a second copy.
    """
    if doc not in DOC_NAMES:
        raise DomainError("材料类别无效", field="doc")
    if doc_date is not None and doc_date > timezone.localdate():
        raise DomainError("材料日期不能晚于今天", field="doc_date")
    checked = check_upload(upload)
    with transaction.atomic():
        archive = _locked_archive(member)
        if archive.items.filter(sha256=checked.digest).exists():
            raise DomainError("该文件已上传过，无需重复上传", field="file")
        item = ArchiveItem(
            archive=archive,
            doc=doc,
            title=title.strip(),
            doc_date=doc_date,
            pages=pages or 1,
            original_name=(upload.name or "")[-200:],
            content_type=checked.kind.content_type,
            size=checked.size,
            sha256=checked.digest,
            uploaded_by=_user(actor),
        )
        item.file.save(upload.name, upload, save=False)
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError as exc:
            item.file.delete(save=False)
            raise DomainError("该文件已上传过，无需重复上传", field="file") from exc
        audit.record(
            "archive.upload",
            member,
            actor=actor,
            item=item.pk,
            doc=doc,
            size=checked.size,
            sha256=checked.digest,
        )
    return item


def set_archive_path(member, path, *, actor) -> Archive:
    """Override the derived path (e.g. a member transferred in whose history predates us)."""
    if path and path not in PATHS:
        raise DomainError("入党途径无效", field="path")
    with transaction.atomic():
        archive = _locked_archive(member)
        if archive.path == path:
            return archive
        before, archive.path = archive.path, path
        archive.save(update_fields=["path"])
        audit.record("archive.path", member, actor=actor, before=before, after=path)
        rollups.recount([member.organization_id])
    return archive


def review_item(item, *, verdict, actor, note="") -> ArchiveItem:
    """A reviewer accepts the item or sends it back to be fixed (a note is then required)."""
    if verdict not in (ItemStatus.ACCEPTED, ItemStatus.TO_FIX):
        raise DomainError("审核结果无效", field="verdict")
    note = (note or "").strip()
    if verdict == ItemStatus.TO_FIX and not note:
        raise DomainError("退回补正时请写明需要补正的内容", field="note")
    with transaction.atomic():
        locked = ArchiveItem.objects.select_for_update().select_related("archive").get(pk=item.pk)
        if locked.status == verdict:
            raise DomainError(f"该材料已是“{locked.get_status_display()}”状态")
        locked.status = verdict
        locked.review_note = note
        locked.reviewed_by = _user(actor)
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
        audit.record(
            "archive.review",
            locked.archive.member,
            actor=actor,
            item=locked.pk,
            doc=locked.doc,
            verdict=verdict,
            note=note,
        )
        rollups.recount([locked.archive.member.organization_id])
    item.status, item.review_note = locked.status, locked.review_note
    item.reviewed_by, item.reviewed_at = locked.reviewed_by, locked.reviewed_at
    return locked
