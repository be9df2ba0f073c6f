"""网格治理: the grid tree, the people who serve it, households, visits and service activity."""

import secrets

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from xianfeng.core.fields import EncryptedField, actor_field

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]*$", _("编码只能包含字母、数字、下划线和连字符")
)


class GridKind(models.TextChoices):
    COMMUNITY = "community", _("社区")
    VILLAGE = "village", _("村")
    GRID = "grid", _("网格")
    BUILDING = "building", _("楼栋")
    ZONE = "zone", _("片区")
    HOUSEHOLD = "household", _("户")


# The kinds a 服务公示牌 and a 中心户 / 划片 responsibility hang on.
ZONE_KINDS = (GridKind.BUILDING, GridKind.ZONE, GridKind.HOUSEHOLD)


class GridQuerySet(MP_NodeQuerySet):
    def subtree_of(self, grid):
        return self.filter(path__startswith=grid.path)


class GridManager(MP_NodeManager):
    def get_queryset(self):
        return GridQuerySet(self.model, using=self._db).order_by("path")


class Grid(MP_Node):
    """网格单元: one node of the grid tree (社区/村 → 网格 → 楼栋/片区 → 户)."""

    steplen = 4
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

    code = models.CharField(_("网格编码"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=120, db_index=True)
    kind = models.CharField(_("类别"), max_length=20, choices=GridKind.choices, db_index=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("对应党组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grids",
    )
    # The organization that governs visibility: `organization`, or the nearest ancestor
    # grid's. Kept by services.refresh_scope_orgs on every tree or link change, so scoping is
    # one join instead of a walk up the tree (an org move changes org paths, not this link).
    scope_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("归属党组织"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="scoped_grids",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    geometry = models.JSONField(_("地理范围(GeoJSON)"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = GridManager.from_queryset(GridQuerySet)()

    class Meta:
        verbose_name = _("网格单元")
        verbose_name_plural = _("网格单元")
        indexes = [
            models.Index(
                fields=["path"], name="grid_path_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        return self.name


class CentralHousehold(models.Model):
    """党员中心户: a member's home that serves the households of a building or zone."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.PROTECT,
        related_name="central_households",
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("服务楼栋/片区"), on_delete=models.CASCADE, related_name="centrals"
    )
    address = models.CharField(_("中心户地址"), max_length=200, blank=True)
    households_served = models.PositiveIntegerField(_("联系户数"), default=0)
    services = models.CharField(_("服务承诺"), max_length=200, blank=True)
    photo = models.FileField(_("照片"), upload_to="grid/photos/", blank=True)
    is_active = models.BooleanField(_("在岗"), default=True, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党员中心户")
        verbose_name_plural = _("党员中心户")
        ordering = ["grid_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "grid"],
                condition=models.Q(is_active=True),
                name="one_active_central_per_member_grid",
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.grid}"


class ZoneResponsibility(models.Model):
    """划片负责: a member (e.g. a village officer) answering for the households of a zone."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.PROTECT,
        related_name="zone_responsibilities",
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("负责片区"), on_delete=models.CASCADE, related_name="zone_duties"
    )
    households = models.PositiveIntegerField(_("联系户数"), default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("划片负责")
        verbose_name_plural = _("划片负责")
        ordering = ["grid_id", "started_on", "id"]

    def __str__(self):
        return f"{self.member} · {self.grid}"


class GridStaffRole(models.Model):
    """A grid staff role as one district configures it ("3+5+X": 专职 + 兼职 + 志愿)."""

    district = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所属区"),
        on_delete=models.CASCADE,
        related_name="grid_staff_roles",
    )
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=40)
    is_volunteer = models.BooleanField(_("志愿力量"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("网格力量角色")
        verbose_name_plural = _("网格力量角色")
        ordering = ["district_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="grid_role_code_per_district")
        ]

    def __str__(self):
        return self.name


class GridStaff(models.Model):
    """网格力量: one person serving a grid in a role, party member or not."""

    grid = models.ForeignKey(
        Grid, verbose_name=_("网格"), on_delete=models.CASCADE, related_name="staff"
    )
    role = models.ForeignKey(
        GridStaffRole, verbose_name=_("角色"), on_delete=models.PROTECT, related_name="staff"
    )
    name = models.CharField(_("姓名"), max_length=50)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("对应党员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grid_posts",
    )
    # True for every linked member and also for party members whose record lives elsewhere
    # (another district's rolls): the party share counts this flag, not the link.
    is_party_member = models.BooleanField(_("党员"), default=False, db_index=True)
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grid_posts",
    )
    phone = EncryptedField(_("联系电话"), max_length=20, blank=True)
    # The number appears in full on the service board and the residents' page only with the
    # person's consent; without it the board shows no number for them.
    publish_phone = models.BooleanField(_("本人同意公开手机号"), default=False, db_default=False)
    started_on = models.DateField(_("上岗日期"))
    ended_on = models.DateField(_("离岗日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("网格力量")
        verbose_name_plural = _("网格力量")
        ordering = ["grid_id", "role__order", "id"]
        indexes = [models.Index(fields=["user", "ended_on"], name="grid_staff_user_idx")]

    def __str__(self):
        return f"{self.role} {self.name}"

    @property
    def is_active(self):
        return self.ended_on is None


class CareTag(models.TextChoices):
    """关爱标签: why a household is on the visit list."""

    LOW_INCOME = "low_income", _("低保/低收入")
    VETERAN = "veteran", _("退役军人")
    ALONE = "alone", _("独居")
    ELDERLY = "elderly", _("高龄老人")
    DISABLED = "disabled", _("残疾人")


class Household(models.Model):
    """户: a household of a building or zone, kept light (address, contact, tags for visits)."""

    grid = models.ForeignKey(
        Grid, verbose_name=_("所在楼栋/片区"), on_delete=models.CASCADE, related_name="households"
    )
    address = models.CharField(_("门牌地址"), max_length=200)
    head_name = models.CharField(_("户主/联系人"), max_length=50)
    phone = EncryptedField(_("联系电话"), max_length=20, blank=True)
    size = models.PositiveSmallIntegerField(_("人口数"), default=1)
    is_party_household = models.BooleanField(_("共产党员户"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # Where the door is (optional): a grid split on the map sends the household to the part
    # that holds it; without a point it follows its building, else stays where it was.
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("住户")
        verbose_name_plural = _("住户")
        ordering = ["grid_id", "address", "id"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "address"], name="household_address_per_grid")
        ]

    def __str__(self):
        return self.address

    @property
    def tag_labels(self):
        return [CareTag(t.tag).label for t in self.tags.all()]


class HouseholdTag(models.Model):
    """One 关爱标签 on one household (a row per tag, so figures can group by it)."""

    household = models.ForeignKey(
        Household, verbose_name=_("住户"), on_delete=models.CASCADE, related_name="tags"
    )
    tag = models.CharField(_("标签"), max_length=20, choices=CareTag.choices, db_index=True)

    class Meta:
        verbose_name = _("住户标签")
        verbose_name_plural = _("住户标签")
        constraints = [
            models.UniqueConstraint(fields=["household", "tag"], name="household_tag_once")
        ]

    def __str__(self):
        return self.get_tag_display()


class Resident(models.Model):
    """居民: one person of a household (name, relation, contact)."""

    household = models.ForeignKey(
        Household, verbose_name=_("住户"), on_delete=models.CASCADE, related_name="residents"
    )
    name = models.CharField(_("姓名"), max_length=50)
    relation = models.CharField(_("与户主关系"), max_length=20, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    phone = EncryptedField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["household_id", "id"]

    def __str__(self):
        return self.name


class Visit(models.Model):
    """走访: a visit to a household and what was found."""

    household = models.ForeignKey(
        Household, verbose_name=_("住户"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField(_("走访日期"), db_index=True)
    visitor_name = models.CharField(_("走访人"), max_length=50)
    found = models.TextField(_("走访发现"), blank=True)
    needs_follow_up = models.BooleanField(_("需跟进"), default=False)
    recorded_by = actor_field(_("登记人"))
    # A form's one-time token, "<user id>:<token>": a double submit or an offline replay from
    # the phone finds the first row, not a copy, and one user's token never finds another's.
    idempotency_key = models.CharField(
        _("提交令牌"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-id"]

    def __str__(self):
        return f"{self.household} {self.visited_on}"


def visit_photo_path(instance, filename):
    return f"visits/{timezone.localdate():%Y/%m}/{secrets.token_hex(8)}"


class VisitPhoto(models.Model):
    """A photo taken on a visit (checked by its bytes; served only by signed link)."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("走访记录"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("照片"), upload_to=visit_photo_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("走访照片")
        verbose_name_plural = _("走访照片")
        ordering = ["id"]

    def __str__(self):
        return self.image.name


class ActivityKind(models.TextChoices):
    SERVICE = "service", _("便民服务")
    VOLUNTEER = "volunteer", _("志愿服务")
    VISIT = "visit", _("集中走访")
    MEDIATION = "mediation", _("矛盾调解")
    PUBLICITY = "publicity", _("政策宣传")
    SAFETY = "safety", _("安全巡查")


class ServiceActivity(models.Model):
    """便民服务活动: what, where, who took part, residents served, problems solved."""

    grid = models.ForeignKey(
        Grid, verbose_name=_("网格"), on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(_("活动内容"), max_length=120)
    kind = models.CharField(_("类别"), max_length=20, choices=ActivityKind.choices)
    held_on = models.DateField(_("日期"), db_index=True)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    participants = models.CharField(_("参加人员"), max_length=300, blank=True)
    members = models.ManyToManyField(
        "members.Member", verbose_name=_("参加党员"), blank=True, related_name="grid_activities"
    )
    residents_served = models.PositiveIntegerField(_("服务群众人次"), default=0)
    problems_solved = models.PositiveIntegerField(_("解决问题数"), default=0)
    recorded_by = actor_field(_("登记人"))
    # A form's one-time token: a double submit or a retry finds the first row, not a copy.
    idempotency_key = models.CharField(
        _("提交令牌"), max_length=40, null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("便民服务活动")
        verbose_name_plural = _("便民服务活动")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["grid", "held_on"], name="grid_activity_grid_day_idx")]

    def __str__(self):
        return f"{self.held_on} {self.title}"
