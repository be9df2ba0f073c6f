from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import EncryptedField, actor_field


class TransferKind(models.TextChoices):
    INTERNAL = "internal", _("系统内转接")
    OUTBOUND = "outbound", _("转出本系统")
    INBOUND = "inbound", _("从系统外转入")


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("审批中")
    APPROVED = "approved", _("审批通过，待办结")
    ACCEPTED = "accepted", _("已接收")
    REJECTED = "rejected", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")
    LETTER_ISSUED = "letter_issued", _("已开具介绍信")
    RECEIPT_RETURNED = "receipt_returned", _("回执已返回")
    EXPIRED = "expired", _("介绍信逾期未回执")


OPEN_STATUSES = (TransferStatus.PENDING, TransferStatus.APPROVED)
# Letters out that still wait for their receipt (an expired one may still get it late).
AWAITING_RECEIPT = (TransferStatus.LETTER_ISSUED, TransferStatus.EXPIRED)


class TransferBatch(models.Model):
    """整建制转接: every member of one organization moved at once (e.g. villages merged)."""

    from_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("转出党组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("转入党组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("转接原因"), max_length=200)
    created_by = actor_field(_("发起人"))
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整建制转接")
        verbose_name_plural = _("整建制转接")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.from_org} → {self.to_org}"


class Transfer(models.Model):
    """组织关系转接: one member's relationship moving in, out of, or inside the system."""

    kind = models.CharField(_("转接类型"), max_length=20, choices=TransferKind.choices)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=TransferStatus.choices,
        default=TransferStatus.PENDING,
        db_index=True,
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    # Snapshot of who moves (for an inbound transfer: the person on the incoming letter).
    name = models.CharField(_("姓名"), max_length=50)
    id_number = EncryptedField(_("身份证号"), max_length=18, blank=True)
    # Kept out of `person` so the phone is encrypted like every other (core/crypto.py).
    phone = EncryptedField(_("手机号"), max_length=20, blank=True)
    person = models.JSONField(_("转入人员信息"), default=dict, blank=True)
    from_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("转出党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    to_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("转入党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    origin = models.CharField(_("来自(系统外党组织)"), max_length=200, blank=True)
    destination = models.CharField(_("去往(系统外党组织)"), max_length=200, blank=True)
    reason = models.CharField(_("转接原因"), max_length=200)
    batch = models.ForeignKey(
        TransferBatch,
        verbose_name=_("整建制转接"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transfers",
    )
    by_member = models.BooleanField(_("党员本人申请"), default=False)
    created_by = actor_field(_("发起人"))
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # Outbound: our letter (介绍信) and its returned receipt (回执).
    letter_no = models.CharField(_("介绍信编号"), max_length=60, null=True, blank=True, unique=True)
    issued_on = models.DateField(_("开具日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True, db_index=True)
    receipt_on = models.DateField(_("回执日期"), null=True, blank=True)
    receipt_note = models.CharField(_("回执说明"), max_length=200, blank=True)
    # Inbound: the letter that came from outside.
    incoming_letter_no = models.CharField(_("来信介绍信编号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status__in=OPEN_STATUSES),
                name="transfer_one_open_per_member",
            ),
            models.UniqueConstraint(
                fields=["incoming_letter_no"],
                condition=~Q(incoming_letter_no="")
                & ~Q(status__in=[TransferStatus.REJECTED, TransferStatus.WITHDRAWN]),
                name="transfer_incoming_letter_once",
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.from_label} → {self.to_label}"

    @property
    def from_label(self):
        return self.from_org.name if self.from_org_id else self.origin

    @property
    def to_label(self):
        return self.to_org.name if self.to_org_id else self.destination

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def current_step(self):
        """The first undecided step (uses prefetched `steps`), or None."""
        return next((s for s in self.steps.all() if s.decision == Decision.PENDING), None)

    def receipt_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.status in AWAITING_RECEIPT and self.valid_until < today


class StepAction(models.TextChoices):
    APPROVE = "approve", _("审批")
    ACCEPT = "accept", _("接收")
    ISSUE = "issue", _("开具介绍信")


class Decision(models.TextChoices):
    PENDING = "pending", _("待办理")
    APPROVED = "approved", _("同意")
    REJECTED = "rejected", _("退回")
    CANCELLED = "cancelled", _("未办理")


class TransferStep(models.Model):
    """One link of the approval chain: the organization holding it and what it decided."""

    transfer = models.ForeignKey(
        Transfer, verbose_name=_("转接"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("办理组织"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("环节"), max_length=10, choices=StepAction.choices)
    decision = models.CharField(
        _("结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = actor_field(_("办理人"))
    decided_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    reason = models.CharField(_("意见/理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("转接审批环节")
        verbose_name_plural = _("转接审批环节")
        ordering = ["transfer_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["transfer", "position"], name="transfer_step_position")
        ]

    def __str__(self):
        return f"{self.transfer} #{self.position} {self.organization}"


class TransferEvent(models.Model):
    """时间线: every action on a transfer, who did it and when."""

    transfer = models.ForeignKey(
        Transfer, verbose_name=_("转接"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=30)
    label = models.CharField(_("说明"), max_length=200)
    actor = actor_field(_("操作人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("转接记录")
        verbose_name_plural = _("转接记录")
        ordering = ["transfer_id", "at", "id"]

    def __str__(self):
        return f"{self.transfer} {self.label}"


class LetterSequence(models.Model):
    """The per-year count of the letters issued under one prefix (郭组转〔2026〕第0012号)."""

    prefix = models.CharField(_("字号"), max_length=10)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用编号"), default=0)

    class Meta:
        verbose_name = _("介绍信编号")
        verbose_name_plural = _("介绍信编号")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="letter_sequence_per_year")
        ]

    def __str__(self):
        return f"{self.prefix}〔{self.year}〕{self.last}"


class TransferPolicy(models.Model):
    """Per committee (usually a street's 党工委): how its transfers' chain may be shortened."""

    organization = models.OneToOneField(
        "orgs.Organization",
        verbose_name=_("党(工)委"),
        on_delete=models.CASCADE,
        related_name="transfer_policy",
    )
    direct_within = models.BooleanField(
        _("本党(工)委内部转接不经党(工)委审批"),
        default=False,
        help_text=_("勾选后，同一党(工)委下两个支部之间的转接只经转出支部同意、转入支部接收"),
    )
    letter_prefix = models.CharField(
        _("介绍信字号"), max_length=10, blank=True, help_text=_("如“郭组转”；留空取组织简称首字")
    )

    class Meta:
        verbose_name = _("转接设置")
        verbose_name_plural = _("转接设置")

    def __str__(self):
        return str(self.organization)


class MobileReason(models.TextChoices):
    WORK = "work", _("外出务工")
    BUSINESS = "business", _("外出经商")
    STUDY = "study", _("外出就学")
    OTHER = "other", _("其他")


class MobileStatus(models.TextChoices):
    AWAY = "away", _("在外")
    RETURNED = "returned", _("已返回")


class MobileMember(models.Model):
    """流动党员: a member living away from their branch, where, and who looks after them there."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.CASCADE,
        related_name="mobile_records",
    )
    place = models.CharField(_("流入地"), max_length=120)
    since = models.DateField(_("外出日期"))
    reason = models.CharField(_("外出原因"), max_length=20, choices=MobileReason.choices)
    # 条例 第二十五条: away 6 months or more at a relatively fixed place → the relationship
    # moves (transfers/rules.py); a member moving from place to place keeps it here.
    fixed_place = models.BooleanField(_("外出地点相对固定"), default=True)
    managing_org = models.CharField(_("流入地管理党组织"), max_length=120, blank=True)
    contact_name = models.CharField(_("流入地联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("流入地联系电话"), max_length=30, blank=True)
    mobile_branch = models.CharField(_("流动党员党支部/党小组"), max_length=120, blank=True)
    liaison = models.CharField(_("流出地联系人"), max_length=50, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=MobileStatus.choices, default=MobileStatus.AWAY
    )
    returned_on = models.DateField(_("返回日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = actor_field(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("流动党员")
        verbose_name_plural = _("流动党员")
        ordering = ["-since", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="away"),
                name="mobile_one_away_per_member",
            )
        ]

    def __str__(self):
        return f"{self.member} @ {self.place}"
