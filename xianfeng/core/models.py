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
