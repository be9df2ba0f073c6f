from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import BlindIndexField, EncryptedField, actor_field
from xianfeng.members.idcard import validate_id_number
from xianfeng.members.models import Gender

from .rules import STAGES, STEP_BY_CODE, STEP_CODES, STEPS


class DevelopmentStatus(models.TextChoices):
    ACTIVE = "active", _("进行中")
    WITHDRAWN = "withdrawn", _("已终止")
    CANCELLED = "cancelled", _("已取消预备党员资格")
    DONE = "done", _("已完成")


STEP_CHOICES = [(s.code, s.name) for s in STEPS]


class Development(models.Model):
    """发展党员: one person's path from application to confirmation.

    The current stage is derived from the latest recorded step (steps are recorded in
    order), so it can never disagree with the timeline.
    """

    name = models.CharField(_("姓名"), max_length=50)
    id_number = EncryptedField(
        _("身份证号"), max_length=18, validators=[validate_id_number], blind="id_number_hash"
    )
    id_number_hash = BlindIndexField(
        _("身份证号索引"), source="id_number", purpose="development.id", db_index=True
    )
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    phone = EncryptedField(_("手机号"), max_length=20, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所在党支部"),
        on_delete=models.PROTECT,
        related_name="developments",
    )
    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("党员档案"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="development",
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=DevelopmentStatus.choices,
        default=DevelopmentStatus.ACTIVE,
        db_index=True,
    )
    # 党章 第七条: probation may be extended once, by six months to a year (rules.PROBATION_*).
    probation_extended_on = models.DateField(_("延长预备期决定日期"), null=True, blank=True)
    probation_extension_months = models.PositiveSmallIntegerField(
        _("延长预备期(月)"), null=True, blank=True
    )
    probation_extension_reason = models.CharField(_("延长预备期原因"), max_length=300, blank=True)
    # 细则 第十九条: a candidate leaving within three months is generally not admitted.
    expected_departure_on = models.DateField(_("预计离开工作、学习单位日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("发展党员")
        verbose_name_plural = _("发展党员")
        ordering = ["organization_id", "id"]

    def __str__(self):
        return self.name

    def done_codes(self):
        """Codes of the recorded steps; uses prefetched `steps` when present."""
        return {s.step for s in self.steps.all()}

    @property
    def last_step(self):
        done = self.done_codes()
        codes = [c for c in STEP_CODES if c in done]
        return STEP_BY_CODE[codes[-1]] if codes else None

    @property
    def next_step(self):
        done = self.done_codes()
        return next((STEP_BY_CODE[c] for c in STEP_CODES if c not in done), None)

    @property
    def stage(self):
        last = self.last_step
        return last.stage if last else None

    @property
    def stage_name(self):
        return STAGES.get(self.stage, "")


class DevelopmentStep(models.Model):
    development = models.ForeignKey(
        Development, verbose_name=_("发展对象"), on_delete=models.CASCADE, related_name="steps"
    )
    step = models.CharField(_("步骤"), max_length=3, choices=STEP_CHOICES)
    done_on = models.DateField(_("完成日期"))
    end_on = models.DateField(_("结束日期"), null=True, blank=True)
    hours = models.PositiveIntegerField(_("学时"), null=True, blank=True)
    people = models.CharField(_("相关人员"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)
    document = models.FileField(_("材料"), upload_to="development/%Y/", blank=True)
    # 支部大会 (s15 接收, s23 转正): the vote that carried the resolution (rules.meeting_vote_error).
    voters_entitled = models.PositiveIntegerField(_("应到会有表决权人数"), null=True, blank=True)
    voters_present = models.PositiveIntegerField(_("实到会有表决权人数"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("赞成人数"), null=True, blank=True)
    # Why the branch admitted a candidate leaving within three months (rules.DEPARTURE_SOURCE).
    departure_reason = models.CharField(_("三个月内离开仍办理的理由"), max_length=300, blank=True)
    recorded_by = actor_field(_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("发展步骤")
        verbose_name_plural = _("发展步骤")
        ordering = ["development_id", "step"]
        constraints = [
            models.UniqueConstraint(fields=["development", "step"], name="dev_step_once")
        ]

    def __str__(self):
        return f"{self.development} {self.get_step_display()}"


class ThoughtReport(models.Model):
    development = models.ForeignKey(
        Development,
        verbose_name=_("发展对象"),
        on_delete=models.CASCADE,
        related_name="thought_reports",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    submitted_on = models.DateField(_("递交日期"))

    class Meta:
        verbose_name = _("思想汇报")
        verbose_name_plural = _("思想汇报")
        ordering = ["development_id", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["development", "year", "quarter"], name="dev_report_per_quarter"
            )
        ]

    def __str__(self):
        return f"{self.development} {self.year}年第{self.quarter}季度"


class DevelopmentPlan(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党支部"),
        on_delete=models.CASCADE,
        related_name="development_plans",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    planned = models.PositiveIntegerField(_("计划发展人数"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("发展计划")
        verbose_name_plural = _("发展计划")
        ordering = ["organization_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="dev_plan_per_year")
        ]

    def __str__(self):
        return f"{self.organization} {self.year}"


class ReviewResult(models.TextChoices):
    GOOD = "good", _("好")
    FAIR = "fair", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("差")


class ActivistReview(models.Model):
    """考察: the branch's six-monthly review of an activist (入党积极分子)."""

    development = models.ForeignKey(
        Development,
        verbose_name=_("发展对象"),
        on_delete=models.CASCADE,
        related_name="activist_reviews",
    )
    reviewed_on = models.DateField(_("考察日期"))
    result = models.CharField(_("考察结果"), max_length=10, choices=ReviewResult.choices)
    comment = models.TextField(_("考察意见"), blank=True)
    reviewed_by = actor_field(_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("积极分子考察")
        verbose_name_plural = _("积极分子考察")
        ordering = ["development_id", "reviewed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["development", "reviewed_on"], name="dev_review_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.development} {self.reviewed_on:%Y-%m-%d}"
