"""Notices to every household of a campaign through the delivery channels, with a record of
who was reached (the delivery's state) and who could not be (no phone, SMS not offered)."""

from django.db import transaction
from django.db.models import Count, Q

from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.notices.models import DeliveryState
from xianfeng.notices.services import tell_phone

from .models import Case, HouseholdNotice, NoticeReach
from .services import _user

NO_PHONE = "无联系电话"
NO_CHANNEL = "未开通短信渠道"


def send_notice(campaign, *, actor, title, body, text_for=None, cases=None):
    """One SMS per household with a phone (`text_for(case)` for a per-household text)."""
    if not title.strip() or not body.strip():
        raise DomainError("请填写通知标题和内容")
    cases = Case.objects.filter(campaign=campaign) if cases is None else cases
    with transaction.atomic():
        notice = HouseholdNotice.objects.create(
            campaign=campaign, title=title[:100], body=body, sent_by=_user(actor)
        )
        reaches = []
        for case in cases.only("pk", "number", "phone", "choose_order").order_by("number"):
            text = text_for(case) if text_for else f"{title}：{body}"
            delivery = tell_phone(case.phone, text) if case.phone else None
            missing = "" if delivery else (NO_CHANNEL if case.phone else NO_PHONE)
            reaches.append(
                NoticeReach(notice=notice, case=case, delivery=delivery, missing=missing)
            )
        NoticeReach.objects.bulk_create(reaches, batch_size=2000)
        audit.record(
            "campaign.notice", notice, actor=actor, campaign=campaign.pk, households=len(reaches)
        )
    return notice


def reach_figures(notices) -> dict:
    """Per notice id: households sent to, reached (delivered), pending, failed, not sendable;
    one grouped query for a page of notices."""
    rows = (
        NoticeReach.objects.filter(notice__in=notices)
        .values("notice_id")
        .annotate(
            total=Count("id"),
            reached=Count("id", filter=Q(delivery__state=DeliveryState.SENT)),
            failed=Count("id", filter=Q(delivery__state=DeliveryState.FAILED)),
            pending=Count(
                "id",
                filter=Q(delivery__state__in=[DeliveryState.PENDING, DeliveryState.CLAIMED]),
            ),
            missing=Count("id", filter=Q(delivery__isnull=True)),
        )
        .order_by()
    )
    empty = dict.fromkeys(("total", "reached", "failed", "pending", "missing"), 0)
    found = {row.pop("notice_id"): row for row in rows}
    return {n.pk: found.get(n.pk, empty) for n in notices}
