"""The big screen (大屏): the whole page, and one panel at a time for htmx's polling."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from xianfeng.accounts.permissions import may_open, perm_required
from xianfeng.accounts.roles import Perm

from . import layout
from .panels import PANELS, At
from .services import screen_root

MIN_REFRESH = 2  # ?refresh=N (seconds) overrides every panel's interval, not below this


def _refresh_override(request):
    try:
        seconds = int(request.GET.get("refresh", ""))
    except ValueError:
        return None
    return max(seconds, MIN_REFRESH)


def _link(user, panel, org):
    """The panel's page on a normal screen, when this login may open it."""
    if panel.link is None:
        return ""
    url = panel.link(org)
    try:
        view = resolve(url.split("?", 1)[0]).func
    except Http404:
        return ""
    return url if may_open(user, view) else ""


def render_panel(request, org, panel, at, refresh=None):
    context = {
        "panel": panel,
        "org": org,
        "at": at,
        "link": _link(request.user, panel, org),
        "refresh": refresh or panel.refresh,
        "url": reverse("screen:panel", args=[org.pk, panel.code])
        + (f"?refresh={refresh}" if refresh else ""),
        **panel.fn(org, at),
    }
    return mark_safe(render_to_string("screen/_panel.html", context, request=request))


def _at():
    now = timezone.now()
    return At(timezone.localdate(now), now)


def _page(request, org):
    at = _at()
    refresh = _refresh_override(request)
    columns = [
        (name, [render_panel(request, org, panel, at, refresh) for panel in panels])
        for name, panels in layout.columns(PANELS)
    ]
    offset = int(timezone.localtime(at.now).utcoffset().total_seconds() // 60)
    context = {"org": org, "at": at, "columns": columns, "offset": offset}
    return render(request, "screen/screen.html", context)


@perm_required(Perm.VIEW_SCREEN)
def screen_home(request):
    return _page(request, screen_root(request.user))


@perm_required(Perm.VIEW_SCREEN)
def screen_org(request, pk):
    return _page(request, screen_root(request.user, pk))


@perm_required(Perm.VIEW_SCREEN)
def screen_panel_view(request, pk, code):
    org = screen_root(request.user, pk)
    panel = PANELS.get(code)
    if panel is None:
        raise Http404("没有这个面板")
    return HttpResponse(render_panel(request, org, panel, _at(), _refresh_override(request)))
