from django.conf import settings
from django.db import models


class ImportKind(models.TextChoices):
    ORGS = "orgs", "党组织"
    MEMBERS = "members", "党员"


class JobStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "处理中"
    FAILED = "failed", "失败"
    DONE = "done", "已完成"


class ImportJob(models.Model):
    """导入任务: one uploaded xlsx, checked as a whole and written all-or-nothing."""

    kind = models.CharField("导入类型", max_length=20, choices=ImportKind.choices)
    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField("进度(%)", default=0)
    background = models.BooleanField("后台处理", default=False)
    via_command = models.BooleanField("命令行导入", default=False)
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    error_count = models.PositiveIntegerField("错误数", default=0)
    result = models.JSONField("结果", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="importjob_user_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}导入 #{self.pk} {self.original_name}"

    @property
    def finished(self):
        return self.status in (JobStatus.FAILED, JobStatus.DONE)
