"""The big screen's panels: a registry every app can add to, like core.workbench's providers.

A panel is `fn(org, at) -> dict` (the context of its template) registered with

    from xianfeng.screen.panels import screen_panel

    @screen_panel("campaigns", title=_("专项工作"), template="campaigns/screen_panel.html",
                  link=lambda org: reverse("campaigns:list") + f"?org={org.pk}")
    def campaigns_panel(org, at): ...

in the app's AppConfig.ready(). `at` carries `today` and `now`. A panel reads rollups and
small tables only, in a fixed number of queries whatever the size of the subtree
(tests/test_panels.py counts them); names it shows are masked.

The screen lays panels out by code (layout.py). A slot whose panel is registered with
`default=True` (the "campaigns in progress" placeholder) gives way to the real one whichever
app's ready() runs first. The panels of the apps below the screen live in this package
(orgs.py, requests.py, …): the screen is a top-level app and may import them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class At:
    today: date
    now: datetime


@dataclass(frozen=True)
class Panel:
    code: str
    title: str
    fn: Callable
    template: str
    link: Callable | None = None  # (org) -> url of the panel's page on a normal screen
    refresh: int = 60  # seconds between two refreshes
    default: bool = False


PANELS: dict[str, Panel] = {}


def screen_panel(code, *, title, template, link=None, refresh=60, default=False):
    """Register `fn(org, at) -> dict` as the panel `code` (re-registering replaces, except
    that a default never replaces a real panel)."""

    def register(fn):
        existing = PANELS.get(code)
        if not (default and existing is not None and not existing.default):
            PANELS[code] = Panel(code, title, fn, template, link, refresh, default)
        return fn

    return register


def register_builtin():
    from . import campaigns, orgs, points, requests, service, tasks  # noqa: F401
