from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import actor_field


class Instructor(models.Model):
    """党建指导员: an official (a party member) the office assigns to guide organizations.

    The login, if any, is the member's own (accounts.User.member); assignments grant it the
    `instructor` role on each organization (see services).
    """

    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.PROTECT,
        related_name="instructor",
    )
    office = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("选派党组织"),
        on_delete=models.PROTECT,
        related_name="instructors",
    )
    department = models.CharField(_("所在部门"), max_length=60, blank=True)
    appointed_on = models.DateField(_("选派日期"))
    created_by = actor_field(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党建指导员")
        verbose_name_plural = _("党建指导员")
        ordering = ["office_id", "id"]

    def __str__(self):
        return self.member.name


class Assignment(models.Model):
    """指导关系: an instructor guiding one organization between two dates."""

    instructor = models.ForeignKey(
        Instructor,
        verbose_name=_("党建指导员"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("指导的党组织"),
        on_delete=models.PROTECT,
        related_name="instructor_assignments",
    )
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("指导关系")
        verbose_name_plural = _("指导关系")
        ordering = ["instructor_id", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["instructor", "organization"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_assignment",
            )
        ]

    def __str__(self):
        return f"{self.instructor} → {self.organization}"


class VisitKind(models.TextChoices):
    GUIDANCE = "guidance", _("到岗指导")
    MEETING = "meeting", _("列席重要会议")
    ACTIVITY = "activity", _("指导开展活动")
    OTHER = "other", _("其他")


class Visit(models.Model):
    """到岗履责记录: one day's work at an organization (a line of the 工作日志)."""

    instructor = models.ForeignKey(
        Instructor, verbose_name=_("党建指导员"), on_delete=models.CASCADE, related_name="visits"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="instructor_visits",
    )
    visited_on = models.DateField(_("日期"))
    kind = models.CharField(_("类别"), max_length=20, choices=VisitKind.choices)
    content = models.TextField(_("工作内容"))
    recorded_by = actor_field(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("到岗履责记录")
        verbose_name_plural = _("到岗履责记录")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["organization", "visited_on"], name="visit_org_day_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["instructor", "organization", "visited_on", "kind"], name="visit_once"
            )
        ]

    def __str__(self):
        return f"{self.instructor} {self.organization} {self.visited_on}"


class WorkReport(models.Model):
    """工作汇报: an instructor's report to the office."""

    instructor = models.ForeignKey(
        Instructor, verbose_name=_("党建指导员"), on_delete=models.CASCADE, related_name="reports"
    )
    reported_on = models.DateField(_("汇报日期"))
    title = models.CharField(_("标题"), max_length=120)
    content = models.TextField(_("汇报内容"))
    recorded_by = actor_field(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工作汇报")
        verbose_name_plural = _("工作汇报")
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["instructor", "title"], name="report_title_once")
        ]

    def __str__(self):
        return self.title


class WindowKind(models.TextChoices):
    WORKLOG = "worklog", _("工作日志")
    LEDGER = "ledger", _("工作台账")


class CollectionWindow(models.Model):
    """收取窗口: when the office collects the work logs (every two quarters) or ledgers (yearly)."""

    office = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        related_name="instructor_windows",
    )
    kind = models.CharField(_("收取内容"), max_length=20, choices=WindowKind.choices)
    period_start = models.DateField(_("所属期间起"))
    period_end = models.DateField(_("所属期间止"))
    opens_on = models.DateField(_("开始收取"))
    closes_on = models.DateField(_("截止日期"))
    created_by = actor_field(_("设定人"))
    created_at = models.DateTimeField(_("设定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("收取窗口")
        verbose_name_plural = _("收取窗口")
        ordering = ["-period_start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "period_start"], name="one_window_per_period"
            )
        ]

    def __str__(self):
        return f"{self.period_start:%Y.%m}—{self.period_end:%Y.%m} {self.get_kind_display()}"

    def is_open(self, today):
        return self.opens_on <= today


class Submission(models.Model):
    """提交记录: an instructor's log or ledger handed in for a window; late after the deadline."""

    window = models.ForeignKey(
        CollectionWindow,
        verbose_name=_("收取窗口"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    instructor = models.ForeignKey(
        Instructor,
        verbose_name=_("党建指导员"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    submitted_on = models.DateField(_("提交日期"))
    visits = models.PositiveIntegerField(_("期间到岗记录数"), default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = actor_field(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提交记录")
        verbose_name_plural = _("提交记录")
        ordering = ["window_id", "submitted_on"]
        constraints = [models.UniqueConstraint(fields=["window", "instructor"], name="submit_once")]

    def __str__(self):
        return f"{self.instructor} {self.window}"

    @property
    def is_late(self):
        return self.submitted_on > self.window.closes_on


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("工作例会")
    FORUM = "forum", _("座谈会")


class InstructorMeeting(models.Model):
    """工作例会/座谈会 of the instructors, held each quarter, with minutes."""

    office = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        related_name="instructor_meetings",
    )
    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField(_("召开日期"))
    topic = models.CharField(_("议题"), max_length=200)
    minutes = models.TextField(_("会议纪要"))
    attendees = models.ManyToManyField(
        Instructor, verbose_name=_("参会指导员"), related_name="meetings", blank=True
    )
    recorded_by = actor_field(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("指导员工作例会")
        verbose_name_plural = _("指导员工作例会")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "held_on", "kind"], name="meeting_once")
        ]

    def __str__(self):
        return f"{self.held_on} {self.get_kind_display()}"

    @property
    def quarter(self):
        return (self.held_on.month - 1) // 3 + 1
