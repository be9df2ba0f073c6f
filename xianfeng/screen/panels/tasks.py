"""挂图作战: the subtree's key tasks with their red / amber / green lights (tasks.services.board,
3 queries whatever the number of tasks; a street has tens of them)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xianfeng.tasks.models import KeyTask
from xianfeng.tasks.rules import AMBER, DONE, GREEN, RED
from xianfeng.tasks.services import board

from . import screen_panel

SHOWN = 4
ORDER = {RED: 0, AMBER: 1, GREEN: 2, DONE: 3}


@screen_panel(
    "tasks",
    title=_("挂图作战"),
    template="screen/panels/tasks.html",
    link=lambda org: reverse("tasks:board"),
    refresh=300,
)
def tasks_panel(org, at):
    tasks = KeyTask.objects.filter(
        Q(completed_on__isnull=True) | Q(completed_on__year=at.today.year),
        organization__path__startswith=org.path,
    )
    rows = board(tasks, at.today)
    counts = dict.fromkeys((RED, AMBER, GREEN, DONE), 0)
    for _task, light in rows:
        counts[light.colour] += 1
    rows.sort(key=lambda r: (ORDER[r[1].colour], r[0].due_on, r[0].pk))
    return {
        "counts": counts,
        "rows": [
            {
                "title": task.title,
                "lead": task.lead_unit,
                "progress": task.progress,
                "due": task.due_on,
                "colour": light.colour,
            }
            for task, light in rows
            if light.colour != DONE
        ][:SHOWN],
    }
