from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import actor_field


class AuditLog(models.Model):
    """审计日志: one row per change or sensitive read, written in the same transaction."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = actor_field(_("操作人"))
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=64)
    target_id = models.CharField(_("对象编号"), max_length=64)
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class CalendarYear(models.Model):
    """一年的节假日安排: the State Council's notice for one year, the data of the working calendar."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("依据的通知"), max_length=200)
    notice_text = models.TextField(_("通知原文"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = actor_field(_("更新人"))

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["year"]

    def __str__(self):
        return f"{self.year}年节假日安排"


class DayKind(models.TextChoices):
    OFF = "off", _("放假")
    WORK = "work", _("调休上班")


class CalendarDay(models.Model):
    """A day the notice changes: a day off (including weekend days inside a holiday span) or a
    weekend day made a working day. Every other day is a working day on Monday to Friday."""

    calendar = models.ForeignKey(
        CalendarYear, verbose_name=_("节假日安排"), on_delete=models.CASCADE, related_name="days"
    )
    day = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=4, choices=DayKind.choices)
    holiday = models.CharField(_("节日"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.get_kind_display()}"
