"""Use cases of the notification centre.

`notify(...)` is called by other apps' services inside their own transaction, right after
their write: the notices and their deliveries commit with the event or not at all, and the
event's audit row covers them. The deliveries leave through the outbox (outbox.py).
"""

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.core.notify import channel_names

from .models import Channel, Delivery, Notice, NoticeKind, Preference


def notify(
    recipients: Iterable[int],
    *,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    exclude: Iterable[int] = (),
    key: str = "",
) -> list[Notice]:
    """A notice for each recipient (user ids; `exclude` = the person who caused the event)
    and a delivery per channel each wants for this kind. With a `key`, a person who already
    has a notice with that key gets no second one (for jobs that run daily)."""
    from xianfeng.accounts.models import User

    ids = set(recipients) - set(exclude)
    if key:
        ids -= set(
            Notice.objects.filter(key=key, recipient__in=ids).values_list("recipient", flat=True)
        )
    users = list(
        User.objects.filter(pk__in=ids, is_active=True).select_related("member").order_by("pk")
    )
    if not users:
        return []
    notices = Notice.objects.bulk_create(
        [
            Notice(recipient=u, kind=kind, title=title[:200], body=body, link=link[:300], key=key)
            for u in users
        ]
    )
    prefs = {p.user_id: p for p in Preference.objects.filter(user__in=users)}
    text = f"{title}：{body}" if body else title
    now = timezone.now()
    deliveries = [
        Delivery(
            notice=notice,
            kind=kind,
            channel=channel,
            address=address,
            text=text[:500],
            not_before=_after_quiet_hours(prefs.get(user.pk), now),
        )
        for user, notice in zip(users, notices, strict=True)
        for channel, address in _routes(user, prefs.get(user.pk), kind)
    ]
    _queue(deliveries)
    return notices


def grant_holders(org, perm) -> set[int]:
    """Logins granted `perm` on `org` itself or, when none is, on the nearest level above
    that has one: the people whose turn it is, not everyone whose subtree covers it."""
    from xianfeng.accounts.models import RoleGrant
    from xianfeng.accounts.roles import ROLE_PERMS

    roles = [role for role, perms in ROLE_PERMS.items() if perm in perms]
    paths = [org.path[:i] for i in range(org.steplen, len(org.path) + 1, org.steplen)]
    by_depth: dict[int, set[int]] = {}
    grants = RoleGrant.objects.filter(organization__path__in=paths, role__in=roles)
    for user_id, path in grants.values_list("user_id", "organization__path"):
        by_depth.setdefault(len(path), set()).add(user_id)
    return by_depth[max(by_depth)] if by_depth else set()


def tell_phone(phone: str, text: str, *, kind: str = NoticeKind.RESIDENT) -> Delivery | None:
    """An SMS to someone without a login (a resident who left a phone), if SMS is offered."""
    if not phone or Channel.SMS not in channel_names():
        return None
    delivery = Delivery(
        kind=kind, channel=Channel.SMS, address=phone, text=text[:500], not_before=timezone.now()
    )
    _queue([delivery])
    return delivery


def _queue(deliveries):
    if not deliveries:
        return
    Delivery.objects.bulk_create(deliveries)
    pks = [d.pk for d in deliveries]

    def enqueue():
        from .tasks import deliver_task

        for pk in pks:
            deliver_task(pk)

    # Robust: with the queue down the rows are safe and the sweep sends them.
    transaction.on_commit(enqueue, robust=True)


def _routes(user, pref, kind):
    offered = channel_names()
    addresses = {
        Channel.SMS: (pref.phone if pref else "") or (user.member.phone if user.member else ""),
        Channel.WECHAT: pref.wechat_id if pref else "",
        Channel.EMAIL: user.email,
    }
    wanted = pref.channels.get(kind) if pref and kind in pref.channels else offered
    return [(c, addresses[c]) for c in offered if c in wanted and addresses.get(c)]


def _after_quiet_hours(pref, now: datetime) -> datetime:
    if pref is None or pref.quiet_from is None or pref.quiet_until is None:
        return now
    local = timezone.localtime(now)
    start, end, t = pref.quiet_from, pref.quiet_until, local.time()
    quiet = start <= t < end if start <= end else (t >= start or t < end)
    if not quiet:
        return now
    resume = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if resume <= local:
        resume += timedelta(days=1)
    return resume


def unread_count(user) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(notice: Notice, *, actor) -> Notice:
    if notice.recipient_id != actor.pk:
        raise DomainError("只能标记自己的通知")
    with transaction.atomic():
        updated = Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if updated:
            audit.record("notices.read", notice, actor=actor)
    notice.refresh_from_db(fields=["read_at"])
    return notice


def mark_all_read(*, actor, kind: str = "") -> int:
    with transaction.atomic():
        unread = Notice.objects.filter(recipient=actor, read_at__isnull=True)
        if kind:
            unread = unread.filter(kind=kind)
        count = unread.update(read_at=timezone.now())
        if count:
            audit.record("notices.read_all", actor, actor=actor, count=count, kind=kind)
    return count


def save_preference(
    user,
    *,
    channels: dict[str, list[str]],
    phone: str = "",
    wechat_id: str = "",
    quiet_from: time | None = None,
    quiet_until: time | None = None,
    actor,
) -> Preference:
    if user.pk != actor.pk:
        raise DomainError("只能修改自己的通知设置")
    if (quiet_from is None) != (quiet_until is None):
        raise DomainError("免打扰时段需同时填写开始和结束时间")
    if quiet_from is not None and quiet_from == quiet_until:
        raise DomainError("免打扰开始和结束时间不能相同")
    kinds, offered = set(NoticeKind.values), set(channel_names())
    for kind, chosen in channels.items():
        if kind not in kinds or not set(chosen) <= offered:
            raise DomainError("通知类型或渠道无效")
    if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        raise DomainError("手机号应为11位数字")
    with transaction.atomic():
        pref, _created = Preference.objects.select_for_update().get_or_create(user=user)
        pref.channels = {k: sorted(v) for k, v in channels.items()}
        pref.phone, pref.wechat_id = phone, wechat_id.strip()
        pref.quiet_from, pref.quiet_until = quiet_from, quiet_until
        pref.save()
        audit.record(
            "notices.preference",
            pref,
            actor=actor,
            channels=pref.channels,
            quiet=f"{quiet_from}–{quiet_until}" if quiet_from else "",
        )
    return pref


def deployment_channels() -> list[tuple[str, str]]:
    return [(c, Channel(c).label) for c in channel_names() if c in Channel.values]
