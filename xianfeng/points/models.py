"""积分: versioned rules, an append-only ledger, per-period totals, claims and closed rankings.

The ledger (`PointEvent`) is the truth. `PointTotal` is a rollup of it per member and
period (month, quarter, year), written in the same transaction as every ledger row, so a
subtree's TOP-N is an index walk instead of a GROUP BY over millions of events.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import actor_field
from xianfeng.orgs.models import Domain


class AppendOnly(ValidationError):
    """Raised when code tries to change or delete a row that may only ever be added."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly(f"{self.model._meta.verbose_name}只能新增，不能修改")

    def delete(self):
        raise AppendOnly(f"{self.model._meta.verbose_name}只能新增，不能删除")


class AppendOnlyModel(models.Model):
    """Rows are written once; PostgreSQL triggers (migration 0002) refuse the rest too."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly(f"{self._meta.verbose_name}只能新增，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly(f"{self._meta.verbose_name}只能新增，不能删除")


class PointRule(models.Model):
    """积分规则, one version: an edit adds the next version, earlier versions stay as they were."""

    code = models.CharField(_("规则代码"), max_length=40)
    version = models.PositiveIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=80)
    points = models.IntegerField(_("分值"), help_text=_("加分为正，扣分为负"))
    cap_month = models.PositiveIntegerField(_("每月上限"), null=True, blank=True)
    cap_year = models.PositiveIntegerField(_("每年上限"), null=True, blank=True)
    needs_approval = models.BooleanField(_("党员申报需审核"), default=True)
    claimable = models.BooleanField(_("党员可申报"), default=False)
    per_hour = models.BooleanField(
        _("按小时计分"), default=False, help_text=_("分值×时长，不足一小时按一小时计")
    )
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    domains = models.JSONField(_("适用领域"), default=list, blank=True)
    scope = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("适用组织(含下级)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空为全部组织"),
    )
    source = models.CharField(_("依据"), max_length=200, blank=True)
    created_by = actor_field(_("修订人"))
    created_at = models.DateTimeField(_("修订时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["code", "-version"]
        # A rule with a scope overrides the same code for that subtree (the most specific
        # scope applies); each (code, scope) has its own versions.
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=models.Q(scope__isnull=True),
                name="point_rule_code_version",
            ),
            models.UniqueConstraint(
                fields=["code", "scope", "version"],
                condition=models.Q(scope__isnull=False),
                name="point_rule_scoped_code_version",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.points:+d}）"

    def domain_labels(self):
        labels = dict(Domain.choices)
        return [labels.get(d, d) for d in self.domains]

    @property
    def is_deduction(self):
        return self.points < 0


class EventKind(models.TextChoices):
    AUTO = "auto", _("系统自动")
    MANUAL = "manual", _("书记登记")
    CLAIM = "claim", _("党员申报")
    REVERSAL = "reversal", _("冲正")


class PointEvent(AppendOnlyModel):
    """积分流水: one award or deduction; a correction is another row that reverses it."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.PROTECT,
        related_name="point_events",
    )
    rule = models.ForeignKey(
        PointRule, verbose_name=_("规则(版本)"), on_delete=models.PROTECT, related_name="events"
    )
    rule_code = models.CharField(_("规则代码"), max_length=40)
    points = models.IntegerField(_("分值"))
    kind = models.CharField(_("来源"), max_length=10, choices=EventKind.choices)
    booked_on = models.DateField(_("记入日期"))
    occurred_on = models.DateField(_("发生日期"))
    source_type = models.CharField(_("来源对象类型"), max_length=64)
    source_id = models.CharField(_("来源对象编号"), max_length=64)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("记入时所在组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲正的流水"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        # The ledger is partitioned by year on PostgreSQL (core.partitions): no foreign key
        # can point into it, reverse_event keeps the link (decision 0005).
        db_constraint=False,
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    approved_by = actor_field(_("审核/登记人"))
    created_at = models.DateTimeField(_("记账时间"))

    class Meta:
        verbose_name = _("积分流水")
        verbose_name_plural = _("积分流水")
        ordering = ["-booked_on", "-id"]
        constraints = [
            # A retried event, a double-submitted form or a second approval awards once.
            models.UniqueConstraint(
                fields=["rule_code", "source_type", "source_id"], name="point_event_once"
            )
        ]
        indexes = [models.Index(fields=["member", "booked_on"], name="point_event_member_idx")]

    def __str__(self):
        return f"{self.member} {self.rule_code} {self.points:+d}"


class PointTotal(models.Model):
    """A member's points in one period ("2026-03", "2026-Q1", "2026"), kept by the ledger's writer.

    `reached_at` is the booking time of the member's latest event in the period: the moment
    the current total was reached, the first tie-break of every ranking.
    """

    member = models.ForeignKey(
        "members.Member", verbose_name=_("党员"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(_("期间"), max_length=7)
    total = models.IntegerField(_("积分"), default=0)
    deducted = models.IntegerField(_("扣分"), default=0)
    reached_at = models.DateTimeField(_("达到时间"))

    class Meta:
        verbose_name = _("积分汇总")
        verbose_name_plural = _("积分汇总")
        constraints = [
            models.UniqueConstraint(fields=["member", "period"], name="point_total_one_per_period")
        ]
        indexes = [
            models.Index(
                "period",
                models.F("total").desc(),
                "reached_at",
                "member",
                name="point_total_rank_idx",
            )
        ]

    def __str__(self):
        return f"{self.member_id} {self.period} {self.total}"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class PointClaim(models.Model):
    """积分申报: a member asks for points under a rule, with evidence, for the secretary."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.PROTECT,
        related_name="point_claims",
    )
    rule = models.ForeignKey(PointRule, verbose_name=_("规则"), on_delete=models.PROTECT)
    occurred_on = models.DateField(_("发生日期"))
    description = models.CharField(_("事由"), max_length=300)
    evidence = models.FileField(_("佐证材料"), upload_to="points/evidence/%Y/%m/")
    status = models.CharField(
        _("状态"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    decided_by = actor_field(_("审核人"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.CharField(_("审核意见"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("积分申报")
        verbose_name_plural = _("积分申报")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.member} {self.rule.name}"


class RankingSnapshot(AppendOnlyModel):
    """A closed month of one organization's subtree: its TOP-N frozen for the notice board."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    period = models.CharField(_("期间"), max_length=7)
    size = models.PositiveSmallIntegerField(_("名次数"))
    closed_by = actor_field(_("结账人"))
    closed_at = models.DateTimeField(_("结账时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("积分排名快照")
        verbose_name_plural = _("积分排名快照")
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "period"], name="ranking_snapshot_once")
        ]

    def __str__(self):
        return f"{self.organization} {self.period}"


class RankingRow(AppendOnlyModel):
    snapshot = models.ForeignKey(
        RankingSnapshot, verbose_name=_("快照"), on_delete=models.PROTECT, related_name="rows"
    )
    rank = models.PositiveSmallIntegerField(_("名次"))
    member = models.ForeignKey(
        "members.Member", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+"
    )
    member_name = models.CharField(_("姓名"), max_length=50)
    org_name = models.CharField(_("所在组织"), max_length=120)
    total = models.IntegerField(_("积分"))

    class Meta:
        verbose_name = _("排名快照行")
        verbose_name_plural = _("排名快照行")
        ordering = ["snapshot", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "rank"], name="ranking_row_rank_once")
        ]

    def __str__(self):
        return f"{self.rank}. {self.member_name} {self.total}"


class PendingBooking(models.Model):
    """积分待记账: a `point_event` written down before it is booked (the outbox of bookings).

    Written in the sender's transaction, so the fact commits with what caused it; deleted in
    the same savepoint that books it. A row left behind (a database error while booking, a
    process that died) is booked by the sweep; booking is idempotent on (rule, source).
    """

    member = models.ForeignKey(
        "members.Member", verbose_name=_("党员"), on_delete=models.CASCADE, related_name="+"
    )
    rule_code = models.CharField(_("规则代码"), max_length=40)
    source_type = models.CharField(_("来源对象类型"), max_length=64)
    source_id = models.CharField(_("来源对象编号"), max_length=64)
    occurred_on = models.DateField(_("发生日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    hours = models.DecimalField(
        _("时长（小时）"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("积分待记账")
        verbose_name_plural = _("积分待记账")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.rule_code} {self.source_type}:{self.source_id}"
