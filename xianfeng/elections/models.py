from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import actor_field
from xianfeng.orgs.models import SeatPost


class ElectionStatus(models.TextChoices):
    PLANNED = "planned", _("已制定方案")
    NOMINATING = "nominating", _("酝酿提名")
    VOTED = "voted", _("已选举待批复")
    APPROVED = "approved", _("已批复")
    REJECTED = "rejected", _("未获批准")


APPROVED_POSTS = (SeatPost.SECRETARY, SeatPost.DEPUTY_SECRETARY)
OPEN_STATUSES = (ElectionStatus.PLANNED, ElectionStatus.NOMINATING, ElectionStatus.VOTED)


class Election(models.Model):
    """换届选举: renewing one organization's committee, from the plan to the higher approval."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="elections",
    )
    committee = models.ForeignKey(
        "orgs.Committee",
        verbose_name=_("届满的委员会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
    )
    new_committee = models.OneToOneField(
        "orgs.Committee",
        verbose_name=_("新一届委员会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="election",
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ElectionStatus.choices,
        default=ElectionStatus.PLANNED,
        db_index=True,
    )
    planned_on = models.DateField(_("计划选举日期"))
    seats = models.PositiveSmallIntegerField(_("应选人数"))
    plan = models.TextField(_("选举工作方案"), blank=True)
    held_on = models.DateField(_("选举日期"), null=True, blank=True)
    eligible = models.PositiveIntegerField(_("应到会有选举权人数"), null=True, blank=True)
    present = models.PositiveIntegerField(_("实到会有选举权人数"), null=True, blank=True)
    decided_on = models.DateField(_("批复日期"), null=True, blank=True)
    decided_by = actor_field(_("批复人"))
    decision_note = models.CharField(_("批复意见"), max_length=300, blank=True)
    created_by = actor_field(_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("换届选举")
        verbose_name_plural = _("换届选举")
        ordering = ["-planned_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(status__in=["planned", "nominating", "voted"]),
                name="one_open_election_per_org",
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.planned_on:%Y}年换届"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def accepts_nominations(self):
        return self.status in (ElectionStatus.PLANNED, ElectionStatus.NOMINATING)


class NominationSource(models.TextChoices):
    MEMBERS = "members", _("党员推荐")
    PUBLIC = "public", _("群众推荐")
    ORGANIZATION = "organization", _("党组织推荐")


class ResultStatus(models.TextChoices):
    """What the level above did with one elected result (rules.APPROVAL_SOURCE)."""

    NONE = "", _("—")
    AWAITING_FILING = "awaiting_filing", _("待报上级备案")
    AWAITING_APPROVAL = "awaiting_approval", _("待上级批准")
    FILED = "filed", _("已备案")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未获批准")


class Nomination(models.Model):
    """候选人: a member nominated for a post; votes and the result come from the meeting."""

    election = models.ForeignKey(
        Election, verbose_name=_("换届选举"), on_delete=models.CASCADE, related_name="nominations"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    post = models.CharField(_("拟任职务"), max_length=20, choices=SeatPost.choices)
    source = models.CharField(
        _("推荐方式"),
        max_length=20,
        choices=NominationSource.choices,
        default=NominationSource.MEMBERS,
    )
    votes = models.PositiveIntegerField(_("得票"), null=True, blank=True)
    elected = models.BooleanField(_("当选"), default=False)
    # 委员 are filed (备案) with the level above, 书记/副书记 approved (批准) by it.
    result = models.CharField(
        _("报批结果"), max_length=20, choices=ResultStatus.choices, default="", blank=True
    )
    result_on = models.DateField(_("备案/批准日期"), null=True, blank=True)
    result_by = actor_field(_("备案/批准人"))
    created_at = models.DateTimeField(_("提名时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")
        ordering = ["election_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "member"], name="nominated_once"),
            models.UniqueConstraint(
                fields=["election"],
                condition=models.Q(post="secretary"),
                name="one_secretary_nominee",
            ),
        ]

    def __str__(self):
        return f"{self.get_post_display()} {self.member}"

    @property
    def needs_approval(self) -> bool:
        """书记、副书记 are approved by the level above; other 委员 are only filed."""
        return self.post in APPROVED_POSTS
