from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import actor_field


class CourseKind(models.TextChoices):
    VIDEO = "video", _("视频")
    AUDIO = "audio", _("音频")
    DOCUMENT = "document", _("文档")
    TEXT = "text", _("图文")


class Course(models.Model):
    """课程 of the 灯塔大课堂: published by an organization for every member below it."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("发布组织"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    title = models.CharField(_("课程名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=10, choices=CourseKind.choices)
    summary = models.TextField(_("简介"), blank=True)
    body = models.TextField(_("正文"), blank=True)
    file = models.FileField(_("课件文件"), upload_to="courses/%Y/", blank=True)
    minutes = models.PositiveIntegerField(_("学时(分钟)"))
    is_published = models.BooleanField(_("已发布"), default=True)
    created_by = actor_field(_("发布人"))
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("课程")
        verbose_name_plural = _("课程")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class RequiredCourse(models.Model):
    """必学课程: every member in the organization's subtree must finish it within the period."""

    course = models.ForeignKey(
        Course, verbose_name=_("课程"), on_delete=models.CASCADE, related_name="requirements"
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("适用组织"), on_delete=models.CASCADE, related_name="+"
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("截止日期"))
    created_by = actor_field(_("布置人"))

    class Meta:
        verbose_name = _("必学课程")
        verbose_name_plural = _("必学课程")
        ordering = ["ends_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "organization", "starts_on"], name="one_requirement_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="requirement_period"
            ),
        ]

    def __str__(self):
        return f"{self.course} ({self.starts_on}—{self.ends_on})"


class StudyRecord(models.Model):
    """学习记录: the time a member actually spent on a course, counted from the page's beats."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.CASCADE,
        related_name="study_records",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("课程"), on_delete=models.CASCADE, related_name="records"
    )
    seconds = models.PositiveIntegerField(_("学习时长(秒)"), default=0)
    last_beat_at = models.DateTimeField(_("最近学习时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("学习记录")
        verbose_name_plural = _("学习记录")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "course"], name="one_record_per_member_course"
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.course}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    JUDGE = "judge", _("判断")


class Question(models.Model):
    """题库 question. `answer` holds the indexes of the right options (判断: 0 对, 1 错)."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属组织"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("题目分类"), max_length=40, db_index=True)
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices)
    text = models.TextField(_("题干"))
    options = models.JSONField(_("选项"))
    answer = models.JSONField(_("答案"))
    explanation = models.TextField(_("解析"), blank=True)

    class Meta:
        verbose_name = _("试题")
        verbose_name_plural = _("试题")
        ordering = ["topic", "id"]

    def __str__(self):
        return self.text[:40]


class Quiz(models.Model):
    """测试: a random paper of `question_count` questions drawn from a topic of the bank."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("发布组织"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("测试名称"), max_length=120)
    topic = models.CharField(_("题目分类"), max_length=40)
    question_count = models.PositiveSmallIntegerField(_("题量"))
    pass_score = models.PositiveSmallIntegerField(_("及格分"), default=60)
    attempts_allowed = models.PositiveSmallIntegerField(_("可答次数"), default=3)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    created_by = actor_field(_("发布人"))

    class Meta:
        verbose_name = _("测试")
        verbose_name_plural = _("测试")
        ordering = ["-opens_on", "-id"]

    def __str__(self):
        return self.title


class QuizAttempt(models.Model):
    """答卷: the paper drawn for one member (question ids in order) and, once submitted, its score."""

    quiz = models.ForeignKey(
        Quiz, verbose_name=_("测试"), on_delete=models.CASCADE, related_name="attempts"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("党员"), on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("第几次"))
    question_ids = models.JSONField(_("试题"))
    answers = models.JSONField(_("作答"), default=dict)
    score = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "member", "number"], name="one_attempt_number"),
        ]

    def __str__(self):
        return f"{self.quiz} · {self.member} #{self.number}"
