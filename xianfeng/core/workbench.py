"""工作台: the seam through which every app says what waits for a user.

`core` imports no domain app, so each app registers a provider in its AppConfig.ready():

    from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider

    @workbench_provider("requests")
    def requests_todo(user, today):  -> iterable of TodoItem
        ...

A provider is scoped (it starts from the user's scoped querysets) and cheap: a fixed
number of count queries whatever the amount of data, never one query per row. Items with
a count of zero are dropped; the rest are ordered by urgency, then by due date (items
marked `first`, the user's own grid, before all).
The same list feeds the home page and `GET /api/v1/me/todo/`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Urgency(IntEnum):
    OVERDUE = 0
    SOON = 1
    TODO = 2
    INFO = 3

    @property
    def code(self):
        return self.name.lower()

    @property
    def label(self):
        return URGENCY_LABELS[self]


URGENCY_LABELS = {
    Urgency.OVERDUE: _("已超期"),
    Urgency.SOON: _("即将到期"),
    Urgency.TODO: _("待办"),
    Urgency.INFO: _("我的"),
}


@dataclass(frozen=True)
class TodoItem:
    kind: str
    title: str
    count: int
    link: str
    urgency: Urgency = Urgency.TODO
    due: date | None = None
    # Shown instead of the count where a count is not the point (a rank, a sum of points).
    figure: str = ""
    # Before everything else, whatever the urgency: a grid worker's and a 中心户's own grid
    # (its requests and visits) comes first on their workbench.
    first: bool = False


Provider = Callable[..., Iterable[TodoItem]]  # (user, today: date) -> items

PROVIDERS: dict[str, Provider] = {}


def workbench_provider(code: str):
    """Register `fn(user, today) -> iterable of TodoItem` under `code` (re-registering replaces)."""

    def register(fn):
        PROVIDERS[code] = fn
        return fn

    return register


def todo_for(user, today: date | None = None) -> list[TodoItem]:
    """Everything waiting for `user`, most urgent first."""
    if user is None or not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    items = [
        item
        for provider in PROVIDERS.values()
        for item in provider(user, today)
        if item.count or item.figure
    ]
    return sorted(items, key=lambda i: (not i.first, i.urgency, i.due or date.max, i.kind))
