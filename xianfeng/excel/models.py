from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    ORGS = "orgs", _("党组织")
    MEMBERS = "members", _("党员")
    HOUSEHOLDS = "households", _("住户")  # registered by the grid app (grid/imports.py)


class ImportMode(models.TextChoices):
    CREATE = "create", _("只新增")
    UPDATE = "update", _("只更新已有记录")
    BOTH = "both", _("新增并更新")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("处理中")
    PREVIEW = "preview", _("待确认")
    CONFIRMED = "confirmed", _("已确认，等待写入")
    FAILED = "failed", _("失败")
    DONE = "done", _("已完成")


class ImportJob(models.Model):
    """导入任务: one uploaded xlsx, checked as a whole and written all-or-nothing."""

    kind = models.CharField(_("导入类型"), max_length=20, choices=ImportKind.choices)
    mode = models.CharField(
        _("导入方式"), max_length=10, choices=ImportMode.choices, default=ImportMode.CREATE
    )
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    background = models.BooleanField(_("后台处理"), default=False)
    via_command = models.BooleanField(_("命令行导入"), default=False)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="importjob_user_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}导入 #{self.pk} {self.original_name}"

    @property
    def finished(self):
        """Nothing is running: the page stops polling (a preview waits for the clerk)."""
        return self.status in (JobStatus.FAILED, JobStatus.DONE, JobStatus.PREVIEW)


class ExportKind(models.TextChoices):
    MEMBERS = "members", _("党员名册")


class ExportJob(models.Model):
    """导出任务: an export too large to write while the browser waits. It runs on the worker
    with the filter and masking the user chose; only that user downloads the file, until it
    expires (settings.XIANFENG_EXPORT_KEEP_HOURS) and the cleanup job deletes it."""

    kind = models.CharField(_("导出类型"), max_length=20, choices=ExportKind.choices)
    params = models.JSONField(_("筛选条件"), default=dict, blank=True)
    masked = models.BooleanField(_("脱敏"), default=True)
    reason = models.CharField(_("导出事由"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    file = models.FileField(_("文件"), upload_to="exports/%Y/%m/", blank=True)
    row_count = models.PositiveIntegerField(_("行数"), default=0)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导出人"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="exportjob_user_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}导出 #{self.pk}"

    @property
    def finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
