"""Workbench: a member's unpaid months of dues."""

from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider

from .services import arrears


@workbench_provider("dues")
def dues_todo(user, today):
    if not user.member_id:
        return
    months = arrears(user.member, today)
    yield TodoItem(
        "dues.mine",
        _("我未交的党费月份"),
        len(months),
        reverse("dues:member", args=[user.member_id]),
        Urgency.SOON,
    )
