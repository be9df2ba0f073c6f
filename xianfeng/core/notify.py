"""Outbound messages (SMS, WeChat) behind one interface; the default adapter only logs.

    from xianfeng.core.notify import send_message
    send_message(phone="13900000000", text="您的诉求已办结", topic="request.solved")

Settings: XIANFENG_NOTIFY_ADAPTERS = ["xianfeng.core.notify.LoggingAdapter"] (dotted paths).
A real SMS or WeChat gateway is a class with `send(message)`; a failing adapter is logged and
never breaks the caller. In-app notifications live in the apps that own them.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("xianfeng.notify")


@dataclass(frozen=True)
class Message:
    text: str
    topic: str = ""
    phone: str = ""
    user_id: int | None = None


class LoggingAdapter:
    """Writes each message to the `xianfeng.notify` log and keeps the last ones for tests."""

    sent: list = []

    def send(self, message: Message):
        LoggingAdapter.sent.append(message)
        del LoggingAdapter.sent[:-100]
        logger.info(
            "notify %s → %s: %s", message.topic, message.phone or message.user_id, message.text
        )


def adapters():
    paths = getattr(settings, "XIANFENG_NOTIFY_ADAPTERS", ["xianfeng.core.notify.LoggingAdapter"])
    return [import_string(path)() for path in paths]


def send_message(*, text, topic="", phone="", user_id=None):
    message = Message(text=text, topic=topic, phone=phone, user_id=user_id)
    for adapter in adapters():
        try:
            adapter.send(message)
        except Exception:  # an SMS gateway being down must not undo the work
            logger.exception("notify adapter %s failed", type(adapter).__name__)
    return message
