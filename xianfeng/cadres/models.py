from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import actor_field


class CadreStatus(models.TextChoices):
    ACTIVE = "active", _("在库")
    APPOINTED = "appointed", _("已任用")
    REMOVED = "removed", _("已出库")


class ReserveCadre(models.Model):
    """后备干部: a member in an organization's pool of candidates for a post."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.PROTECT,
        related_name="reserve_entries",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所属党组织"),
        on_delete=models.PROTECT,
        related_name="reserve_cadres",
    )
    intended_post = models.CharField(_("拟任岗位"), max_length=60)
    entered_on = models.DateField(_("入库日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CadreStatus.choices, default=CadreStatus.ACTIVE
    )
    status_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = actor_field(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("后备干部")
        verbose_name_plural = _("后备干部")
        ordering = ["organization_id", "-entered_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "organization"],
                condition=Q(status="active"),
                name="cadre_active_once_per_org",
            )
        ]

    def __str__(self):
        return f"{self.member}（{self.intended_post}）"


class TrainingRecord(models.Model):
    cadre = models.ForeignKey(
        ReserveCadre, verbose_name=_("后备干部"), on_delete=models.CASCADE, related_name="trainings"
    )
    course = models.CharField(_("培训内容"), max_length=120)
    organizer = models.CharField(_("主办单位"), max_length=120, blank=True)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    hours = models.PositiveSmallIntegerField(_("学时"), default=0)
    recorded_by = actor_field(_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        ordering = ["cadre_id", "-started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "course", "started_on"], name="cadre_training_once"
            )
        ]

    def __str__(self):
        return f"{self.cadre} {self.course}"


class EvaluationResult(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


class Evaluation(models.Model):
    """Yearly evaluation of a reserve cadre."""

    cadre = models.ForeignKey(
        ReserveCadre,
        verbose_name=_("后备干部"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    result = models.CharField(_("评价结果"), max_length=12, choices=EvaluationResult.choices)
    evaluator = models.CharField(_("评价人/评价组织"), max_length=60)
    comment = models.TextField(_("评价意见"), blank=True)
    recorded_by = actor_field(_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度评价")
        verbose_name_plural = _("年度评价")
        ordering = ["cadre_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "year"], name="cadre_evaluation_per_year")
        ]

    def __str__(self):
        return f"{self.cadre} {self.year}"
