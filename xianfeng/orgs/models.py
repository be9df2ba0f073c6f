from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")


class Domain(models.TextChoices):
    RURAL = "rural", _("农村")
    COMMUNITY = "community", _("社区")
    ORGAN = "organ", _("机关")
    INSTITUTION = "institution", _("事业单位")
    SOE = "soe", _("国有企业")
    PRIVATE = "private", _("非公有制企业")
    SOCIAL = "social", _("社会组织")
    SCHOOL = "school", _("学校")


class OrgStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    DISSOLVED = "dissolved", _("已撤销")


class OrganizationQuerySet(MP_NodeQuerySet):
    def active(self):
        return self.filter(status=OrgStatus.ACTIVE)

    def subtree_of(self, org):
        return self.filter(path__startswith=org.path)


class OrganizationManager(MP_NodeManager):
    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):
    """党组织: any party organization, one node of a single tree."""

    steplen = 4
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

    code = models.CharField(_("组织代码"), max_length=32, unique=True)
    name = models.CharField(_("组织名称"), max_length=120, db_index=True)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    kind = models.CharField(_("组织类别"), max_length=20, choices=OrgKind.choices, db_index=True)
    is_temporary = models.BooleanField(_("临时党组织"), default=False)
    is_joint = models.BooleanField(_("联合党组织"), default=False)
    domain = models.CharField(_("所属领域"), max_length=20, choices=Domain.choices, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=OrgStatus.choices, default=OrgStatus.ACTIVE
    )
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    # "因工作需要，经上级党组织批准": a 党总支 under 50 or a 党委 under 100 members approved by the
    # higher level (orgs/rules.py); the approval silences the size warning.
    size_exception_approved_on = models.DateField(_("规模例外批准日期"), null=True, blank=True)
    size_exception_approval = models.CharField(_("规模例外批准文件"), max_length=120, blank=True)
    # Direct (not subtree) member counts, kept exactly in step with the members table by
    # xianfeng.members.services.refresh_org_counts in the same transaction as every member
    # write; subtree totals are then a SUM over the subtree (docs/decisions/0002).
    member_count = models.PositiveIntegerField(_("直属党员数"), default=0, editable=False)
    full_member_count = models.PositiveIntegerField(_("直属正式党员数"), default=0, editable=False)
    probationary_member_count = models.PositiveIntegerField(
        _("直属预备党员数"), default=0, editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = OrganizationManager.from_queryset(OrganizationQuerySet)()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        indexes = [
            # Prefix (LIKE 'path%') lookups on PostgreSQL need a pattern opclass.
            models.Index(
                fields=["path"], name="org_path_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.status == OrgStatus.ACTIVE

    @property
    def kind_label(self):
        label = self.get_kind_display()
        if self.kind == OrgKind.BRANCH and self.is_temporary:
            return "临时党支部"
        if self.kind == OrgKind.BRANCH and self.is_joint:
            return "联合党支部"
        return label


class CommitteeStatus(models.TextChoices):
    CURRENT = "current", _("本届")
    ENDED = "ended", _("已届满")


class Committee(models.Model):
    """支部委员会 / 党委班子: one elected term of an organization's committee."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="committees"
    )
    elected_on = models.DateField(_("选举日期"))
    term_years = models.PositiveSmallIntegerField(_("任期(年)"), default=5)
    ends_on = models.DateField(_("届满日期"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=CommitteeStatus.choices, default=CommitteeStatus.CURRENT
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # 换届 delayed or advanced with the higher level's approval (rules.RESCHEDULE_SOURCE):
    # `ends_on` then holds the approved date, so every reminder and overdue warning follows it;
    # the date the term would have ended is kept here.
    statutory_ends_on = models.DateField(_("原届满日期"), null=True, blank=True)
    rescheduled_on = models.DateField(_("上级批准延期或提前日期"), null=True, blank=True)
    reschedule_approval = models.CharField(_("批准文件或文号"), max_length=100, blank=True)
    reschedule_reason = models.CharField(_("延期或提前原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("委员会(届次)")
        verbose_name_plural = _("委员会(届次)")
        ordering = ["-elected_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(status="current"),
                name="one_current_committee_per_org",
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.elected_on:%Y}年届"

    def days_left(self, today=None):
        return (self.ends_on - (today or timezone.localdate())).days

    @property
    def rescheduled(self) -> str:
        """ "延期" / "提前" when the higher level moved the 换届 date, else ""."""
        if self.statutory_ends_on is None or self.statutory_ends_on == self.ends_on:
            return ""
        return _("延期") if self.ends_on > self.statutory_ends_on else _("提前")


class SeatPost(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    ORGANIZATION = "organization", _("组织委员")
    PROPAGANDA = "propaganda", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    YOUTH = "youth", _("青年委员")
    WOMEN = "women", _("妇女委员")
    MEMBER = "member", _("委员")


class CommitteeSeat(models.Model):
    """班子成员: a post on a committee held by a member between two dates."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("届次"), on_delete=models.CASCADE, related_name="seats"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="seats"
    )
    post = models.CharField(_("职务"), max_length=20, choices=SeatPost.choices)
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("班子成员")
        verbose_name_plural = _("班子成员")
        ordering = ["committee", "post", "started_on"]

    def __str__(self):
        return f"{self.get_post_display()} {self.member}"


class OrgChange(models.Model):
    """组织调整记录: a move, merge, split or dissolution, kept on the organization for good."""

    class Kind(models.TextChoices):
        CREATE = "create", _("成立")
        MOVE = "move", _("隶属关系调整")
        MERGE_IN = "merge_in", _("合并并入")
        MERGED_AWAY = "merged_away", _("被合并")
        SPLIT = "split", _("拆分")
        DISSOLVE = "dissolve", _("撤销")
        RENAME = "rename", _("更名")

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(_("调整类型"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("调整日期"))
    other = models.ForeignKey(
        Organization,
        verbose_name=_("相关组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("组织调整记录")
        verbose_name_plural = _("组织调整记录")
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.organization} {self.get_kind_display()} {self.on}"


# The org page's chart buckets (orgs/breakdowns.py maps them to the members' fields).
BREAKDOWN_COLUMNS = (
    "c_full",
    "c_probationary",
    "g_m",
    "g_f",
    *(f"a_{i}" for i in range(6)),
    "e_postgraduate",
    "e_bachelor",
    "e_college",
    "e_secondary",
    "e_high_school",
    "e_junior",
    "e_none",
    *(f"p_{i}" for i in range(6)),
    "p_none",
    "s_normal",
    "s_lost_contact",
    "s_party_probation",
    "s_detained",
    "s_arrested",
)


class OrgBreakdown(models.Model):
    """An organization's active direct members in the chart buckets (category, gender, age
    band, education, party-age band, status), ages counted on `as_of` (the watermark in
    `RollupWatermark`). Kept by members.services in the write's transaction and re-counted
    for a new day by a nightly job; docs/decisions/0004-dashboard-rollups.md."""

    organization = models.OneToOneField(
        Organization, primary_key=True, on_delete=models.CASCADE, related_name="breakdown"
    )
    as_of = models.DateField()
    for _column in BREAKDOWN_COLUMNS:
        locals()[_column] = models.PositiveIntegerField(default=0)
    del _column

    def __str__(self):
        return f"{self.organization_id} @ {self.as_of}"


class RollupWatermark(models.Model):
    """The day a time-dependent rollup is counted on (pages show it when it is not today)."""

    name = models.CharField(max_length=40, primary_key=True)
    as_of = models.DateField()

    def __str__(self):
        return f"{self.name} @ {self.as_of}"
