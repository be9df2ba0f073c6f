import uuid
from pathlib import PurePath

from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import actor_field

from .rules import DOC_CHOICES, DOC_NAMES, PATHS


class Archive(models.Model):
    """档案: one member's file. Created on first upload; `path` overrides the derived path."""

    member = models.OneToOneField(
        "members.Member", verbose_name=_("党员"), on_delete=models.CASCADE, related_name="archive"
    )
    path = models.CharField(
        _("入党途径"), max_length=20, choices=list(PATHS.items()), blank=True, default=""
    )
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党员档案")
        verbose_name_plural = _("党员档案")
        ordering = ["member_id"]

    def __str__(self):
        return f"{self.member}的档案"


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已验收")
    TO_FIX = "to_fix", _("需补正")


def scan_path(item, filename):
    """A random name under the member's folder: the original name is kept in a field only."""
    suffix = PurePath(filename).suffix.lower()
    return f"archives/{item.archive.member_id}/{uuid.uuid4().hex}{suffix}"


class ArchiveItem(models.Model):
    """One scanned document in a member's file, with the reviewer's verdict."""

    archive = models.ForeignKey(
        Archive, verbose_name=_("档案"), on_delete=models.CASCADE, related_name="items"
    )
    doc = models.CharField(_("材料类别"), max_length=30, choices=DOC_CHOICES)
    title = models.CharField(_("材料题名"), max_length=120, blank=True)
    doc_date = models.DateField(_("材料日期"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("页数"), default=1)
    file = models.FileField(_("扫描件"), upload_to=scan_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=50)
    size = models.PositiveIntegerField(_("文件大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("审核状态"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING
    )
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    uploaded_by = actor_field(_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    reviewed_by = actor_field(_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("档案材料")
        verbose_name_plural = _("档案材料")
        ordering = ["archive_id", "doc", "doc_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["archive", "sha256"], name="archive_item_same_file_once"
            )
        ]
        indexes = [models.Index(fields=["status", "doc"], name="archive_item_status_doc")]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return self.title or DOC_NAMES.get(self.doc, self.doc)


class ArchiveState(models.Model):
    """Whether an active member's file is complete today (rollup row, docs/decisions/0004):
    kept by archives.rollups in the transaction of every archive and member write, so the
    org page filters and pages the incomplete files in SQL."""

    member = models.OneToOneField(
        "members.Member", primary_key=True, on_delete=models.CASCADE, related_name="archive_state"
    )
    organization = models.ForeignKey(  # indexed by (organization, complete)
        "orgs.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    complete = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["organization", "complete"], name="archive_state_org_idx")]

    def __str__(self):
        return f"{self.member_id} {'complete' if self.complete else 'incomplete'}"


class ArchiveTally(models.Model):
    """Completeness of one organization's active direct members' files (rollup rows): the row
    with doc "" holds members and complete files, a row per document the members lacking it."""

    organization = models.ForeignKey(  # indexed by the unique (organization, doc)
        "orgs.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    doc = models.CharField(max_length=40, blank=True)
    members = models.PositiveIntegerField(default=0)
    complete = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "doc"], name="archive_tally_one_per_doc"
            )
        ]

    def __str__(self):
        return f"{self.organization_id} {self.doc or '*'}"
