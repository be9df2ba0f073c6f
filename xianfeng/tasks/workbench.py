"""Workbench: key tasks of my organizations on red or amber."""

from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import has_perm_anywhere, scope_orgs
from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider

from .models import KeyTask
from .rules import AMBER, RED
from .services import board


@workbench_provider("tasks")
def tasks_todo(user, today):
    if not has_perm_anywhere(user, Perm.ORG_CHANGE):
        return
    tasks = KeyTask.objects.filter(organization__in=scope_orgs(user, Perm.ORG_CHANGE))
    colours = [light.colour for _task, light in board(tasks, today)]
    link = reverse("tasks:board")
    yield TodoItem(
        "tasks.red",
        _("亮红灯的重点任务"),
        colours.count(RED),
        f"{link}?light={RED}",
        Urgency.OVERDUE,
    )
    yield TodoItem(
        "tasks.amber",
        _("亮黄灯的重点任务"),
        colours.count(AMBER),
        f"{link}?light={AMBER}",
        Urgency.SOON,
    )
