from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import BlindIndexField, EncryptedField, actor_field


class UnitKind(models.TextChoices):
    ORGAN = "organ", _("机关")
    INSTITUTION = "institution", _("事业单位")
    SOE = "soe", _("国有企业")
    ENTERPRISE = "enterprise", _("非公企业")
    SOCIAL = "social", _("社会组织")


class PartnerUnit(models.Model):
    """共建单位: an organ, institution or enterprise that registers with communities and claims
    or offers projects. Its own party organization may or may not be in our tree."""

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    kind = models.CharField(_("单位类型"), max_length=20, choices=UnitKind.choices)
    party_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("单位党组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact = models.CharField(_("联系人"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("共建单位")
        verbose_name_plural = _("共建单位")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CheckInKind(models.TextChoices):
    UNIT = "unit", _("单位报到")
    MEMBER = "member", _("在职党员报到")


class CommunityCheckIn(models.Model):
    """双报到: a unit, or an in-service member, registered with a community."""

    community = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("报到社区"),
        on_delete=models.PROTECT,
        related_name="check_ins",
    )
    kind = models.CharField(_("报到类型"), max_length=10, choices=CheckInKind.choices)
    unit = models.ForeignKey(
        PartnerUnit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="check_ins",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="check_ins",
    )
    reason = models.CharField(_("报到方式"), max_length=20, blank=True)
    registered_on = models.DateField(_("报到日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("双报到")
        verbose_name_plural = _("双报到")
        ordering = ["community_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="unit", unit__isnull=False, member__isnull=True))
                | (Q(kind="member", member__isnull=False, unit__isnull=True)),
                name="check_in_is_unit_or_member",
            ),
            models.UniqueConstraint(
                fields=["community", "unit"],
                condition=Q(ended_on__isnull=True),
                name="one_live_unit_check_in",
            ),
            models.UniqueConstraint(
                fields=["community", "member"],
                condition=Q(ended_on__isnull=True),
                name="one_live_member_check_in",
            ),
        ]

    def __str__(self):
        return f"{self.party} → {self.community}"

    @property
    def party(self):
        return self.unit or self.member


class ServiceRecord(models.Model):
    """双服务: a service a registered unit or member gave in the community."""

    check_in = models.ForeignKey(
        CommunityCheckIn, verbose_name=_("报到"), on_delete=models.CASCADE, related_name="services"
    )
    served_on = models.DateField(_("服务日期"))
    content = models.CharField(_("服务内容"), max_length=200)
    hours = models.DecimalField(_("服务时长(小时)"), max_digits=5, decimal_places=1, default=0)
    residents_served = models.PositiveIntegerField(_("服务群众人次"), default=0)
    recorded_by = actor_field(_("登记人"))

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["-served_on", "-id"]

    def __str__(self):
        return self.content


class ReviewDirection(models.TextChoices):
    BY_COMMUNITY = "by_community", _("社区评议报到对象")
    OF_COMMUNITY = "of_community", _("报到对象评议社区")


class ReviewGrade(models.TextChoices):
    EXCELLENT = "excellent", _("好")
    GOOD = "good", _("较好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("差")


class MutualReview(models.Model):
    """双评议: each year the community rates the unit or member, and they rate the community."""

    check_in = models.ForeignKey(
        CommunityCheckIn, verbose_name=_("报到"), on_delete=models.CASCADE, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    direction = models.CharField(_("评议方向"), max_length=20, choices=ReviewDirection.choices)
    grade = models.CharField(_("评议等次"), max_length=10, choices=ReviewGrade.choices)
    comment = models.CharField(_("评语"), max_length=200, blank=True)
    reviewed_by = actor_field(_("评议人"))

    class Meta:
        verbose_name = _("双评议")
        verbose_name_plural = _("双评议")
        constraints = [
            models.UniqueConstraint(
                fields=["check_in", "year", "direction"], name="one_review_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.check_in} {self.year} {self.get_direction_display()}"


class Studio(models.Model):
    """工作室: a named studio in a community and its holder (a resident cartoonist's studio …)."""

    community = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所在社区"),
        on_delete=models.PROTECT,
        related_name="studios",
    )
    name = models.CharField(_("工作室名称"), max_length=60)
    holder = models.CharField(_("领办人"), max_length=50)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("领办党员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    speciality = models.CharField(_("服务特长"), max_length=100)
    description = models.TextField(_("简介"), blank=True)

    class Meta:
        verbose_name = _("工作室")
        verbose_name_plural = _("工作室")
        ordering = ["community_id", "name"]

    def __str__(self):
        return self.name


class Direction(models.TextChoices):
    NEED = "need", _("社区需求(党员、单位认领)")
    OFFER = "offer", _("单位资源(社区认领)")


class ProjectStatus(models.TextChoices):
    OPEN = "open", _("认领中")
    CLOSED = "closed", _("已截止")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已撤销")


class ServiceProject(models.Model):
    """项目认领: a community's need for members and units to claim, or a unit's offer for
    communities to claim. `slots` claimers at most."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("发布组织"),
        on_delete=models.PROTECT,
        related_name="service_projects",
    )
    direction = models.CharField(_("类型"), max_length=10, choices=Direction.choices)
    offered_by = models.ForeignKey(
        PartnerUnit,
        verbose_name=_("提供单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
    )
    studio = models.ForeignKey(
        Studio,
        verbose_name=_("工作室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    title = models.CharField(_("项目名称"), max_length=100)
    description = models.TextField(_("项目内容"))
    slots = models.PositiveSmallIntegerField(_("认领名额"), default=1)
    claim_by = models.DateField(_("认领截止"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.OPEN
    )
    created_by = actor_field(_("发布人"))
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("服务项目")
        verbose_name_plural = _("服务项目")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(slots__gte=1), name="project_has_slots"),
            models.CheckConstraint(
                condition=Q(direction="need") | Q(offered_by__isnull=False),
                name="offer_names_its_unit",
            ),
        ]

    def __str__(self):
        return self.title


class ClaimStatus(models.TextChoices):
    CLAIMED = "claimed", _("已认领")
    DONE = "done", _("已完成")
    WITHDRAWN = "withdrawn", _("已放弃")


class Claim(models.Model):
    """认领: by a member or a unit (of a need), or by a community organization (of an offer)."""

    project = models.ForeignKey(
        ServiceProject, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="claims"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("认领党员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    unit = models.ForeignKey(
        PartnerUnit,
        verbose_name=_("认领单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    community = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("认领社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.CLAIMED
    )
    claimed_at = models.DateTimeField(_("认领时间"), auto_now_add=True)
    progress = models.TextField(_("进展"), blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to="claims/%Y/", blank=True)
    claimed_by = actor_field(_("操作人"))

    class Meta:
        verbose_name = _("项目认领")
        verbose_name_plural = _("项目认领")
        ordering = ["claimed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(member__isnull=False) & Q(unit__isnull=True) & Q(community__isnull=True)
                )
                | (Q(member__isnull=True) & Q(unit__isnull=False) & Q(community__isnull=True))
                | (Q(member__isnull=True) & Q(unit__isnull=True) & Q(community__isnull=False)),
                name="claim_has_one_claimant",
            ),
            models.UniqueConstraint(
                fields=["project", "member"],
                condition=~Q(status="withdrawn"),
                name="one_live_member_claim",
            ),
            models.UniqueConstraint(
                fields=["project", "unit"],
                condition=~Q(status="withdrawn"),
                name="one_live_unit_claim",
            ),
            models.UniqueConstraint(
                fields=["project", "community"],
                condition=~Q(status="withdrawn"),
                name="one_live_community_claim",
            ),
        ]

    def __str__(self):
        return f"{self.claimant} · {self.project}"

    @property
    def claimant(self):
        return self.member or self.unit or self.community


class AllianceKind(models.TextChoices):
    REGIONAL = "regional", _("区域化党建联合体")
    ENTREPRENEURS = "entrepreneurs", _("企业家联盟")


class Alliance(models.Model):
    """区域化党建联合体 / 企业家联盟 led by a street or community organization."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("牵头党组织"),
        on_delete=models.PROTECT,
        related_name="alliances",
    )
    name = models.CharField(_("联盟名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=AllianceKind.choices)
    founded_on = models.DateField(_("成立日期"))
    charter = models.TextField(_("章程与共建事项"), blank=True)

    class Meta:
        verbose_name = _("党建联盟")
        verbose_name_plural = _("党建联盟")
        ordering = ["organization_id", "name"]

    def __str__(self):
        return self.name


class AllianceRole(models.TextChoices):
    CHAIR = "chair", _("轮值主席单位")
    VICE = "vice", _("副主席单位")
    MEMBER = "member", _("成员单位")


class AllianceMember(models.Model):
    alliance = models.ForeignKey(
        Alliance, verbose_name=_("联盟"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        PartnerUnit, verbose_name=_("成员单位"), on_delete=models.PROTECT, related_name="alliances"
    )
    role = models.CharField(
        _("职务"), max_length=10, choices=AllianceRole.choices, default=AllianceRole.MEMBER
    )
    joined_on = models.DateField(_("加入日期"))

    class Meta:
        verbose_name = _("联盟成员单位")
        verbose_name_plural = _("联盟成员单位")
        ordering = ["alliance_id", "role", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "unit"], name="unit_once_per_alliance"),
        ]

    def __str__(self):
        return f"{self.unit} @ {self.alliance}"


class AllianceEvent(models.Model):
    """联盟活动: a joint activity or meeting of the alliance, with the units that took part."""

    alliance = models.ForeignKey(
        Alliance, verbose_name=_("联盟"), on_delete=models.CASCADE, related_name="events"
    )
    title = models.CharField(_("活动名称"), max_length=100)
    held_on = models.DateField(_("活动日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    units = models.ManyToManyField(
        PartnerUnit, verbose_name=_("参加单位"), related_name="+", blank=True
    )
    summary = models.TextField(_("活动内容"), blank=True)

    class Meta:
        verbose_name = _("联盟活动")
        verbose_name_plural = _("联盟活动")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title


class Volunteer(models.Model):
    """志愿者 of a community or street team: a member or any resident."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所属队伍(组织)"),
        on_delete=models.PROTECT,
        related_name="volunteers",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteering",
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = EncryptedField(_("手机号"), max_length=20, blind="phone_hash")
    phone_hash = BlindIndexField(
        _("手机号索引"), source="phone", purpose="volunteer.phone", transform="digits"
    )
    skills = models.CharField(_("服务特长"), max_length=100, blank=True)
    registered_on = models.DateField(_("注册日期"))
    is_active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["organization_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "phone_hash"], name="one_volunteer_per_phone"
            ),
        ]

    def __str__(self):
        return self.name


class VolunteerActivity(models.Model):
    """志愿服务活动 with a limit on how many may sign up."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("组织单位"),
        on_delete=models.PROTECT,
        related_name="volunteer_activities",
    )
    title = models.CharField(_("活动名称"), max_length=100)
    place = models.CharField(_("地点"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveSmallIntegerField(_("招募人数"))
    description = models.TextField(_("活动内容"), blank=True)

    class Meta:
        verbose_name = _("志愿服务活动")
        verbose_name_plural = _("志愿服务活动")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="activity_has_capacity"),
        ]

    def __str__(self):
        return self.title


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("已报名")
    CANCELLED = "cancelled", _("已取消")
    ATTENDED = "attended", _("已签到")


class VolunteerSignup(models.Model):
    activity = models.ForeignKey(
        VolunteerActivity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="signups"
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="signups"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=SignupStatus.choices, default=SignupStatus.SIGNED_UP
    )
    signed_up_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    hours = models.DecimalField(_("服务时长(小时)"), max_digits=4, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("志愿活动报名")
        verbose_name_plural = _("志愿活动报名")
        ordering = ["signed_up_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "volunteer"],
                condition=~Q(status="cancelled"),
                name="one_live_signup",
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.activity}"
