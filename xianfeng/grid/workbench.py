"""Workbench: for grid workers and 党员中心户, their households due for a visit (shown first)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider

from .visits import due_q, my_grid_paths, my_households


@workbench_provider("grid")
def visits_todo(user, today):
    paths = my_grid_paths(user)
    if not paths:
        return
    due = my_households(user, paths).filter(due_q(today)).count()
    link = reverse("grid:mine")
    yield TodoItem(
        "grid.visits",
        _("我服务的住户待走访"),
        due,
        f"{link}?due=1",
        Urgency.SOON,
        first=True,
    )
