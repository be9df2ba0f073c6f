"""Workbench: transfer steps waiting for my organization, letters about to run out unanswered,
流动党员 away six months at a fixed place whose relationship should move."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import has_perm_anywhere
from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider

from .mobile import settled_away
from .queries import receipt_warnings, scope_mobile, scope_transfers, to_act_on
from .rules import mobile_remind_days


@workbench_provider("transfers")
def transfers_todo(user, today):
    if not has_perm_anywhere(user, Perm.TRANSFER_ACT):
        return
    visible = scope_transfers(user)
    link = reverse("transfers:list")
    yield TodoItem(
        "transfers.step", _("待我方办理的组织关系转接"), len(to_act_on(user, visible)), link
    )
    late = receipt_warnings(visible, today)
    yield TodoItem(
        "transfers.receipt",
        _("介绍信将到期仍未回执"),
        late.count(),
        f"{link}?tab=warnings",
        Urgency.SOON,
    )
    mobile = scope_mobile(user, Perm.TRANSFER_ACT)
    due = settled_away(mobile, today).count()
    soon = settled_away(mobile, today + timedelta(days=mobile_remind_days())).count() - due
    mobile_link = reverse("transfers:mobile_list")
    yield TodoItem(
        "transfers.mobile_due",
        _("流动党员在外满6个月，应转移组织关系"),
        due,
        mobile_link,
        Urgency.OVERDUE,
    )
    yield TodoItem(
        "transfers.mobile_soon", _("流动党员在外将满6个月"), soon, mobile_link, Urgency.SOON
    )
