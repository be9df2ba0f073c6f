"""Workbench: 疑似自行脱党 to handle; 失联 reaching 6 months; 停止党籍 reaching 2 years."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import has_perm_anywhere, scope_members, scope_orgs
from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider

from .models import OPEN_STATUSES, LapseCase
from .rules import remind_days
from .services import lost_contact_due, suspended_due


@workbench_provider("standing")
def standing_todo(user, today):
    if not has_perm_anywhere(user, Perm.MEMBER_CHANGE):
        return
    link = reverse("standing:list")
    cases = LapseCase.objects.filter(
        status__in=OPEN_STATUSES, organization__in=scope_orgs(user, Perm.MEMBER_CHANGE)
    )
    yield TodoItem("standing.lapse", _("疑似自行脱党待处理"), cases.count(), link)
    members = scope_members(user, Perm.MEMBER_CHANGE)
    ahead = today + timedelta(days=remind_days())
    lost_now = lost_contact_due(members, today).count()
    lost_soon = lost_contact_due(members, ahead).count() - lost_now
    yield TodoItem(
        "standing.lost", _("失联满6个月，待作停止党籍处理"), lost_now, link, Urgency.OVERDUE
    )
    yield TodoItem("standing.lost_soon", _("失联将满6个月"), lost_soon, link, Urgency.SOON)
    removal_now = suspended_due(members, today).count()
    removal_soon = suspended_due(members, ahead).count() - removal_now
    yield TodoItem(
        "standing.suspended", _("停止党籍满2年，待作除名或恢复党籍处理"), removal_now, link
    )
    yield TodoItem(
        "standing.suspended_soon", _("停止党籍将满2年"), removal_soon, link, Urgency.SOON
    )
