"""Who hears about a request: in-app notifications for the people who must act, and the
resident through the outbound adapters (SMS/WeChat; logging by default)."""

from django.db.models import Q

from xianfeng.core.notify import send_message

from .models import Notification
from .routing import handlers_of


def notify_handlers(req, message):
    users = handlers_of(req)
    Notification.objects.bulk_create(
        [Notification(user_id=pk, request=req, message=message[:200]) for pk in sorted(users)]
    )
    for pk in sorted(users):
        send_message(text=message, topic="request", user_id=pk)


def tell_resident(req, text):
    if req.resident_phone:
        send_message(text=text, topic="request.resident", phone=req.resident_phone)


def unread_for(user):
    return Notification.objects.filter(Q(user=user), read_at__isnull=True)
