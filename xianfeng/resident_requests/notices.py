"""Who hears about a request: a notice for the people who must act at its level (not the
one who just acted), and an SMS to the resident who left a phone. Called inside the
service's transaction, so the notices and their deliveries commit with the step."""

from django.urls import reverse

from xianfeng.notices.models import NoticeKind
from xianfeng.notices.services import notify, tell_phone

from .routing import handlers_of


def notify_handlers(req, title, *, kind=NoticeKind.REQUEST, actor=None, also=()):
    """`also`: logins that hear besides the level's handlers (e.g. who called a unit in)."""
    notify(
        set(handlers_of(req)) | {pk for pk in also if pk is not None},
        kind=kind,
        title=title,
        body=req.category.name,
        link=reverse("requests:detail", args=[req.pk]),
        exclude=[actor.pk] if actor is not None else (),
    )


def tell_resident(req, text):
    tell_phone(req.resident_phone, text)
