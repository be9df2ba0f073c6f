from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import actor_field
from xianfeng.orgs.models import Domain

SCORE = {"max_digits": 7, "decimal_places": 2}


class MissingPolicy(models.TextChoices):
    EXCLUDE = "exclude", _("不计入满分")
    ZERO = "zero", _("计0分")


class Standard(models.Model):
    """考核标准: one domain's indicators for one year, with its star thresholds."""

    name = models.CharField(_("标准名称"), max_length=80)
    domain = models.CharField(_("所属领域"), max_length=20, choices=Domain.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    missing_policy = models.CharField(
        _("未接入指标"),
        max_length=10,
        choices=MissingPolicy.choices,
        default=MissingPolicy.EXCLUDE,
    )
    two_star = models.DecimalField(_("二星线(%)"), **SCORE)
    three_star = models.DecimalField(_("三星线(%)"), **SCORE)
    four_star = models.DecimalField(_("四星线(%)"), **SCORE)
    five_star = models.DecimalField(_("五星线(%)"), **SCORE)
    max_promote = models.PositiveSmallIntegerField(_("每年最多晋升星数"), default=1)
    max_demote = models.PositiveSmallIntegerField(
        _("每年最多降低星数"), null=True, blank=True, help_text=_("留空表示不限")
    )

    class Meta:
        verbose_name = _("考核标准")
        verbose_name_plural = _("考核标准")
        ordering = ["-year", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "year"], name="standard_one_per_domain_year"),
            models.CheckConstraint(
                condition=Q(two_star__gt=0)
                & Q(three_star__gt=F("two_star"))
                & Q(four_star__gt=F("three_star"))
                & Q(five_star__gt=F("four_star"))
                & Q(five_star__lte=100),
                name="standard_thresholds_ascending",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.name}"

    @property
    def thresholds(self):
        return (self.two_star, self.three_star, self.four_star, self.five_star)


class ItemKind(models.TextChoices):
    COMPUTED = "computed", _("系统计算")
    REVIEWED = "reviewed", _("评审打分")


class StandardItem(models.Model):
    """One indicator of a standard: computed from a registered indicator code, or reviewed."""

    standard = models.ForeignKey(
        Standard, verbose_name=_("考核标准"), on_delete=models.CASCADE, related_name="items"
    )
    name = models.CharField(_("指标"), max_length=60)
    kind = models.CharField(_("评分方式"), max_length=10, choices=ItemKind.choices)
    code = models.CharField(_("计算指标代码"), max_length=60, blank=True)
    max_score = models.DecimalField(_("满分"), validators=[MinValueValidator(0)], **SCORE)
    target = models.DecimalField(_("满分对应值"), default=100, **SCORE)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["standard", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "name"], name="item_unique_name"),
            models.CheckConstraint(
                condition=Q(kind="reviewed", code="")
                | Q(kind="computed", target__gt=0) & ~Q(code=""),
                name="item_code_matches_kind",
            ),
        ]

    def __str__(self):
        return self.name


class Stage(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class Round(models.Model):
    """One year's evaluation of every branch under an organization (a district or a street)."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    stage = models.CharField(_("状态"), max_length=10, choices=Stage.choices, default=Stage.DRAFT)
    evaluated_at = models.DateTimeField(_("测评时间"), null=True, blank=True)
    evaluated_by = actor_field(_("测评人"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = actor_field(_("发布人"))

    class Meta:
        verbose_name = _("评星定级年度测评")
        verbose_name_plural = _("评星定级年度测评")
        ordering = ["-year", "organization"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="round_one_per_org_year")
        ]

    def __str__(self):
        return f"{self.organization} {self.year}"

    @property
    def is_published(self):
        return self.stage == Stage.PUBLISHED


class BranchAssessment(models.Model):
    """支部考核: one organization's scores against its standard for one year."""

    round = models.ForeignKey(
        Round, verbose_name=_("年度测评"), on_delete=models.CASCADE, related_name="assessments"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    standard = models.ForeignKey(Standard, verbose_name=_("考核标准"), on_delete=models.PROTECT)
    score = models.DecimalField(_("得分"), **SCORE)
    max_score = models.DecimalField(_("满分"), **SCORE)
    percent = models.DecimalField(_("得分率(%)"), **SCORE)

    class Meta:
        verbose_name = _("支部考核")
        verbose_name_plural = _("支部考核")
        ordering = ["-year", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="assessment_one_per_org_year"
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.year}"


class ItemScore(models.Model):
    """The result of one indicator in one assessment."""

    assessment = models.ForeignKey(
        BranchAssessment, verbose_name=_("支部考核"), on_delete=models.CASCADE, related_name="items"
    )
    item = models.ForeignKey(StandardItem, verbose_name=_("指标"), on_delete=models.PROTECT)
    value = models.DecimalField(_("计算值"), max_digits=12, decimal_places=2, null=True)
    score = models.DecimalField(_("得分"), **SCORE)
    connected = models.BooleanField(_("已接入"), default=True)
    counted = models.BooleanField(_("计入满分"), default=True)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["assessment", "item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="item_score_once")
        ]

    def __str__(self):
        return f"{self.item} {self.score}"


class Change(models.TextChoices):
    NEW = "new", _("首次评定")
    PROMOTE = "promote", _("晋星升级")
    KEEP = "keep", _("保持")
    DEMOTE = "demote", _("降星落级")


class StarRating(models.Model):
    """评星定级: an organization's 1–5 stars for a year, after the promote/demote limits."""

    assessment = models.OneToOneField(
        BranchAssessment,
        verbose_name=_("支部考核"),
        on_delete=models.CASCADE,
        related_name="rating",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="star_ratings",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    computed_stars = models.PositiveSmallIntegerField(_("按得分星级"))
    stars = models.PositiveSmallIntegerField(_("星级"))
    previous_stars = models.PositiveSmallIntegerField(_("上年星级"), null=True, blank=True)
    change = models.CharField(_("动态管理"), max_length=10, choices=Change.choices)
    weak_and_lax = models.BooleanField(_("软弱涣散"), default=False, db_index=True)

    class Meta:
        verbose_name = _("评星定级")
        verbose_name_plural = _("评星定级")
        ordering = ["-year", "-stars", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="rating_one_per_org_year"
            ),
            models.CheckConstraint(
                condition=Q(
                    stars__gte=1, stars__lte=5, computed_stars__gte=1, computed_stars__lte=5
                ),
                name="rating_stars_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.year} {self.stars}★"


class ReviewScore(models.Model):
    """A reviewer's score, with evidence, for one reviewed indicator of one organization."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey(
        StandardItem, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="reviews"
    )
    score = models.DecimalField(_("评分"), validators=[MinValueValidator(0)], **SCORE)
    evidence = models.TextField(_("评分依据"))
    reviewer = actor_field(_("评审人"))
    scored_at = models.DateTimeField(_("评分时间"), auto_now=True)

    class Meta:
        verbose_name = _("评审打分")
        verbose_name_plural = _("评审打分")
        constraints = [
            models.UniqueConstraint(fields=["organization", "item"], name="review_once_per_item")
        ]

    def __str__(self):
        return f"{self.item} {self.score}"


class PlanStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    IN_PROGRESS = "in_progress", _("整改中")
    DONE = "done", _("已完成")


class RectificationPlan(models.Model):
    """整改方案 for an organization flagged 软弱涣散 in a year."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="rectification_plans",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    measures = models.TextField(_("整改措施"))
    owner = models.CharField(_("责任人"), max_length=50)
    deadline = models.DateField(_("整改时限"))
    status = models.CharField(
        _("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.OPEN
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    created_by = actor_field(_("制定人"))
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改方案")
        verbose_name_plural = _("整改方案")
        ordering = ["status", "deadline"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="one_plan_per_org_year")
        ]

    def __str__(self):
        return f"{self.organization} {self.year}"


# ---------------------------------------------------------------- members


class MemberWeights(models.Model):
    """The weights of the member assessment's components for one year, in percent."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    weights = models.JSONField(_("权重"))
    set_by = actor_field(_("设置人"))
    set_at = models.DateTimeField(_("设置时间"), auto_now=True)

    class Meta:
        verbose_name = _("党员考核权重")
        verbose_name_plural = _("党员考核权重")

    def __str__(self):
        return str(self.year)


class SecretaryScore(models.Model):
    """书记评价: the branch secretary's 0–100 score of a member for a year."""

    member = models.ForeignKey(
        "members.Member", verbose_name=_("党员"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    score = models.DecimalField(
        _("评分"), validators=[MinValueValidator(0), MaxValueValidator(100)], **SCORE
    )
    comment = models.CharField(_("评语"), max_length=200, blank=True)
    scored_by = actor_field(_("评分人"))
    scored_at = models.DateTimeField(_("评分时间"), auto_now=True)

    class Meta:
        verbose_name = _("书记评价")
        verbose_name_plural = _("书记评价")
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="secretary_score_once")
        ]

    def __str__(self):
        return f"{self.member} {self.year} {self.score}"


class MemberAssessment(models.Model):
    """党员考核: a member's yearly result from the weighted components."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所在组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    components = models.JSONField(_("分项得分"), default=dict)  # code → score or None
    weights = models.JSONField(_("采用权重"), default=dict)  # code → effective weight
    missing = models.JSONField(_("未接入分项"), default=list)
    total = models.DecimalField(_("总分"), null=True, blank=True, **SCORE)
    grade = models.CharField(_("等次"), max_length=10, blank=True)
    stage = models.CharField(_("状态"), max_length=10, choices=Stage.choices, default=Stage.DRAFT)
    evaluated_at = models.DateTimeField(_("测评时间"), auto_now=True)

    class Meta:
        verbose_name = _("党员考核")
        verbose_name_plural = _("党员考核")
        ordering = ["-year", "member"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="member_assessment_once")
        ]

    def __str__(self):
        return f"{self.member} {self.year}"

    @property
    def complete(self):
        return self.total is not None
