"""诉求 / 工单: categories with checklists and time limits, requests, their timeline and call-ins."""

import secrets
from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import EncryptedField, actor_field

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def new_tracking_code():
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))


def new_secret():
    return secrets.token_urlsafe(16)


class TimeUnit(models.TextChoices):
    WORK_HOURS = "work_hours", _("工作小时")
    WORKDAYS = "workdays", _("工作日")


class Category(models.Model):
    """诉求类别 (an Open311 service): its checklist (一次性告知) and time limits (限时办结)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    group = models.CharField(_("分组"), max_length=40, blank=True)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    respond_within = models.PositiveIntegerField(_("响应时限"), default=1)
    respond_unit = models.CharField(
        _("响应时限单位"), max_length=12, choices=TimeUnit.choices, default=TimeUnit.WORKDAYS
    )
    finish_within = models.PositiveIntegerField(_("办结时限"), default=7)
    finish_unit = models.CharField(
        _("办结时限单位"), max_length=12, choices=TimeUnit.choices, default=TimeUnit.WORKDAYS
    )
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class ChecklistItem(models.Model):
    """一次性告知: one thing the resident must bring or provide for this category."""

    category = models.ForeignKey(
        Category, verbose_name=_("类别"), on_delete=models.CASCADE, related_name="checklist"
    )
    text = models.CharField(_("所需材料或信息"), max_length=200)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("一次性告知清单")
        verbose_name_plural = _("一次性告知清单")
        ordering = ["category", "order", "id"]

    def __str__(self):
        return self.text


class Datatype(models.TextChoices):
    """Open311 GeoReport v2 attribute datatypes."""

    STRING = "string", _("短文本")
    NUMBER = "number", _("数字")
    DATETIME = "datetime", _("日期时间")
    TEXT = "text", _("长文本")
    SINGLE = "singlevaluelist", _("单选")
    MULTI = "multivaluelist", _("多选")


class CategoryAttribute(models.Model):
    """An extra question asked at intake (an Open311 service definition attribute)."""

    category = models.ForeignKey(
        Category, verbose_name=_("类别"), on_delete=models.CASCADE, related_name="attributes"
    )
    code = models.SlugField(_("代码"), max_length=40)
    description = models.CharField(_("问题"), max_length=200)
    datatype = models.CharField(_("类型"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("必填"), default=False)
    values = models.JSONField(_("选项"), default=list, blank=True)  # [{"key", "name"}]
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("类别附加问题")
        verbose_name_plural = _("类别附加问题")
        ordering = ["category", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="request_attribute_code")
        ]

    def __str__(self):
        return f"{self.category} · {self.description}"


class Status(models.TextChoices):
    NEW = "new", _("待受理")
    ACCEPTED = "accepted", _("办理中")
    WAITING = "waiting", _("待居民补充")
    ESCALATED = "escalated", _("已上报")
    CALLED_IN = "called_in", _("吹哨报到中")
    SOLVED = "solved", _("已办结")
    CLOSED_UNSOLVED = "closed_unsolved", _("未解决关闭")
    REJECTED = "rejected", _("非本级事项待仲裁")
    REOPENED = "reopened", _("已重新打开")


OPEN_STATUSES = (
    Status.NEW,
    Status.ACCEPTED,
    Status.WAITING,
    Status.ESCALATED,
    Status.CALLED_IN,
    Status.REJECTED,
    Status.REOPENED,
)
CLOSED_STATUSES = (Status.SOLVED, Status.CLOSED_UNSOLVED)
# Waiting for someone to take it at the current level: the response clock runs.
UNANSWERED_STATUSES = (Status.NEW, Status.ESCALATED, Status.REJECTED, Status.REOPENED)
NEARLY_DUE = timedelta(hours=4)


RATING_WORDS = {
    5: _("很满意"),
    4: _("满意"),
    3: _("一般"),
    2: _("不满意"),
    1: _("很不满意"),
}


def stars(rating: int) -> str:
    return "★" * rating + "☆" * (5 - rating)


class Channel(models.TextChoices):
    PUBLIC = "public", _("扫码/网页")
    PHONE = "phone", _("电话")
    VISIT = "visit", _("上门走访")
    WALK_IN = "walk_in", _("来访")
    OPEN311 = "open311", _("Open311 接口")


class ResidentRequest(models.Model):
    """诉求 (Open311 service request). `next_due` is the one moment the escalation job waits for."""

    tracking_code = models.CharField(
        _("查询码"), max_length=12, default=new_tracking_code, editable=False
    )
    secret = models.CharField(max_length=32, default=new_secret, editable=False)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("类别"),
        on_delete=models.PROTECT,
        related_name="requests",
        db_index=False,
    )
    description = models.TextField(_("诉求内容"), max_length=4000, blank=True)
    attributes = models.JSONField(_("附加信息"), default=dict, blank=True)
    channel = models.CharField(_("来源"), max_length=12, choices=Channel.choices)
    grid = models.ForeignKey(
        "grid.Grid",
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident_requests",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所属组织"),
        on_delete=models.PROTECT,
        related_name="resident_requests",
        db_index=False,  # request_org_created_idx leads with it
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    resident_name = models.CharField(_("居民姓名"), max_length=40, blank=True)
    resident_phone = EncryptedField(_("联系电话"), max_length=20, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.NEW)
    level = models.PositiveSmallIntegerField(_("当前层级"), default=0)
    level_code = models.CharField(_("层级代码"), max_length=30, blank=True)
    level_label = models.CharField(_("当前层级"), max_length=40, blank=True)
    holder_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("当前承办组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    holder_member = models.ForeignKey(
        "members.Member",
        verbose_name=_("当前承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner = actor_field(_("首问负责人"))
    owner_member = models.ForeignKey(
        "members.Member",
        verbose_name=_("首问负责党员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_requests",
    )
    owner_name = models.CharField(_("首问负责人"), max_length=50, blank=True)
    checklist = models.JSONField(_("一次性告知清单"), default=list, blank=True)
    respond_due = models.DateTimeField(_("响应时限"))
    finish_due = models.DateTimeField(_("办结时限"))
    next_due = models.DateTimeField(null=True, blank=True, editable=False)
    waiting_since = models.DateTimeField(null=True, blank=True, editable=False)
    # What the deadlines are counted from, so a change of the working calendar re-counts them.
    respond_from = models.DateTimeField(null=True, blank=True, editable=False)
    media_url = models.URLField(_("图片链接(Open311)"), max_length=500, blank=True)
    waited_hours = models.FloatField(_("待居民补充(工作小时)"), default=0, editable=False)
    # NULL only between `receive_request`'s INSERT and the job that places it on its chain.
    routed_at = models.DateTimeField(
        _("分派时间"), null=True, blank=True, default=timezone.now, editable=False
    )
    calendar_warning = models.CharField(_("日历提示"), max_length=100, blank=True)
    responded_at = models.DateTimeField(_("响应时间"), null=True, blank=True)
    solved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    escalation_count = models.PositiveSmallIntegerField(_("上报次数"), default=0)
    rating = models.PositiveSmallIntegerField(_("满意度评分"), null=True, blank=True)
    rating_comment = models.CharField(_("评价"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = actor_field(_("代录人"), db_index=False)

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-created_at", "-id"]
        # Every index is paid on each public intake's INSERT: only those a query uses are
        # kept, and the unique keys are constraints (no second varchar_pattern_ops index).
        constraints = [
            models.UniqueConstraint(fields=["tracking_code"], name="request_tracking_code_uniq"),
            models.UniqueConstraint(
                fields=["idempotency_key"], name="request_idempotency_key_uniq"
            ),
        ]
        indexes = [
            # The escalation job reads only what is due: a partial index on the deadline.
            models.Index(
                fields=["next_due"],
                name="request_next_due_idx",
                condition=models.Q(next_due__isnull=False),
                # Covering (PostgreSQL): the figures' "overdue now" reads the index alone.
                include=["organization", "grid", "created_at"],
            ),
            models.Index(fields=["organization", "created_at"], name="request_org_created_idx"),
            models.Index(
                fields=["created_at"],
                name="request_unrouted_idx",
                condition=models.Q(routed_at__isnull=True),
            ),
            # The figures' one clock-dependent count: requests whose finish deadline is still
            # ahead and that are not solved (rollups.py). Routed rows only: intake pays nothing.
            models.Index(
                fields=["finish_due"],
                name="request_not_due_idx",
                condition=~models.Q(status="solved") & models.Q(routed_at__isnull=False),
                include=["organization", "grid", "category", "created_at"],
            ),
        ]

    def __str__(self):
        return f"{self.tracking_code} {self.category}"

    def save(self, *args, **kwargs):
        from . import rollups

        adding = self._state.adding or self.pk is None
        before = None if adding else getattr(self, "_rollup_before", None)
        if before is None and not adding:
            before = ResidentRequest.objects.filter(pk=self.pk).values_list(*_ROLLUP_FIELDS).first()
        after = tuple(getattr(self, f) for f in _ROLLUP_FIELDS)
        if not rollups.changes(before, after):
            super().save(*args, **kwargs)
        else:
            with transaction.atomic():
                super().save(*args, **kwargs)
                rollups.apply_change(before, after)
        self._rollup_before = after

    # The figures' rollup (rollups.py) follows every save and delete in the same transaction.
    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if len(values) == len(cls._meta.concrete_fields):
            instance._rollup_before = tuple(getattr(instance, f) for f in _ROLLUP_FIELDS)
        return instance

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def due(self):
        """The deadline that matters now: respond while unanswered, finish afterwards."""
        if not self.is_open:
            return None
        return self.respond_due if self.status in UNANSWERED_STATUSES else self.finish_due

    @property
    def rating_stars(self):
        return stars(self.rating) if self.rating else ""

    @property
    def rating_words(self):
        return RATING_WORDS.get(self.rating, "")

    def urgency(self, now=None):
        """'overdue', 'soon' (within 4 hours) or ''."""
        due = self.due
        if due is None:
            return ""
        now = now or timezone.now()
        if due <= now:
            return "overdue"
        return "soon" if due - now <= NEARLY_DUE else ""


_ROLLUP_FIELDS = (
    "organization_id",
    "category_id",
    "grid_id",
    "created_at",
    "routed_at",
    "status",
    "responded_at",
    "solved_at",
    "finish_due",
    "rating",
    "next_due",
)


class RequestRollup(models.Model):
    """Sums of the figures per organization × local day, month or year × category × grid
    (`grid_id` 0: none). Kept by `ResidentRequest.save()`; see rollups.py and
    docs/decisions/0004-dashboard-rollups.md."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    grain = models.PositiveSmallIntegerField()  # 0 day, 1 month, 2 year (day = its first day)
    day = models.DateField()
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    grid_id = models.BigIntegerField(default=0)
    total = models.IntegerField(default=0)
    responded = models.IntegerField(default=0)
    solved = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    rating_sum = models.IntegerField(default=0)
    respond_n = models.IntegerField(default=0)
    respond_ms = models.BigIntegerField(default=0)
    finish_n = models.IntegerField(default=0)
    finish_ms = models.BigIntegerField(default=0)
    s_new = models.IntegerField(default=0)
    s_accepted = models.IntegerField(default=0)
    s_waiting = models.IntegerField(default=0)
    s_escalated = models.IntegerField(default=0)
    s_called_in = models.IntegerField(default=0)
    s_solved = models.IntegerField(default=0)
    s_closed_unsolved = models.IntegerField(default=0)
    s_rejected = models.IntegerField(default=0)
    s_reopened = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "grain", "day", "category", "grid_id"],
                name="request_rollup_key",
            )
        ]
        # A period's pieces by grain and day first (a district's year rows without reading
        # every organization's month rows); the key serves one organization's rows.
        indexes = [
            models.Index(fields=["grain", "day", "organization"], name="request_rollup_period_idx")
        ]

    def __str__(self):
        return f"{self.organization_id} {self.day} {self.category_id} {self.grid_id}"


class RequestNow(models.Model):
    """The screen's "now" rollup: open requests and requests with a next deadline, per
    organization × grid (`grid_id` 0: none) × local day of `next_due` (9999-12-31: none).
    Kept by `ResidentRequest.save()` like RequestRollup; overdue now is the `due` of the days
    before today plus today's deadlines already passed, read live (rollups.read_now; see
    docs/decisions/0004-dashboard-rollups.md)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    grid_id = models.BigIntegerField(default=0)
    due_day = models.DateField()
    open = models.IntegerField(default=0)
    due = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "grid_id", "due_day"], name="request_now_key"
            )
        ]

    def __str__(self):
        return f"{self.organization_id} {self.grid_id} {self.due_day}"


class EscalationRollup(models.Model):
    """Escalations per organization × local day or month of the request × level."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    grain = models.PositiveSmallIntegerField()
    day = models.DateField()
    grid_id = models.BigIntegerField(default=0)
    level = models.PositiveSmallIntegerField()
    level_label = models.CharField(max_length=40)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "grain", "day", "grid_id", "level", "level_label"],
                name="escalation_rollup_key",
            )
        ]

    def __str__(self):
        return f"{self.organization_id} {self.day} {self.level_label}"


class RequestEvent(models.Model):
    """One step on the timeline: who, when, why."""

    request = models.ForeignKey(
        ResidentRequest, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = actor_field(_("操作人"))
    actor_name = models.CharField(_("操作人"), max_length=50, blank=True)
    action = models.CharField(_("动作"), max_length=30)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices)
    level = models.PositiveSmallIntegerField(_("层级"), default=0)
    level_label = models.CharField(_("层级"), max_length=40, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("诉求办理记录")
        verbose_name_plural = _("诉求办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["action", "level"], name="request_event_action_idx")]

    def __str__(self):
        return f"{self.request} {self.action}"


def photo_path(instance, filename):
    return f"requests/{timezone.localdate():%Y/%m}/{secrets.token_hex(8)}{_suffix(filename)}"


def _suffix(filename):
    return "." + filename.rsplit(".", 1)[-1].lower()[:5] if "." in filename else ""


class RequestPhoto(models.Model):
    request = models.ForeignKey(
        ResidentRequest, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("照片"), upload_to=photo_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)
    by_resident = models.BooleanField(default=True)
    is_public = models.BooleanField(_("居民同意公开"), default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("诉求照片")
        verbose_name_plural = _("诉求照片")
        ordering = ["id"]

    def __str__(self):
        return self.image.name


class CallInStatus(models.TextChoices):
    OPEN = "open", _("待报到")
    REPORTED = "reported", _("已报到")
    DONE = "done", _("已完成")


class CallIn(models.Model):
    """吹哨报到: the street summons a department or alliance unit, with its own deadline."""

    request = models.ForeignKey(
        ResidentRequest, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="call_ins"
    )
    unit_name = models.CharField(_("报到单位"), max_length=80)
    unit_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("报到单位党组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    task = models.CharField(_("任务"), max_length=300)
    due = models.DateTimeField(_("报到时限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=CallInStatus.choices, default=CallInStatus.OPEN
    )
    reported_at = models.DateTimeField(_("报到时间"), null=True, blank=True)
    result = models.CharField(_("处理结果"), max_length=300, blank=True)
    called_by = actor_field(_("吹哨人"))
    called_at = models.DateTimeField(_("吹哨时间"), auto_now_add=True)
    # The unit's own link (units.py): signed over the pk and this nonce; it works until the
    # task is done or `link_expires_at`, and a new nonce revokes the old link.
    contact_phone = EncryptedField(_("报到单位联系电话"), max_length=20, blank=True)
    link_nonce = models.CharField(max_length=32, blank=True, editable=False)
    link_expires_at = models.DateTimeField(_("链接有效期至"), null=True, blank=True)
    # Set by the periodic job when the unit missed its deadline (escalated once).
    overdue_at = models.DateTimeField(_("超时上报时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("吹哨报到")
        verbose_name_plural = _("吹哨报到")
        ordering = ["called_at", "id"]
        indexes = [
            models.Index(
                fields=["due"],
                name="callin_open_due_idx",
                condition=models.Q(overdue_at__isnull=True) & ~models.Q(status="done"),
            )
        ]

    def __str__(self):
        return f"{self.request} → {self.unit_name}"


def call_in_file_path(instance, filename):
    return f"callins/{timezone.localdate():%Y/%m}/{secrets.token_hex(8)}{_suffix(filename)}"


class CallInAttachment(models.Model):
    """A file a called-in unit sends with its report (photo or PDF), served by signed link."""

    call_in = models.ForeignKey(
        CallIn, verbose_name=_("吹哨报到"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("附件"), upload_to=call_in_file_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("报到附件")
        verbose_name_plural = _("报到附件")
        ordering = ["id"]

    def __str__(self):
        return self.file.name


class Open311Key(models.Model):
    """An Open311 api_key; only its SHA-256 is stored."""

    name = models.CharField(_("名称"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("默认承办组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("请求未给出网格编码（address_id）时交由该组织"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 密钥")
        verbose_name_plural = _("Open311 密钥")

    def __str__(self):
        return self.name
