"""In-app notices for the people who must act, and the outbox of their deliveries."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import EncryptedField
from xianfeng.members.masking import mask_phone


class NoticeKind(models.TextChoices):
    REQUEST = "request", _("居民诉求")
    REQUEST_ESCALATED = "request.escalated", _("诉求上报或超时")
    REQUEST_RATING = "request.rating", _("诉求差评")
    MEETING = "meeting", _("会议通知")
    MEETING_REMINDER = "meeting.reminder", _("会议提醒")
    TRANSFER = "transfer", _("组织关系转接")
    CLAIM = "claim", _("积分申报待审核")
    TERM = "term", _("任期届满")
    STANDING = "standing", _("党籍管理（失联、自行脱党、流动党员）")
    RESIDENT = "resident", _("告知居民")
    PROJECT = "project", _("社区需求（双报到）")
    EXPORT = "export", _("导出文件")


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    WECHAT = "wechat", _("微信")
    EMAIL = "email", _("电子邮件")


class Notice(models.Model):
    """站内通知: one row per person who must act."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=NoticeKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # Set by jobs that run again and again (daily reminders): one notice per person and key.
    key = models.CharField(_("去重键"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~models.Q(key=""), name="notice_once_per_key"
            )
        ]

    def __str__(self):
        return self.title


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待发送")
    CLAIMED = "claimed", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Delivery(models.Model):
    """One message on one channel, written in the same transaction as the event.

    pending → claimed (a worker holds it for the lease) → sent, or back to pending with a
    later `not_before` (backoff), or failed after the last attempt. A claim older than the
    lease is a crashed worker's: the sweep takes it again. `key` goes to the provider where
    it accepts one, so a retry after a crash between send and save is not a second message.
    """

    notice = models.ForeignKey(
        Notice,
        verbose_name=_("通知"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        # Notices are partitioned by year on PostgreSQL (core.partitions): no foreign key can
        # point into them; notify() writes both in one transaction (decision 0005).
        db_constraint=False,
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    # A resident's or member's phone (or a mailbox, a WeChat id): encrypted at rest like
    # every other phone (issue 13 §2).
    address = EncryptedField(_("地址"), max_length=200)
    text = models.CharField(_("内容"), max_length=500)
    kind = models.CharField(_("类型"), max_length=20, choices=NoticeKind.choices)
    key = models.UUIDField(_("幂等键"), default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(
        _("状态"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    not_before = models.DateTimeField(_("最早发送时间"))
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    provider_ref = models.CharField(_("服务商回执"), max_length=100, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("通知发送")
        verbose_name_plural = _("通知发送")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["not_before"],
                name="delivery_pending_idx",
                condition=models.Q(state="pending"),
            ),
            models.Index(
                fields=["claimed_at"],
                name="delivery_claimed_idx",
                condition=models.Q(state="claimed"),
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {mask_phone(self.address)}"


class Preference(models.Model):
    """How a person wants to hear: channels per kind, addresses, and quiet hours.

    `channels` maps a kind to the channels chosen for it; a kind not in the map uses every
    channel the deployment offers and the person has an address for. In-app notices are
    always written. During quiet hours deliveries wait (they are not dropped).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="notice_preference",
    )
    channels = models.JSONField(_("各类通知的渠道"), default=dict, blank=True)
    phone = EncryptedField(_("接收短信的手机号"), max_length=20, blank=True)
    wechat_id = models.CharField(_("企业微信账号或公众号OpenID"), max_length=100, blank=True)
    quiet_from = models.TimeField(_("免打扰开始"), null=True, blank=True)
    quiet_until = models.TimeField(_("免打扰结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")

    def __str__(self):
        return str(self.user)
