"""党群服务阵地: venues (党群服务中心, 邻里中心, 社区茶亭 …), their rooms, bookings and activities.

A venue belongs to the organization that runs it (a community's or a street's); scoping
follows that organization like every other page. Residents reach the same rows through the
public portal (`/m/`, portal.py) without a login.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import BlindIndexField, EncryptedField, actor_field


class VenueKind(models.TextChoices):
    CENTRE = "centre", _("党群服务中心")
    NEIGHBOURHOOD = "neighbourhood", _("邻里中心")
    TEA_HOUSE = "tea_house", _("社区茶亭")
    ACTIVITY_ROOM = "activity_room", _("党员活动室")
    ELDERLY = "elderly", _("颐养中心")
    RED_BASE = "red_base", _("红色教育基地")


class VenueStatus(models.TextChoices):
    OPEN = "open", _("开放")
    PLANNED = "planned", _("规划中")
    CLOSED = "closed", _("暂停开放")


class Venue(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("运营党组织"),
        on_delete=models.PROTECT,
        related_name="venues",
    )
    name = models.CharField(_("阵地名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=VenueKind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=VenueStatus.choices, default=VenueStatus.OPEN
    )
    address = models.CharField(_("地址"), max_length=200)
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    opens_at = models.TimeField(_("开门时间"), default="08:30")
    closes_at = models.TimeField(_("关门时间"), default="17:30")
    # Days off follow the working calendar (core.workcal): weekends, holidays and 调休.
    open_days_off = models.BooleanField(_("节假日和周末开放"), default=False)
    desk_phone = models.CharField(_("服务电话"), max_length=30, blank=True)
    services = models.TextField(_("服务事项(每行一项)"), blank=True)
    description = models.TextField(_("简介"), blank=True)
    needs_approval = models.BooleanField(_("预约需审核"), default=False)
    cancel_hours = models.PositiveSmallIntegerField(_("免责取消时限(小时)"), default=24)
    no_show_limit = models.PositiveSmallIntegerField(_("爽约上限(近90天)"), default=3)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("服务阵地")
        verbose_name_plural = _("服务阵地")
        ordering = ["organization_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="venue_name_per_org"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="venue_closes_after_open"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def service_lines(self):
        return [line.strip() for line in self.services.splitlines() if line.strip()]

    @property
    def has_point(self):
        return self.latitude is not None and self.longitude is not None


class VenuePhoto(models.Model):
    venue = models.ForeignKey(
        Venue, verbose_name=_("阵地"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("照片"), upload_to="venues/photos/")
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("阵地照片")
        verbose_name_plural = _("阵地照片")
        ordering = ["venue_id", "id"]

    def __str__(self):
        return self.caption or f"{self.venue} 照片"


class Room(models.Model):
    venue = models.ForeignKey(
        Venue, verbose_name=_("阵地"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("功能室"), max_length=60)
    capacity = models.PositiveSmallIntegerField(_("容纳人数"))
    equipment = models.CharField(_("设备"), max_length=200, blank=True)
    bookable = models.BooleanField(_("可预约"), default=True)

    class Meta:
        verbose_name = _("功能室")
        verbose_name_plural = _("功能室")
        ordering = ["venue_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "name"], name="room_name_per_venue"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="room_has_capacity"),
        ]

    def __str__(self):
        return f"{self.venue} · {self.name}"


class Duty(models.Model):
    """值班: who is at the desk on a weekday (0 = Monday)."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("阵地"), on_delete=models.CASCADE, related_name="duties"
    )
    weekday = models.PositiveSmallIntegerField(
        _("星期"), choices=[(i, n) for i, n in enumerate("一二三四五六日")]
    )
    name = models.CharField(_("值班人员"), max_length=50)
    post = models.CharField(_("岗位"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("值班")
        verbose_name_plural = _("值班")
        ordering = ["venue_id", "weekday", "id"]

    def __str__(self):
        return f"{self.name}（{self.get_weekday_display()}）"


class BookerKind(models.TextChoices):
    ORG = "org", _("党组织")
    UNIT = "unit", _("共建单位")
    RESIDENT = "resident", _("居民")


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已预约")
    REJECTED = "rejected", _("未通过")
    CANCELLED = "cancelled", _("已取消")
    CHECKED_IN = "checked_in", _("已签到")
    NO_SHOW = "no_show", _("爽约")


# A room is taken by these; the PostgreSQL exclusion constraint (migration 0002) uses the same.
HOLDING = (BookingStatus.PENDING, BookingStatus.APPROVED, BookingStatus.CHECKED_IN)


class Booking(models.Model):
    room = models.ForeignKey(
        Room, verbose_name=_("功能室"), on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    booker_kind = models.CharField(_("预约方"), max_length=10, choices=BookerKind.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("预约党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "service.PartnerUnit",
        verbose_name=_("预约单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_name = models.CharField(_("联系人"), max_length=50)
    phone = EncryptedField(_("联系电话"), max_length=20, blank=True, blind="phone_hash")
    phone_hash = BlindIndexField(
        _("手机号索引"), source="phone", purpose="venues.phone", transform="digits"
    )
    purpose = models.CharField(_("用途"), max_length=100)
    attendees = models.PositiveSmallIntegerField(_("人数"), default=1)
    status = models.CharField(_("状态"), max_length=12, choices=BookingStatus.choices)
    late_cancel = models.BooleanField(_("逾时取消"), default=False)
    token = models.CharField(_("签到码"), max_length=32, unique=True)
    note = models.CharField(_("审核意见"), max_length=200, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    created_by = actor_field(_("预约人"))
    created_at = models.DateTimeField(_("预约时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("功能室预约")
        verbose_name_plural = _("功能室预约")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["room", "starts_at"], name="booking_room_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(booker_kind="org", organization__isnull=False)
                | Q(booker_kind="unit", unit__isnull=False)
                | Q(booker_kind="resident"),
                name="booking_names_its_booker",
            ),
        ]

    def __str__(self):
        return f"{self.room} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def booker(self):
        return self.organization or self.unit or self.contact_name


class ActivityKind(models.TextChoices):
    THEME_DAY = "theme_day", _("主题党日活动")
    VOLUNTEER = "volunteer", _("志愿服务")
    LECTURE = "lecture", _("讲座")
    HEALTH = "health", _("健康义诊")
    ELDERLY = "elderly", _("为老服务")
    CULTURE = "culture", _("文体活动")


class Activity(models.Model):
    """An activity at a venue that members and residents sign up for."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("阵地"), on_delete=models.PROTECT, related_name="activities"
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("功能室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("主办党组织"),
        on_delete=models.PROTECT,
        related_name="venue_activities",
    )
    kind = models.CharField(_("活动类型"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称"), max_length=100)
    description = models.TextField(_("活动内容"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveSmallIntegerField(_("名额"))
    waitlist = models.PositiveSmallIntegerField(_("候补名额"), default=10)
    is_public = models.BooleanField(_("居民可报名"), default=True)
    cancelled = models.BooleanField(_("已取消"), default=False)
    created_by = actor_field(_("发布人"))
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("阵地活动")
        verbose_name_plural = _("阵地活动")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["venue", "starts_at"], name="activity_venue_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="venue_activity_ends_after"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="venue_activity_capacity"),
        ]

    def __str__(self):
        return self.title


class SignupStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITING = "waiting", _("候补")
    CANCELLED = "cancelled", _("已取消")
    ATTENDED = "attended", _("已签到")


LIVE = (SignupStatus.CONFIRMED, SignupStatus.WAITING, SignupStatus.ATTENDED)


class Signup(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="signups"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="venue_signups",
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = EncryptedField(_("手机号"), max_length=20, blank=True, blind="phone_hash")
    phone_hash = BlindIndexField(
        _("手机号索引"), source="phone", purpose="venues.phone", transform="digits"
    )
    status = models.CharField(_("状态"), max_length=10, choices=SignupStatus.choices)
    signed_up_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        ordering = ["signed_up_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "member"],
                condition=Q(member__isnull=False) & ~Q(status="cancelled"),
                name="one_live_member_venue_signup",
            ),
            models.UniqueConstraint(
                fields=["activity", "phone_hash"],
                condition=Q(phone_hash__isnull=False) & ~Q(status="cancelled"),
                name="one_live_phone_venue_signup",
            ),
        ]

    def __str__(self):
        return f"{self.name} · {self.activity}"


class PhoneCode(models.Model):
    """A one-time SMS code for a resident's phone; only its keyed hash is stored."""

    phone_hash = models.CharField(_("手机号索引"), max_length=40, db_index=True)
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        ordering = ["-created_at"]

    def __str__(self):
        return f"验证码 {self.created_at:%Y-%m-%d %H:%M}"


class FollowedRequest(models.Model):
    """A request a resident filed through the portal with a verified phone (我的诉求)."""

    phone_hash = models.CharField(_("手机号索引"), max_length=40, db_index=True)
    request = models.ForeignKey(
        "resident_requests.ResidentRequest",
        verbose_name=_("诉求"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("关注时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("关注的诉求")
        verbose_name_plural = _("关注的诉求")
        constraints = [
            models.UniqueConstraint(fields=["phone_hash", "request"], name="follow_once")
        ]

    def __str__(self):
        return str(self.request_id)
