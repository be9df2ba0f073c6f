"""Pages for the people of a grid: staff, 中心户, 划片, households, visits and activities."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.core import replay
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.members.masking import mask_phone

from . import services_people as people
from .forms import (
    ActivityForm,
    CentralForm,
    EndForm,
    HouseholdForm,
    StaffForm,
    VisitForm,
    ZoneForm,
)
from .models import CentralHousehold, GridStaff, Household, ServiceActivity
from .offline import household_version, visit_replay
from .scoping import can_grid, get_grid_for_user, scope_grids
from .views import form_page, run


def _in_scope(model, user, pk, perm, related=("grid",)):
    """A row of `model` whose grid the user may reach with `perm`; 404 otherwise."""
    grids = scope_grids(user, perm).values("pk")
    try:
        return model.objects.select_related(*related).get(pk=pk, grid__in=grids)
    except (ValueError, TypeError, model.DoesNotExist) as exc:
        raise Http404("记录不存在或无权查看") from exc


def _done(request, grid, text):
    messages.success(request, text)
    return redirect("grid:detail", grid.pk)


def _grid_form(form_class, title, call, done):
    """GET shows the form, POST validates → service → back to the grid page."""

    @perm_required(Perm.GRID_CHANGE)
    def view(request, pk):
        grid = get_grid_for_user(request.user, pk, Perm.GRID_CHANGE)
        form = form_class(request.POST or None, user=request.user, grid=grid)
        if request.method == "POST" and form.is_valid():
            ok, _row = run(form, call, grid, form.cleaned_data, request.user)
            if ok:
                return _done(request, grid, done)
        return form_page(request, grid, form, title)

    return view


central_add = _grid_form(
    CentralForm,
    _("设立党员中心户"),
    lambda grid, d, actor: people.add_central_household(
        grid,
        d["member"],
        actor=actor,
        address=d["address"],
        households_served=d["households_served"],
        services=d["services"],
    ),
    _("已设立党员中心户"),
)
zone_add = _grid_form(
    ZoneForm,
    _("划片负责"),
    lambda grid, d, actor: people.assign_zone(
        grid,
        d["member"],
        started_on=d["started_on"],
        households=d["households"],
        note=d["note"],
        actor=actor,
    ),
    _("已登记划片负责"),
)


@perm_required(Perm.GRID_CHANGE)
def staff_add(request, pk):
    grid = get_grid_for_user(request.user, pk, Perm.GRID_CHANGE)
    district = people.district_of(grid)
    form = StaffForm(request.POST or None, user=request.user, grid=grid, district=district)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, _staff = run(
            form,
            people.add_staff,
            grid,
            role=d["role"],
            name=d["name"],
            member=d["member"],
            user=d["username"],
            is_party_member=d["is_party_member"],
            phone=d["phone"],
            started_on=d["started_on"],
            actor=request.user,
        )
        if ok:
            return _done(request, grid, _("已添加网格力量"))
    return form_page(request, grid, form, _("添加网格力量"))


@perm_required(Perm.GRID_CHANGE)
def staff_end(request, pk):
    staff = _in_scope(GridStaff, request.user, pk, Perm.GRID_CHANGE)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _s = run(
            form,
            people.end_staff,
            staff,
            ended_on=form.cleaned_data["ended_on"],
            actor=request.user,
        )
        if ok:
            return _done(request, staff.grid, _("已办理离岗"))
    return form_page(request, staff.grid, form, _("离岗：%(name)s") % {"name": staff.name})


@require_POST
@perm_required(Perm.GRID_CHANGE)
def central_end(request, pk):
    central = _in_scope(CentralHousehold, request.user, pk, Perm.GRID_CHANGE)
    try:
        people.end_central_household(central, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤销党员中心户"))
    return redirect("grid:detail", central.grid_id)


@perm_required(Perm.GRID_CHANGE)
def household_add(request, pk):
    grid = get_grid_for_user(request.user, pk, Perm.GRID_CHANGE)
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, household = run(
            form, people.save_household, grid, actor=request.user, **form.cleaned_data
        )
        if ok:
            messages.success(request, _("已登记住户"))
            return redirect("grid:household", household.pk)
    return form_page(request, grid, form, _("登记住户"))


@perm_required(Perm.GRID_CHANGE)
def household_edit(request, pk):
    household = _in_scope(Household, request.user, pk, Perm.GRID_CHANGE)
    form = HouseholdForm(
        request.POST or None, initial=HouseholdForm.initial_for(household), household=household
    )
    if request.method == "POST" and form.is_valid():
        ok, _h = run(
            form,
            people.save_household,
            household.grid,
            household=household,
            actor=request.user,
            **form.cleaned_data,
        )
        if ok:
            messages.success(request, _("已保存"))
            return redirect("grid:household", household.pk)
    return form_page(request, household.grid, form, _("编辑住户：%(a)s") % {"a": household.address})


@perm_required(Perm.GRID_VIEW)
def household(request, pk):
    user = request.user
    row = _in_scope(Household, user, pk, Perm.GRID_VIEW)
    full_contact = can_grid(user, Perm.GRID_CONTACT, row.grid)
    residents = list(row.residents.all())
    for r in residents:
        r.shown_phone = r.phone if full_contact else mask_phone(r.phone)
    can_change = can_grid(user, Perm.GRID_CHANGE, row.grid)
    return render(
        request,
        "grid/household.html",
        {
            "household": row,
            "grid": row.grid,
            "phone": row.phone if full_contact else mask_phone(row.phone),
            "residents": residents,
            "visits": row.visits.select_related("recorded_by").prefetch_related("photos"),
            "can_change": can_change,
            "visit_form": VisitForm(
                initial={
                    "visitor_name": str(user),
                    "visited_on": timezone.localdate(),
                    "seen": household_version(row),
                }
            )
            if can_change
            else None,
        },
    )


@require_POST
@perm_required(Perm.GRID_CHANGE)
def visit_add(request, pk):
    try:
        token = replay.replay_token(request)
    except replay.BadKey:
        return replay.bad_key()
    if token is not None:  # the phone's offline queue: answered in JSON
        return visit_replay(request, pk, token, _in_scope)
    row = _in_scope(Household, request.user, pk, Perm.GRID_CHANGE)
    form = VisitForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("grid:household", row.pk)
    d = form.cleaned_data
    try:
        people.record_visit(
            row,
            visited_on=d["visited_on"],
            visitor_name=d["visitor_name"],
            found=d["found"],
            needs_follow_up=d["needs_follow_up"],
            key=replay.scoped(request.user, d["key"]) if d["key"] else None,
            photos=d["photos"],
            actor=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已登记走访"))
    return redirect("grid:household", row.pk)


@perm_required(Perm.GRID_VIEW)
def activities(request, pk):
    grid = get_grid_for_user(request.user, pk)
    qs = ServiceActivity.objects.filter(grid__path__startswith=grid.path).select_related("grid")
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(place__icontains=query))
    return render(
        request,
        "grid/activities.html",
        {
            "grid": grid,
            "page": page_of(request, qs.order_by("-held_on", "-id")),
            "q": query,
            "can_change": can_grid(request.user, Perm.GRID_CHANGE, grid),
        },
    )


@perm_required(Perm.GRID_CHANGE)
def activity_add(request, pk):
    grid = get_grid_for_user(request.user, pk, Perm.GRID_CHANGE)
    form = ActivityForm(request.POST or None, user=request.user, grid=grid)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        ok, _a = run(
            form,
            people.record_activity,
            grid,
            title=d.pop("title"),
            kind=d.pop("kind"),
            held_on=d.pop("held_on"),
            members=list(d.pop("members")),
            key=d.pop("key"),
            actor=request.user,
            **d,
        )
        if ok:
            messages.success(request, _("已登记服务活动"))
            return redirect("grid:activities", grid.pk)
    return form_page(request, grid, form, _("登记便民服务活动"))


@login_required
def my_visits(request):
    """我的走访: the households of the grids where I serve (grid staff or 中心户), due first.

    Open to any login: the rows are only those of the user's own posts; a 中心户 without grid
    rights sees the list (masked phones) but no link into the grid pages."""
    from django.db.models import BooleanField, Case, F, Value, When

    from .visits import due_q, my_grid_paths, my_households

    user = request.user
    today = timezone.localdate()
    paths = my_grid_paths(user)
    rows = (
        my_households(user, paths)
        .annotate(due=Case(When(due_q(today), then=Value(True)), default=Value(False)))
        .select_related("grid")
        .prefetch_related("tags")
        .order_by(
            Case(When(due=True, then=0), default=1, output_field=BooleanField()),
            F("last_visit").asc(nulls_first=True),
            "grid__path",
            "address",
        )
    )
    only_due = request.GET.get("due") == "1"
    if only_due:
        rows = rows.filter(due=True)
    page = page_of(request, rows)
    openable = set(
        scope_grids(user).filter(pk__in={h.grid_id for h in page}).values_list("pk", flat=True)
    )
    for h in page:
        h.shown_phone = mask_phone(h.phone)
        h.openable = h.grid_id in openable
    return render(
        request,
        "grid/mine.html",
        {"page": page, "serves": bool(paths), "only_due": only_due, "today": today},
    )
