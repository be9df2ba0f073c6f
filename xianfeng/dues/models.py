from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import actor_field

from .rules import IncomeCategory

MONEY = {"max_digits": 12, "decimal_places": 2}


class DuesBasis(models.Model):
    """交纳基数: a member's income category and income, valid from a month until the next row."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.CASCADE,
        related_name="dues_bases",
    )
    income_category = models.CharField(_("收入类别"), max_length=20, choices=IncomeCategory.choices)
    monthly_income = models.DecimalField(_("月收入（税后）"), default=0, **MONEY)
    chosen_amount = models.DecimalField(
        _("选定月交纳额"), null=True, blank=True, **MONEY
    )  # farmers: 0.2–1 元 chosen per member (rules.py)
    valid_from = models.DateField(_("起始月份"))
    set_by = actor_field(_("设置人"))
    set_at = models.DateTimeField(_("设置时间"), auto_now=True)

    class Meta:
        verbose_name = _("党费交纳基数")
        verbose_name_plural = _("党费交纳基数")
        ordering = ["member", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "valid_from"], name="dues_basis_one_per_month"
            )
        ]

    def __str__(self):
        return f"{self.member} {self.valid_from:%Y-%m}"


class PaymentMethod(models.TextChoices):
    SELF = "self", _("本人交纳")
    ON_BEHALF = "on_behalf", _("代交")
    BULK = "bulk", _("支部集中收缴")


class DuesPayment(models.Model):
    """One month's regular dues of one member."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.PROTECT,
        related_name="dues_payments",
    )
    month = models.DateField(_("月份"))
    amount_due = models.DecimalField(_("应交金额"), **MONEY)
    amount_paid = models.DecimalField(_("实交金额"), **MONEY)
    paid_on = models.DateField(_("交纳日期"))
    method = models.CharField(_("交纳方式"), max_length=20, choices=PaymentMethod.choices)
    recorded_by = actor_field(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党费交纳记录")
        verbose_name_plural = _("党费交纳记录")
        ordering = ["member", "month"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_one_payment_per_month")
        ]

    def __str__(self):
        return f"{self.member} {self.month:%Y-%m}"


class VoluntaryPayment(models.Model):
    """自愿多交党费; a single payment of 1,000 yuan or more goes entirely to the centre."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.PROTECT,
        related_name="voluntary_payments",
    )
    amount = models.DecimalField(_("金额"), **MONEY)
    paid_on = models.DateField(_("交纳日期"))
    to_centre = models.BooleanField(_("全额上缴中央"), default=False, editable=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = actor_field(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("自愿多交党费")
        verbose_name_plural = _("自愿多交党费")
        ordering = ["-paid_on", "-id"]

    def __str__(self):
        return f"{self.member} {self.amount}"


class ExemptionKind(models.TextChoices):
    REDUCED = "reduced", _("少交")
    WAIVED = "waived", _("免交")


class DuesExemption(models.Model):
    """少交或免交党费 (党费规定 第七条): approved by the level above for a run of months."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.CASCADE,
        related_name="dues_exemptions",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ExemptionKind.choices)
    monthly_amount = models.DecimalField(
        _("少交后月交纳额"), null=True, blank=True, **MONEY
    )  # reduced only
    from_month = models.DateField(_("起始月份"))
    until_month = models.DateField(_("截止月份"))  # inclusive
    reason = models.CharField(_("困难情况"), max_length=200)
    approved_by = models.CharField(_("批准机关"), max_length=120)
    approved_on = models.DateField(_("批准日期"))
    recorded_by = actor_field(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党费少交免交")
        verbose_name_plural = _("党费少交免交")
        ordering = ["member", "from_month"]

    def __str__(self):
        return f"{self.member} {self.get_kind_display()} {self.from_month:%Y-%m}–{self.until_month:%Y-%m}"

    def covers(self, month):
        return self.from_month <= month <= self.until_month


class DuesMonthRollup(models.Model):
    """Dues collection of one organization's active direct members in one month (rollup rows,
    docs/decisions/0004-dashboard-rollups.md): kept by dues.rollups in the transaction of every
    dues and member write, for the months up to the watermark `RollupWatermark 'dues'`."""

    organization = models.ForeignKey(  # indexed by the unique (organization, month)
        "orgs.Organization", on_delete=models.CASCADE, related_name="dues_rollups", db_index=False
    )
    month = models.DateField()
    liable = models.PositiveIntegerField(default=0)  # members owing dues that month
    paid = models.PositiveIntegerField(default=0)  # … of whom paid it
    run_unpaid = models.PositiveIntegerField(default=0)  # liable 3 months, paid none of them
    amount_due = models.DecimalField(default=0, **MONEY)
    amount_paid = models.DecimalField(default=0, **MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "month"], name="dues_rollup_one_per_org_month"
            )
        ]
        indexes = [models.Index(fields=["month", "organization"], name="dues_rollup_month_idx")]

    def __str__(self):
        return f"{self.organization_id} {self.month:%Y-%m}"
