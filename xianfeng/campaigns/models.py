"""专项工作: a campaign of a street run by a temporary branch, its households as cases,
daily dispatch, 回迁 allocation, notices to households and the progress counts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import BlindIndexField, EncryptedField, actor_field

from .rules import AllocationRule, CampaignKind, CampaignStatus, DispatchKind, stage_label


class Campaign(models.Model):
    name = models.CharField(_("专项工作名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=CampaignKind.choices)
    street = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所属街道党组织"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    # The 临时党支部 that runs it: kept after the branch is dissolved at the end.
    branch = models.OneToOneField(
        "orgs.Organization",
        verbose_name=_("临时党支部"),
        on_delete=models.PROTECT,
        related_name="campaign",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("总负责人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("计划完成日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE
    )
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    description = models.TextField(_("工作内容"), blank=True)
    # 回迁: how the order of choosing was drawn (published with the result).
    allocation_rule = models.CharField(
        _("选房顺序规则"), max_length=20, choices=AllocationRule.choices, blank=True
    )
    allocation_seed = models.CharField(_("抽签种子"), max_length=64, blank=True)
    allocation_published_at = models.DateTimeField(_("分房结果公布时间"), null=True, blank=True)
    created_by = actor_field(_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专项工作")
        verbose_name_plural = _("专项工作")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def stage_label(self, code):
        return stage_label(self.kind, code)


class CaseClass(models.Model):
    """A class of households defined by the campaign (东辛: from 积极配合 to 钉子户)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项工作"), on_delete=models.CASCADE, related_name="classes"
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("类别名称"), max_length=30)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("户类别")
        verbose_name_plural = _("户类别")
        ordering = ["campaign_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="case_class_name_once"),
        ]

    def __str__(self):
        return self.name


class WorkGroup(models.Model):
    """A 党小组 of the temporary branch, led by one leader (分管领导)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项工作"), on_delete=models.CASCADE, related_name="groups"
    )
    organization = models.OneToOneField(
        "orgs.Organization",
        verbose_name=_("党小组"),
        on_delete=models.PROTECT,
        related_name="campaign_group",
    )
    name = models.CharField(_("小组名称"), max_length=60)
    leader_name = models.CharField(_("组长"), max_length=50)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组长账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("工作小组")
        verbose_name_plural = _("工作小组")
        ordering = ["campaign_id", "id"]

    def __str__(self):
        return self.name


class Case(models.Model):
    """户 (or 房产): one household's file in the campaign."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项工作"), on_delete=models.CASCADE, related_name="cases"
    )
    number = models.CharField(_("户号"), max_length=30)
    village = models.CharField(_("村(社区)"), max_length=50, blank=True)
    head_name = models.CharField(_("户主"), max_length=50)
    id_number = EncryptedField(_("户主身份证号"), max_length=18, blank=True, blind="id_number_hash")
    id_number_hash = BlindIndexField(
        source="id_number", purpose="campaign.id_number", transform="upper", db_index=True
    )
    phone = EncryptedField(_("联系电话"), max_length=20, blank=True)
    people = models.PositiveSmallIntegerField(_("人口数"), default=1)
    address = models.CharField(_("房产坐落"), max_length=200, blank=True)
    area = models.DecimalField(_("原房面积(㎡)"), max_digits=8, decimal_places=2, default=0)
    property_note = models.CharField(_("房产情况"), max_length=300, blank=True)
    case_class = models.ForeignKey(
        CaseClass,
        verbose_name=_("类别"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    group = models.ForeignKey(
        WorkGroup,
        verbose_name=_("工作小组"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    stage = models.CharField(_("进度"), max_length=20)
    stage_since = models.DateField(_("进入当前进度日期"))
    # 包户: the member or cadre responsible (a login, so the case reaches their phone).
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("包户人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_cases",
    )
    choose_order = models.PositiveIntegerField(_("选房顺序号"), null=True, blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    # Optimistic locking of the edit page and the API: bumped by update_case and assign_case.
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("户档案")
        verbose_name_plural = _("户档案")
        ordering = ["campaign_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="case_number_once"),
        ]
        indexes = [models.Index(fields=["campaign", "stage"], name="case_stage_idx")]

    def __str__(self):
        return f"{self.number} {self.head_name}"

    @property
    def stage_label(self):
        return stage_label(self.campaign.kind, self.stage)


class CasePerson(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("户档案"), on_delete=models.CASCADE, related_name="persons"
    )
    name = models.CharField(_("姓名"), max_length=50)
    relation = models.CharField(_("与户主关系"), max_length=20, blank=True)
    id_number = EncryptedField(_("身份证号"), max_length=18, blank=True)

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["case_id", "id"]

    def __str__(self):
        return self.name


class DocumentKind(models.TextChoices):
    AGREEMENT = "agreement", _("协议")
    VALUATION = "valuation", _("评估报告")
    ALLOCATION = "allocation", _("分房材料")
    CERTIFICATE = "certificate", _("证件材料")
    OTHER = "other", _("其他")


class CaseDocument(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("户档案"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("材料类别"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("材料名称"), max_length=100)
    file = models.FileField(_("文件"), upload_to="campaigns/%Y/")
    uploaded_by = actor_field(_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("户档案材料")
        verbose_name_plural = _("户档案材料")
        ordering = ["case_id", "id"]

    def __str__(self):
        return self.title


class CaseVisit(models.Model):
    """走访谈话: who talked with whom, what was said, issues raised."""

    case = models.ForeignKey(
        Case, verbose_name=_("户档案"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField(_("走访日期"))
    visitor_name = models.CharField(_("走访人"), max_length=50)
    talked_with = models.CharField(_("谈话对象"), max_length=50, blank=True)
    said = models.TextField(_("谈话内容"))
    issues = models.TextField(_("提出的问题与诉求"), blank=True)
    recorded_by = actor_field(_("登记人"))
    idempotency_key = models.CharField(
        _("提交令牌"), max_length=40, null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("走访谈话")
        verbose_name_plural = _("走访谈话")
        ordering = ["case_id", "-visited_on", "-id"]

    def __str__(self):
        return f"{self.case} {self.visited_on}"


class StageChange(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("户档案"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    before = models.CharField(_("原进度"), max_length=20, blank=True)
    after = models.CharField(_("新进度"), max_length=20)
    on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    actor = actor_field(_("办理人"))

    class Meta:
        verbose_name = _("进度变更")
        verbose_name_plural = _("进度变更")
        ordering = ["case_id", "on", "id"]

    def __str__(self):
        return f"{self.case} {self.before}→{self.after}"


class StageCount(models.Model):
    """The board's counts: households per group × class × stage, now (day NULL), and how many
    entered each stage per group on each day. Kept in the transaction of every change.

    `group_key`/`class_key` are the ids (0 for none), so the rows stay unique without NULLs."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项工作"), on_delete=models.CASCADE, related_name="counts"
    )
    day = models.DateField(_("日期"), null=True, blank=True)
    group_key = models.PositiveIntegerField(_("小组"), default=0)
    class_key = models.PositiveIntegerField(_("类别"), default=0)
    stage = models.CharField(_("进度"), max_length=20)
    n = models.IntegerField(_("户数"), default=0)

    class Meta:
        verbose_name = _("进度计数")
        verbose_name_plural = _("进度计数")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "group_key", "class_key", "stage"],
                condition=models.Q(day__isnull=True),
                name="stage_count_now_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "day", "group_key", "stage"],
                condition=models.Q(day__isnull=False),
                name="stage_count_day_once",
            ),
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.day} {self.stage} {self.n}"


class DispatchMeeting(models.Model):
    """早碰头 / 午调度 / 晚研判: the day's issues, decisions and assignments."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项工作"), on_delete=models.CASCADE, related_name="dispatches"
    )
    held_on = models.DateField(_("日期"))
    kind = models.CharField(_("会议"), max_length=10, choices=DispatchKind.choices)
    attendees = models.CharField(_("参会人员"), max_length=300, blank=True)
    issues = models.TextField(_("当日问题"), blank=True)
    decisions = models.TextField(_("研究决定"), blank=True)
    recorded_by = actor_field(_("记录人"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调度会")
        verbose_name_plural = _("调度会")
        ordering = ["campaign_id", "-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "held_on", "kind"], name="dispatch_once_per_slot"
            ),
        ]

    def __str__(self):
        return f"{self.held_on} {self.get_kind_display()}"


class Assignment(models.Model):
    """A task a dispatch meeting gave to one owner, with a deadline."""

    meeting = models.ForeignKey(
        DispatchMeeting,
        verbose_name=_("调度会"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项工作"), on_delete=models.CASCADE, related_name="assignments"
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("涉及户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
    )
    task = models.CharField(_("交办事项"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        on_delete=models.PROTECT,
        related_name="campaign_assignments",
    )
    due_on = models.DateField(_("完成时限"), db_index=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    result = models.CharField(_("办理结果"), max_length=300, blank=True)
    escalated_on = models.DateField(_("督办日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("交办事项")
        verbose_name_plural = _("交办事项")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.task


class HousingUnit(models.Model):
    """安置房: one flat offered in a 回迁 allocation."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项工作"), on_delete=models.CASCADE, related_name="units"
    )
    code = models.CharField(_("房号"), max_length=30)
    building = models.CharField(_("楼号"), max_length=20)
    area = models.DecimalField(_("面积(㎡)"), max_digits=8, decimal_places=2)
    layout = models.CharField(_("户型"), max_length=30, blank=True)
    case = models.OneToOneField(
        Case,
        verbose_name=_("分配给"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="unit",
    )
    chosen_on = models.DateField(_("选房日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("安置房")
        verbose_name_plural = _("安置房")
        ordering = ["campaign_id", "building", "code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="housing_unit_once"),
        ]

    def __str__(self):
        return self.code


class HouseholdNotice(models.Model):
    """A notice to every household of the campaign through the delivery channels."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专项工作"), on_delete=models.CASCADE, related_name="notices"
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"))
    sent_by = actor_field(_("发送人"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("入户通知")
        verbose_name_plural = _("入户通知")
        ordering = ["campaign_id", "-sent_at"]

    def __str__(self):
        return self.title


class NoticeReach(models.Model):
    """Whether one household was reached by a notice: its delivery, or why there was none."""

    notice = models.ForeignKey(
        HouseholdNotice, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="reaches"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("户档案"), on_delete=models.CASCADE, related_name="reaches"
    )
    delivery = models.ForeignKey(
        "notices.Delivery",
        verbose_name=_("发送记录"),
        on_delete=models.SET_NULL,
        db_constraint=False,  # deliveries are partitioned by year on PostgreSQL (decision 0005)
        null=True,
        blank=True,
        related_name="+",
    )
    missing = models.CharField(_("未发送原因"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("通知送达")
        verbose_name_plural = _("通知送达")
        constraints = [
            models.UniqueConstraint(fields=["notice", "case"], name="notice_reach_once"),
        ]

    def __str__(self):
        return f"{self.notice_id} {self.case_id}"
