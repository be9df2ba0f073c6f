"""Outbound messages behind one interface: a channel sends one text to one address.

A channel is a class with `send(message) -> str` (the provider's reference) that raises
`DeliveryError` when the message did not go out (`permanent=True` when retrying cannot help,
e.g. an invalid number). Which class serves which channel ("sms", "wechat", "email") is chosen
per deployment in settings (`XIANFENG_NOTICE_CHANNELS`, built from the NOTICE_* variables);
`LoggingChannel` only logs. The notices app owns the outbox that calls them; the provider
classes live there too, so core imports no domain app.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("xianfeng.notify")


@dataclass(frozen=True)
class Message:
    address: str
    text: str
    key: str  # idempotency key, passed to the provider where it accepts one
    subject: str = ""


class DeliveryError(Exception):
    def __init__(self, reason, *, permanent=False):
        super().__init__(reason)
        self.permanent = permanent


class LoggingChannel:
    """Writes each message to the `xianfeng.notify` log (development, demo)."""

    def send(self, message: Message) -> str:
        # Logs keep no phone number: the last four digits tell a developer which one it was.
        logger.info("notify → …%s: %s", message.address[-4:], message.text)
        return f"log:{message.key}"


def channel_names() -> list[str]:
    return list(settings.XIANFENG_NOTICE_CHANNELS)


def get_channel(name: str):
    return import_string(settings.XIANFENG_NOTICE_CHANNELS[name])()
