from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import actor_field


class CaseStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    REMOVAL_PROPOSED = "removal_proposed", _("支部大会决定除名，待上级批准")
    REASON_ACCEPTED = "reason_accepted", _("有正当理由")
    RESUMED = "resumed", _("已恢复组织生活")
    REMOVED = "removed", _("已除名")


OPEN_STATUSES = (CaseStatus.OPEN, CaseStatus.REMOVAL_PROPOSED)


class LapseCase(models.Model):
    """疑似自行脱党 (党章 第九条): what the periodic check found for one member, for the branch."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.CASCADE,
        related_name="lapse_cases",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所在党组织"),
        on_delete=models.PROTECT,
        related_name="lapse_cases",
    )
    first_month = models.DateField(_("起始月份"))
    last_month = models.DateField(_("截止月份"))
    no_life = models.BooleanField(_("未参加组织生活"), default=False)
    no_dues = models.BooleanField(_("未交纳党费"), default=False)
    no_work = models.BooleanField(_("未做党所分配的工作"), default=False)
    detected_on = models.DateField(_("发现日期"))
    status = models.CharField(
        _("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("疑似自行脱党")
        verbose_name_plural = _("疑似自行脱党")
        ordering = ["-detected_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status__in=["open", "removal_proposed"]),
                name="lapse_one_open_case",
            )
        ]

    def __str__(self):
        return f"{self.member} {self.first_month:%Y-%m}–{self.last_month:%Y-%m}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


class ActionKind(models.TextChoices):
    TALKED = "talked", _("谈心谈话、批评教育")
    REASON_ACCEPTED = "reason_accepted", _("核实有正当理由")
    RESUMED = "resumed", _("已恢复参加组织生活、补交党费")
    REMOVAL_PROPOSED = "removal_proposed", _("支部大会决定除名，报上级党组织批准")
    REMOVAL_APPROVED = "removal_approved", _("上级党组织批准除名")


class LapseAction(models.Model):
    """处置记录: one step the branch took on a case."""

    case = models.ForeignKey(
        LapseCase, verbose_name=_("疑似自行脱党"), on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField(_("处置"), max_length=20, choices=ActionKind.choices)
    on = models.DateField(_("日期"))
    note = models.CharField(_("情况说明"), max_length=300)
    actor = actor_field(_("登记人"))
    at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("处置记录")
        verbose_name_plural = _("处置记录")
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.case} {self.get_kind_display()}"
