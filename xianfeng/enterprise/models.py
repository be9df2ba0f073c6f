"""企业一站式服务: the enterprises a street serves and their cases (诉求 with a 企业服务 category)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import EncryptedField

GROUP = "企业服务"  # Category.group of the enterprise categories (migration 0002)


class Industry(models.TextChoices):
    MANUFACTURING = "manufacturing", _("制造业")
    TECH = "tech", _("科技与信息服务")
    TRADE = "trade", _("批发零售")
    CATERING = "catering", _("住宿餐饮")
    CONSTRUCTION = "construction", _("建筑与房地产")
    FINANCE = "finance", _("金融")
    EDUCATION = "education", _("教育培训")
    SERVICES = "services", _("商务与居民服务")
    AGRICULTURE = "agriculture", _("农业")
    OTHER = "other", _("其他")


class Enterprise(models.Model):
    """企业: served by the staff of `organization`'s subtree and its 企业服务专员 (`specialist`)."""

    name = models.CharField(_("企业名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    industry = models.CharField(
        _("行业"), max_length=20, choices=Industry.choices, default=Industry.OTHER
    )
    address = models.CharField(_("地址"), max_length=200)
    contact_name = models.CharField(_("联系人"), max_length=40)
    contact_phone = EncryptedField(_("联系电话"), max_length=20)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("服务组织"),
        on_delete=models.PROTECT,
        related_name="served_enterprises",
    )
    party_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("企业党组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="own_enterprises",
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("企业服务专员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="served_enterprises",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class EnterpriseCase(models.Model):
    """One enterprise's request; handled on the request pages like any other 诉求."""

    request = models.OneToOneField(
        "resident_requests.ResidentRequest",
        verbose_name=_("诉求"),
        on_delete=models.CASCADE,
        related_name="enterprise_case",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="cases"
    )

    class Meta:
        verbose_name = _("企业服务事项")
        verbose_name_plural = _("企业服务事项")
        ordering = ["-request__created_at", "-id"]

    def __str__(self):
        return f"{self.enterprise} · {self.request}"
