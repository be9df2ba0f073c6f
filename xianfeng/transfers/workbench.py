"""Workbench: transfer steps waiting for my organization, letters about to run out unanswered."""

from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import has_perm_anywhere
from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider

from .queries import receipt_warnings, scope_transfers, to_act_on


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
