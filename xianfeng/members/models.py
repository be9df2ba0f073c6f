from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import BlindIndexField, EncryptedField, actor_field

from .idcard import validate_id_number


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY = "secondary", _("中专")
    HIGH_SCHOOL = "high_school", _("高中")
    JUNIOR = "junior", _("初中及以下")


class Category(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class MemberStatus(models.TextChoices):
    NORMAL = "normal", _("正常")
    LOST_CONTACT = "lost_contact", _("失联")
    PARTY_PROBATION = "party_probation", _("留党察看")
    DETAINED = "detained", _("留置")
    ARRESTED = "arrested", _("逮捕")
    # 党员教育管理工作条例 第二十四条: out of contact 6 months and still not found. Not counted,
    # no dues, no vote; restorable (恢复党籍), or 除名 after two years (xianfeng.standing).
    SUSPENDED = "suspended", _("停止党籍")
    MOVED_OUT = "moved_out", _("已转出")
    LEFT = "left", _("已出党")
    DECEASED = "deceased", _("已去世")


# Still members of the organization (counted, pay dues, attend), whatever else applies.
ACTIVE_STATUSES = (
    MemberStatus.NORMAL,
    MemberStatus.LOST_CONTACT,
    MemberStatus.PARTY_PROBATION,
    MemberStatus.DETAINED,
    MemberStatus.ARRESTED,
)
# 选举工作条例: members under 留党察看, 留置 or 逮捕 have no vote and are not expected voters; a
# member out of contact (失联) is not an expected voter either. The date each began is the
# StatusChange row that set it.
VOTING_STATUSES = (MemberStatus.NORMAL,)
# Statuses set by a disciplinary or membership decision, which a temporary branch may not take.
DISCIPLINE_STATUSES = (MemberStatus.PARTY_PROBATION, MemberStatus.LEFT)
# `Membership.reason` of a member who came into the system with a letter from outside (an
# inbound transfer); moves inside the system carry other reasons.
INBOUND_REASON = "组织关系转入"


class MemberTag(models.Model):
    """党员标签: e.g. 流动党员, 困难党员, 光荣在党50年."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("党员标签")
        verbose_name_plural = _("党员标签")
        ordering = ["id"]

    def __str__(self):
        return self.name


class MemberQuerySet(models.QuerySet):
    def locked(self):
        """Lock the member rows for a write. Only the member rows (not the organization a
        select_related joins: members.services locks those itself, in pk order), and as
        FOR NO KEY UPDATE, so rows of other tables that reference the member (archive
        states, point events) can still be written by a writer holding the organization."""
        return self.select_for_update(no_key=True, of=("self",))

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def with_status_since(self):
        """Annotate `status_since`: the date of the latest StatusChange into the current status
        (None for a member whose status was never changed through the services)."""
        latest = StatusChange.objects.filter(
            member=models.OuterRef("pk"), to_status=models.OuterRef("status")
        ).order_by("-on", "-id")
        return self.annotate(status_since=models.Subquery(latest.values("on")[:1]))

    def with_id_number(self, *numbers):
        """Members holding any of these 身份证号 (normalised), through the blind index —
        what importers and duplicate checks use; `id_number=`/`id_number__in=` do the same."""
        return self.filter(id_number__in=[n for n in numbers if n])


class Member(models.Model):
    """党员: a party member's record."""

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_date = models.DateField(_("出生日期"))
    # Stored encrypted (core/crypto.py); looked up and kept unique through the blind indexes.
    id_number = EncryptedField(
        _("身份证号"), max_length=18, validators=[validate_id_number], blind="id_number_hash"
    )
    phone = EncryptedField(_("手机号"), max_length=20, blank=True, blind="phone_hash")
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices, blank=True)
    employer = models.CharField(_("工作单位"), max_length=120, blank=True)
    post = models.CharField(_("职务/岗位"), max_length=60, blank=True)
    household_address = models.CharField(_("户籍地址"), max_length=200, blank=True)
    home_address = models.CharField(_("现居住地址"), max_length=200, blank=True)
    joined_on = models.DateField(_("入党日期"))
    confirmed_on = models.DateField(_("转正日期"), null=True, blank=True)
    category = models.CharField(
        _("党员类别"), max_length=20, choices=Category.choices, default=Category.FULL
    )
    status = models.CharField(
        _("党籍状态"),
        max_length=20,
        choices=MemberStatus.choices,
        default=MemberStatus.NORMAL,
        db_index=True,
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所在党组织"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    tags = models.ManyToManyField(
        MemberTag, verbose_name=_("标签"), blank=True, related_name="members"
    )

    # Search keys, derived from name/phone/id_number on save (see members/search.py).
    name_pinyin = models.CharField(_("姓名全拼"), max_length=200, editable=False, db_index=True)
    name_initials = models.CharField(_("姓名首字母"), max_length=50, editable=False, db_index=True)
    id_number_hash = BlindIndexField(
        _("身份证号索引"), source="id_number", purpose="member.id", unique=True
    )
    phone_hash = BlindIndexField(
        _("手机号索引"), source="phone", purpose="member.phone", transform="digits", db_index=True
    )
    phone_last4 = BlindIndexField(
        _("手机后四位索引"),
        source="phone",
        purpose="member.phone4",
        transform="last4_digits",
        db_index=True,
    )
    id_last4 = BlindIndexField(
        _("身份证后四位索引"),
        source="id_number",
        purpose="member.id4",
        transform="last4_upper",
        db_index=True,
    )

    # Bumped by every service write; an edit form carries the version it was built from,
    # so a stale form is refused instead of silently overwriting someone else's change.
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["organization_id", "id"]
        indexes = [
            models.Index(fields=["organization", "id"], name="member_org_id_idx"),
            models.Index(
                fields=["name_initials"],
                name="member_initials_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["name_pinyin"],
                name="member_pinyin_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["name"], name="member_name_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from .search import fill_search_keys

        fill_search_keys(self)
        super().save(*args, **kwargs)

    def party_age(self, today=None):
        """党龄: full years since confirmation (转正), derived, never stored.

        党章 第七条: 党龄从预备期满转为正式党员之日算起. None while probationary or when the
        confirmation date is missing; an extended probation is already in `confirmed_on`.
        """
        if self.category != Category.FULL:
            return None
        return full_years(self.confirmed_on, today or timezone.localdate())

    def age(self, today=None):
        return full_years(self.birth_date, today or timezone.localdate())

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES


def full_years(since, today):
    if since is None:
        return None
    return today.year - since.year - ((today.month, today.day) < (since.month, since.day))


class StatusChange(models.Model):
    """党籍状态变化: one row each time a member's status changes."""

    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("原状态"), max_length=20, choices=MemberStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=20, choices=MemberStatus.choices)
    on = models.DateField(_("变化日期"))
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    actor = actor_field(_("操作人"))
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党籍状态变化")
        verbose_name_plural = _("党籍状态变化")
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.member} {self.get_from_status_display()}→{self.get_to_status_display()}"


class Membership(models.Model):
    """组织关系记录: which organization a member belonged to, from when to when."""

    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    reason = models.CharField(_("变动原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("组织关系记录")
        verbose_name_plural = _("组织关系记录")
        ordering = ["member", "-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_membership",
            )
        ]

    def __str__(self):
        return f"{self.member} @ {self.organization}"
