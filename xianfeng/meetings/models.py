from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.core.choices import choice_label
from xianfeng.core.fields import actor_field

from .rules import RULE_BY_CODE, MeetingKind


def month_index(day):
    """Months since year 0 (year × 12 + month − 1): one integer per calendar month."""
    return day.year * 12 + day.month - 1


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("已安排")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


class Meeting(models.Model):
    """One meeting of one organization; only held meetings count for compliance."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("会议类型"), max_length=30, choices=MeetingKind.choices)
    local_kind = models.CharField(_("自定义类型名称"), max_length=40, blank=True)
    topic = models.CharField(_("主题"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # The start's calendar day and month in Asia/Shanghai, kept by the services so that
    # compliance counts by the local calendar with plain integer arithmetic.
    held_on = models.DateField(_("会议日期"), editable=False)
    month_index = models.PositiveIntegerField(_("月序"), editable=False)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    presided_by = models.ForeignKey(
        "members.Member",
        verbose_name=_("主持人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lecturer = models.ForeignKey(
        "members.Member",
        verbose_name=_("党课讲授人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lecturer_name = models.CharField(_("讲授人（非本支部）"), max_length=50, blank=True)
    given_by_secretary = models.BooleanField(_("书记讲党课"), default=False, editable=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    notice_sent_at = models.DateTimeField(_("通知发出时间"), null=True, blank=True)
    minutes = models.TextField(_("会议记录"), blank=True)
    resolutions = models.TextField(_("会议决议"), blank=True)
    created_by = actor_field(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at", "-id"]
        indexes = [
            # Covers the compliance statement's per-organization lookup (index-only scans).
            models.Index(
                fields=["organization", "month_index", "status", "kind", "given_by_secretary"],
                name="meeting_org_month_idx",
            ),
            models.Index(fields=["month_index", "status"], name="meeting_month_status_idx"),
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.kind_label} {self.topic}"

    @property
    def kind_label(self):
        if self.kind == MeetingKind.LOCAL and self.local_kind:
            return self.local_kind
        return choice_label(self, "kind")

    @property
    def status_label(self):
        return choice_label(self, "status")

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at)


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("未签到")
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class SignInMethod(models.TextChoices):
    QR = "qr", _("扫码签到")
    ORGANIZER = "organizer", _("组织者登记")


class Attendance(models.Model):
    """A planned attendee of a meeting and what became of them."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    status = models.CharField(
        _("出席情况"),
        max_length=20,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.INVITED,
    )
    reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    method = models.CharField(
        _("签到方式"), max_length=20, choices=SignInMethod.choices, blank=True
    )
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    marked_by = actor_field(_("登记人"))

    class Meta:
        verbose_name = _("参会记录")
        verbose_name_plural = _("参会记录")
        ordering = ["meeting", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]
        indexes = [models.Index(fields=["member", "status"], name="attendance_member_idx")]

    def __str__(self):
        return f"{self.meeting} {self.member} {self.get_status_display()}"


class FileKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    FILE = "file", _("文件")


class MeetingFile(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=FileKind.choices)
    file = models.FileField(_("文件"), upload_to="meetings/%Y/")
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = actor_field(_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会议照片与文件")
        verbose_name_plural = _("会议照片与文件")
        ordering = ["meeting", "id"]

    def __str__(self):
        return self.caption or self.file.name


class ReviewGrade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASIC = "basic", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


class ReviewResult(models.Model):
    """民主评议党员: one member's result for one year, with the votes or the basis."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.CASCADE,
        related_name="review_results",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("评议党支部"),
        on_delete=models.PROTECT,
        related_name="review_results",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    grade = models.CharField(_("评议等次"), max_length=20, choices=ReviewGrade.choices)
    votes_excellent = models.PositiveIntegerField(_("优秀票"), null=True, blank=True)
    votes_qualified = models.PositiveIntegerField(_("合格票"), null=True, blank=True)
    votes_basic = models.PositiveIntegerField(_("基本合格票"), null=True, blank=True)
    votes_unqualified = models.PositiveIntegerField(_("不合格票"), null=True, blank=True)
    basis = models.TextField(_("评定依据"), blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("评议会议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_results",
    )
    recorded_by = actor_field(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now=True)

    class Meta:
        verbose_name = _("民主评议结果")
        verbose_name_plural = _("民主评议结果")
        ordering = ["organization_id", "-year", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="review_once_per_year")
        ]

    def __str__(self):
        return f"{self.year} {self.member} {self.get_grade_display()}"


class PlanItem(models.Model):
    """One meeting in a branch's yearly plan; the quarterly plan is the same rows by quarter."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        related_name="meeting_plan",
    )
    kind = models.CharField(_("会议类型"), max_length=30, choices=MeetingKind.choices)
    topic = models.CharField(_("计划主题"), max_length=200, blank=True)
    due_on = models.DateField(_("计划日期"))
    year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    month_index = models.PositiveIntegerField(_("月序"), editable=False)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("对应会议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
    )
    created_by = actor_field(_("制定人"))

    class Meta:
        verbose_name = _("会议计划")
        verbose_name_plural = _("会议计划")
        ordering = ["organization_id", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "due_on"], name="plan_item_once"
            )
        ]
        indexes = [models.Index(fields=["due_on"], name="plan_item_due_idx")]

    def __str__(self):
        return f"{self.organization} {self.due_on} {self.get_kind_display()}"

    @property
    def quarter(self):
        return (self.due_on.month - 1) // 3 + 1


class ReminderKind(models.TextChoices):
    DUE = "due", _("会议即将到期")
    MISSED = "missed", _("会议未按计划召开")


class Reminder(models.Model):
    """A reminder raised once per plan item and kind: to the organizer before the due day
    (`organization` = the branch) and to the level above when it is missed (its parent)."""

    plan_item = models.ForeignKey(
        PlanItem, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("提醒类型"), max_length=10, choices=ReminderKind.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("提醒对象组织"),
        on_delete=models.CASCADE,
        related_name="meeting_reminders",
    )
    created_on = models.DateField(_("提醒日期"))
    message = models.CharField(_("内容"), max_length=300)

    class Meta:
        verbose_name = _("会议提醒")
        verbose_name_plural = _("会议提醒")
        ordering = ["-created_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["plan_item", "kind"], name="reminder_once")]

    def __str__(self):
        return self.message


class RuleOverride(models.Model):
    """A district's (or any organization's) change to one rules-table row for its subtree;
    the deepest override above an organization wins."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("适用组织（含下级）"),
        on_delete=models.CASCADE,
        related_name="meeting_rule_overrides",
    )
    rule_code = models.CharField(
        _("规则"), max_length=30, choices=[(code, code) for code in RULE_BY_CODE]
    )
    enabled = models.BooleanField(_("启用"), default=True)
    per_period = models.PositiveSmallIntegerField(_("每周期至少次数"), default=1)
    months = models.PositiveSmallIntegerField(
        _("周期（月）"), choices=[(1, _("每月")), (3, _("每季度")), (12, _("每年"))]
    )
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("组织生活规则调整")
        verbose_name_plural = _("组织生活规则调整")
        constraints = [
            models.UniqueConstraint(fields=["organization", "rule_code"], name="rule_override_once")
        ]

    def __str__(self):
        return f"{self.organization} {self.rule_code}"


class ComplianceSummary(models.Model):
    """The compliance of an organization's subtree for a period, counted on `day` (the big
    screen's quarter; compliance_cache.py). Valid for that day only; a meeting, plan item
    or rule override written inside the subtree deletes it at once."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    start = models.DateField()
    end = models.DateField()
    day = models.DateField()
    summary = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "start", "end"], name="compliance_summary_key"
            )
        ]

    def __str__(self):
        return f"{self.organization_id} {self.start}–{self.end} @ {self.day}"
