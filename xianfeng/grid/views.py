"""网格 pages: the grid browser, a grid's page, grid forms, boards, door plates and figures."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import get_org_for_user, granted_paths
from xianfeng.core import sheets
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.excel.forms import UnmaskedExportForm
from xianfeng.members.masking import mask_phone
from xianfeng.members.search import to_simplified
from xianfeng.orgs.models import Organization

from . import boards, services
from .figures import grid_figures, map_features
from .forms import GridForm, PeriodForm
from .imports import export_households
from .models import Grid, GridStaff, ServiceActivity
from .scoping import can_grid, full_grant_paths, get_grid_for_user, scope_grids
from .split import split_grid


def run(form, service, *args, **kwargs):
    """Call a service; a DomainError becomes a form error. Returns (ok, result)."""
    try:
        return True, service(*args, **kwargs)
    except DomainError as exc:
        form.add_domain_error(exc)
        return False, None


def form_page(request, grid, form, title, *, back=None):
    return render(
        request,
        "grid/form.html",
        {"grid": grid, "form": form, "title": title, "back": back},
    )


def with_counts(qs):
    """网格力量 of each grid: the staff in post on it and on every grid below it."""
    in_post = (
        GridStaff.objects.filter(grid__path__startswith=OuterRef("path"), ended_on__isnull=True)
        .order_by()
        .annotate(n=Func("pk", function="COUNT"))
        .values("n")[:1]
    )
    return qs.annotate(staff_count=Coalesce(Subquery(in_post), 0))


def tops_of(qs):
    """The highest grids of `qs`: a grid whose parent is not in `qs` starts a tree."""
    tops = []
    for path in qs.order_by("path").values_list("path", flat=True):
        if not tops or not path.startswith(tops[-1]):
            tops.append(path)
    return Grid.objects.filter(path__in=tops)


def top_grids(user):
    return with_counts(tops_of(scope_grids(user)).select_related("organization"))


@perm_required(Perm.GRID_VIEW)
def home(request):
    query = to_simplified(request.GET.get("q", "").strip())
    results = None
    if query:
        found = scope_grids(request.user).filter(
            Q(name__icontains=query) | Q(code__iexact=query) | Q(address__icontains=query)
        )
        results = page_of(request, found.select_related("organization"))
    return render(
        request,
        "grid/home.html",
        {
            "roots": page_of(request, top_grids(request.user).order_by("path"), param="roots"),
            "q": query,
            "results": results,
            "can_create": can_create_root(request.user),
            "granted_orgs": granted_orgs(request.user),
        },
    )


def granted_orgs(user):
    """The organizations the user's grants start at (for street/community figures links)."""
    paths = granted_paths(user, Perm.GRID_VIEW)
    qs = (
        Organization.objects.filter(depth__lte=2)
        if "" in paths
        else Organization.objects.filter(path__in=paths)
    )
    return qs.order_by("path")[:20]


def can_create_root(user):
    """Founding a community's grid tree takes a grant other than 网格员 (who serve, not plan)."""
    return bool(full_grant_paths(user, Perm.GRID_CHANGE))


@perm_required(Perm.GRID_VIEW)
def children(request, pk):
    grid = get_grid_for_user(request.user, pk)
    nodes = scope_grids(request.user).filter(path__startswith=grid.path, depth=grid.depth + 1)
    return render(
        request, "grid/_nodes.html", {"nodes": with_counts(nodes.select_related("organization"))}
    )


def breadcrumbs(user, grid):
    paths = [grid.path[:n] for n in range(Grid.steplen, len(grid.path), Grid.steplen)]
    return scope_grids(user).filter(path__in=paths)


@perm_required(Perm.GRID_VIEW)
def detail(request, pk):
    user = request.user
    grid = get_grid_for_user(user, pk)
    full_contact = can_grid(user, Perm.GRID_CONTACT, grid)
    households = page_of(
        request, grid.households.prefetch_related("tags").order_by("address", "id"), 30
    )
    for h in households:
        h.shown_phone = h.phone if full_contact else mask_phone(h.phone)
    staff = list(grid.staff.select_related("role", "member").order_by("ended_on", "role__order"))
    for s in staff:
        s.shown_phone = s.phone if full_contact else mask_phone(s.phone)
    context = {
        "grid": grid,
        "breadcrumbs": breadcrumbs(user, grid),
        "children": with_counts(Grid.objects.get_children(grid).select_related("organization")),
        "staff": staff,
        "centrals": grid.centrals.select_related("member").order_by("-is_active", "id"),
        "zones": grid.zone_duties.select_related("member").order_by("ended_on", "started_on"),
        "households": households,
        "activities": ServiceActivity.objects.filter(grid__path__startswith=grid.path)
        .select_related("grid")
        .order_by("-held_on", "-id")[:10],
        "chain": services.responsible_chain(grid),
        "can_change": can_grid(user, Perm.GRID_CHANGE, grid),
        "full_contact": full_contact,
        "request_path": boards.request_path(grid),
    }
    return render(request, "grid/detail.html", context)


@perm_required(Perm.GRID_CHANGE)
def create_root(request):
    if not can_create_root(request.user):
        raise PermissionDenied("网格员不能新增社区/村网格。")
    form = GridForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["organization"]:
            form.add_error("organization", _("最上级网格必须对应一个党组织"))
        else:
            ok, grid = run(
                form, services.create_grid, None, actor=request.user, **form.cleaned_data
            )
            if ok:
                messages.success(request, _("已新增网格：%(name)s") % {"name": grid.name})
                return redirect("grid:detail", grid.pk)
    return form_page(request, None, form, _("新增社区/村网格"))


@perm_required(Perm.GRID_CHANGE)
def create(request, pk):
    parent = get_grid_for_user(request.user, pk, Perm.GRID_CHANGE)
    form = GridForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        ok, grid = run(form, services.create_grid, parent, actor=request.user, **form.cleaned_data)
        if ok:
            messages.success(request, _("已新增网格：%(name)s") % {"name": grid.name})
            return redirect("grid:detail", grid.pk)
    return form_page(request, parent, form, _("新增下级网格"))


@perm_required(Perm.GRID_CHANGE)
def edit(request, pk):
    grid = get_grid_for_user(request.user, pk, Perm.GRID_CHANGE)
    form = GridForm(request.POST or None, user=request.user, initial=GridForm.initial_for(grid))
    if request.method == "POST" and form.is_valid():
        ok, _grid = run(form, services.update_grid, grid, actor=request.user, **form.cleaned_data)
        if ok:
            messages.success(request, _("已保存"))
            return redirect("grid:detail", grid.pk)
    return form_page(request, grid, form, _("编辑网格"))


@perm_required(Perm.GRID_VIEW)
def board(request, pk):
    grid = get_grid_for_user(request.user, pk)
    return render(request, "grid/board.html", boards.board_context(request, grid))


@perm_required(Perm.GRID_VIEW)
def plates(request, pk):
    grid = get_grid_for_user(request.user, pk)
    return render(request, "grid/plates.html", {"grid": grid, "plates": boards.door_plates(grid)})


def _figures_page(request, base, *, grid=None, org=None, parts=()):
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    fig = grid_figures(base, start, end, breakdown_of=list(parts))
    mapped = base.exclude(geometry__isnull=True).only("pk", "name", "code", "geometry")[:2000]
    charts = {
        "months": fig.activities_by_month,
        "roles": [(name, total, party) for name, total, party in fig.staff_by_role],
        "tags": fig.households_by_tag,
        "kinds": fig.activities_by_kind,
        "parts": [(r.grid.name, r.activities, r.staff, r.party_staff) for r in fig.breakdown],
    }
    return render(
        request,
        "grid/figures.html",
        {
            "grid": grid,
            "org": org,
            "fig": fig,
            "period": period,
            "charts": charts,
            "geo": map_features(mapped),
            "request_figures_template": request_figures_template(),
        },
    )


REQUEST_FIGURES_TEMPLATE = "resident_requests/_grid_figures.html"


def request_figures_template():
    """The resident-requests app's figures block (三率 etc.), when that app is installed.

    It is included with this page's context: `grid` or `org`, `fig.start`, `fig.end`.
    """
    try:
        get_template(REQUEST_FIGURES_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return REQUEST_FIGURES_TEMPLATE


@perm_required(Perm.GRID_VIEW)
def figures(request, pk):
    grid = get_grid_for_user(request.user, pk)
    base = scope_grids(request.user).filter(path__startswith=grid.path)
    parts = scope_grids(request.user).filter(path__startswith=grid.path, depth=grid.depth + 1)
    return _figures_page(request, base, grid=grid, parts=parts)


@perm_required(Perm.GRID_VIEW)
def org_figures(request, pk):
    """A street's (or any organization's) figures: every grid its subtree governs."""
    org = get_org_for_user(request.user, pk, Perm.GRID_VIEW)
    base = scope_grids(request.user).filter(scope_org__path__startswith=org.path)
    return _figures_page(request, base, org=org, parts=tops_of(base))


DEFAULT_CENTER = (36.651, 117.12)


@perm_required(Perm.GRID_CHANGE)
def grid_map(request, pk):
    """Draw the grid's outline on a map; the shape checks are the service's (shapes.py)."""
    grid = get_grid_for_user(request.user, pk, Perm.GRID_CHANGE)
    error = ""
    if request.method == "POST":
        geometry = _json(request.POST.get("geometry", ""))
        try:
            services.update_grid(grid, actor=request.user, geometry=geometry)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("范围已保存") if geometry else _("范围已删除"))
            return redirect("grid:map", grid.pk)
    return _map_page(request, grid, error=error)


@perm_required(Perm.GRID_CHANGE)
def grid_split(request, pk):
    """Split the grid along a line drawn on the map (split.py); GET shows the map."""
    grid = get_grid_for_user(request.user, pk, Perm.GRID_CHANGE)
    if request.method != "POST":
        return redirect("grid:map", grid.pk)
    line = _json(request.POST.get("line", ""))
    code, name = request.POST.get("code", ""), request.POST.get("name", "")
    try:
        result = split_grid(grid, actor=request.user, line=line, code=code, name=name)
    except DomainError as exc:
        return _map_page(request, grid, split_error=exc.message, status=400)
    messages.success(
        request,
        _(
            "已拆分为“%(kept)s”和“%(new)s”，移入新网格的楼栋/片区 %(children)s 个、住户 %(households)s 户"
        )
        % {
            "kept": result.kept.name,
            "new": result.new.name,
            "children": len(result.children_moved),
            "households": result.households_moved,
        },
    )
    return redirect("grid:map", result.new.pk)


@perm_required(Perm.GRID_CHANGE)
def households_export(request, pk):
    """住户名册 of the grid and everything below it, in the import template's format."""
    grid = get_grid_for_user(request.user, pk, Perm.GRID_CHANGE)
    grids = scope_grids(request.user, Perm.GRID_CHANGE).filter(path__startswith=grid.path)
    form = UnmaskedExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.first_error().encode())
    if not form.masked and not can_grid(request.user, Perm.GRID_CONTACT, grid):
        return HttpResponseForbidden("您无权导出住户的完整联系方式".encode())
    out, _count = export_households(
        grids,
        actor=request.user,
        masked=form.masked,
        reason=form.cleaned_data["reason"],
        filters={"grid": grid.code},
    )
    return sheets.download(out, f"住户名册-{grid.code}-{timezone.localdate():%Y%m%d}.xlsx")


def _json(raw):
    raw = raw.strip()
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return "invalid"


def _map_page(request, grid, *, error="", split_error="", status=200):
    parent = Grid.objects.get_parent(grid)
    visible = scope_grids(request.user)
    neighbours = (
        visible.filter(path__startswith=parent.path, depth=grid.depth)
        if parent
        else (visible.filter(depth=1))
    )
    background = visible.filter(kind__in=("community", "village"), geometry__isnull=False)
    map_data = {
        "geometry": grid.geometry,
        "parent": parent.geometry if parent is not None else None,
        "neighbours": _features(neighbours.exclude(pk=grid.pk).filter(geometry__isnull=False)),
        "background": _features(background.exclude(pk=grid.pk)[:500]),
        "tiles": settings.XIANFENG_MAP_TILES,
        "attribution": settings.XIANFENG_MAP_ATTRIBUTION,
        "center": DEFAULT_CENTER,
    }
    context = {
        "grid": grid,
        "map_data": map_data,
        "error": error,
        "split_error": split_error,
        "split_values": request.POST if split_error else {},
    }
    return render(request, "grid/map.html", context, status=status)


def _features(grids):
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": g.name}, "geometry": g.geometry}
            for g in grids.only("name", "geometry")
        ],
    }
