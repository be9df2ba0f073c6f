"""Staff pages: the request list (overdue and nearly due first), intake on a resident's behalf,
the request page with its timeline and actions, and figures."""

import uuid
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import get_org_for_user, has_perm_anywhere, path_q, scope_orgs
from xianfeng.core import replay
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.grid.locate import grid_at
from xianfeng.grid.scoping import own_grid_paths
from xianfeng.members.masking import mask_phone

from . import services, units
from .figures import figures_from_rollup, map_from_counts, rates_chart, requests_in
from .forms import ArbitrateForm, CallInForm, FiguresForm, NoteForm, StaffIntakeForm
from .models import NEARLY_DUE, CallIn, Category, ResidentRequest, Status
from .offline import intake_replay
from .routing import at_my_level_q, chain_of, holder_name, may_dispatch, may_handle, visible_q


def may_use_requests(user):
    """`request.view` somewhere or a linked member (a 中心户 holds requests too)."""
    return bool(user.member_id) or has_perm_anywhere(user, Perm.REQUEST_VIEW)


def request_user_required(view):
    """Login, then `may_use_requests`."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_use_requests(user):
            raise PermissionDenied("没有权限访问此页面。")
        return view(request, *args, **kwargs)

    wrapped.may_open = may_use_requests
    return wrapped


def scope_requests(user):
    return ResidentRequest.objects.filter(visible_q(user))


def get_request_for_user(user, pk):
    qs = scope_requests(user).select_related(
        "category", "organization", "grid", "holder_org", "holder_member", "owner"
    )
    try:
        return qs.get(pk=pk)
    except (ValueError, TypeError, ResidentRequest.DoesNotExist) as exc:
        raise Http404("诉求不存在或无权查看") from exc


def _filtered(request, qs):
    status = request.GET.get("status", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    category = request.GET.get("category", "")
    if category.isdigit():
        qs = qs.filter(category_id=int(category))
    due = request.GET.get("due", "")
    now = timezone.now()
    if due == "overdue":
        qs = qs.filter(next_due__lte=now)
    elif due == "soon":
        qs = qs.filter(next_due__gt=now, next_due__lte=now + NEARLY_DUE)
    if request.GET.get("at") == "me":
        qs = qs.filter(at_my_level_q(request.user))
    if request.GET.get("grid") == "mine":
        qs = qs.filter(path_q("grid__path", own_grid_paths(request.user)) & Q(grid__isnull=False))
    if request.GET.get("mine"):
        qs = qs.filter(Q(owner=request.user) | Q(holder_member_id=request.user.member_id or 0))
    return qs


@request_user_required
def request_list(request):
    qs = _filtered(request, scope_requests(request.user)).select_related(
        "category", "holder_member", "holder_org", "grid"
    )
    page = page_of(request, qs.order_by("-created_at", "-id"))
    now = timezone.now()
    visible = scope_requests(request.user)
    return render(
        request,
        "resident_requests/list.html",
        {
            "page": page,
            "rows": [(r, r.urgency(now), holder_name(r)) for r in page],
            "overdue": visible.filter(next_due__lte=now).count(),
            "soon": visible.filter(next_due__gt=now, next_due__lte=now + NEARLY_DUE).count(),
            "statuses": Status.choices,
            "categories": Category.objects.all(),
            "query": request.GET,
        },
    )


@perm_required(Perm.REQUEST_HANDLE)
def request_create(request):
    orgs = scope_orgs(request.user, Perm.REQUEST_HANDLE).active()
    form = StaffIntakeForm(
        request.POST or None,
        request.FILES or None,
        organizations=orgs,
        initial={"idempotency_key": uuid.uuid4().hex},
    )
    try:
        token = replay.replay_token(request) if request.method == "POST" else None
    except replay.BadKey:
        return replay.bad_key()
    if token is not None:  # the phone's offline queue: answered in JSON
        return intake_replay(request, token, form, _staff_submit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = _staff_submit(request.user, data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"诉求已登记，查询码 {req.tracking_code}。")
            return redirect("requests:detail", pk=req.pk)
    return render(request, "resident_requests/create.html", {"form": form})


def _staff_submit(user, data):
    from xianfeng.grid.scoping import scope_grids

    grid = None
    if data["grid_code"]:
        grid = scope_grids(user).filter(code=data["grid_code"].strip()).first()
        if grid is None:
            raise DomainError("网格编码不存在或不在您的范围内")
    elif data["lat"] is not None and data["long"] is not None and not data["organization"]:
        located = grid_at(data["lat"], data["long"])
        if located is not None and scope_grids(user).filter(pk=located.pk).exists():
            grid = located
    req, _ = services.submit_request(
        category=data["category"],
        description=data["description"],
        channel=data["channel"],
        grid=grid,
        organization=data["organization"],
        address=data["address"],
        lat=data["lat"],
        long=data["long"],
        resident_name=data["resident_name"],
        resident_phone=data["resident_phone"],
        photos=data["photos"],
        idempotency_key=f"staff:{user.pk}:{data['idempotency_key']}",
        actor=user,
    )
    return req


def _call_ins(request, req, dispatch):
    """The call-ins with their attachments; dispatchers also get each open unit's link."""
    from .units import link_path

    rows = list(req.call_ins.prefetch_related("attachments"))
    for call in rows:
        open_link = dispatch and call.status != "done" and call.link_nonce
        call.link = request.build_absolute_uri(link_path(call)) if open_link else ""
    return rows


@request_user_required
def request_detail(request, pk):
    req = get_request_for_user(request.user, pk)
    levels = chain_of(req)
    dispatch = may_dispatch(request.user, req)
    handle = may_handle(request.user, req)
    return render(
        request,
        "resident_requests/detail.html",
        {
            "req": req,
            # Only whoever may act on the request calls the resident back; others see 3+4.
            "resident_phone": req.resident_phone if handle else mask_phone(req.resident_phone),
            "urgency": req.urgency(),
            "holder": holder_name(req),
            "levels": levels,
            "events": req.events.select_related("actor"),
            "photos": req.photos.all(),
            "call_ins": _call_ins(request, req, dispatch),
            "checklist": req.checklist
            or list(req.category.checklist.values_list("text", flat=True)),
            "may_handle": handle,
            "may_dispatch": dispatch,
            "note_form": NoteForm(),
            "call_in_form": CallInForm(initial={"within": 1}),
            "arbitrate_form": ArbitrateForm(levels=levels),
            "now": timezone.now(),
        },
    )


def _action(call, done, form_class=NoteForm, guard=request_user_required):
    """A POST-only view on one request: validate → scoped lookup → service → back to the page."""

    @require_POST
    @guard
    def view(request, pk):
        req = get_request_for_user(request.user, pk)
        kwargs = {"levels": chain_of(req)} if form_class is ArbitrateForm else {}
        form = form_class(request.POST, **kwargs)
        if not form.is_valid():
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        else:
            try:
                call(req, form.cleaned_data, request.user)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, done)
        return redirect("requests:detail", pk=req.pk)

    return view


class _NoForm:
    cleaned_data = {}

    def __init__(self, *args, **kwargs):
        pass

    def is_valid(self):
        return True


accept = _action(lambda r, d, u: services.accept_request(r, actor=u), "已受理。", _NoForm)
ask = _action(lambda r, d, u: services.ask_resident(r, actor=u, note=d["note"]), "已请居民补充。")
escalate = _action(
    lambda r, d, u: services.escalate_request(r, actor=u, reason=d["note"]), "已上报上一级。"
)
reject = _action(
    lambda r, d, u: services.reject_request(r, actor=u, reason=d["note"]), "已退回街道仲裁。"
)
solve = _action(lambda r, d, u: services.solve_request(r, actor=u, note=d["note"]), "已办结。")
close = _action(lambda r, d, u: services.close_unsolved(r, actor=u, reason=d["note"]), "已关闭。")
arbitrate = _action(
    lambda r, d, u: services.arbitrate_request(r, actor=u, level=d["level"], note=d["note"]),
    "已仲裁。",
    ArbitrateForm,
    perm_required(Perm.REQUEST_DISPATCH),
)


@require_POST
@request_user_required
def call_in_done(request, pk):
    req = get_request_for_user(request.user, pk)
    call = CallIn.objects.filter(request=req, pk=request.POST.get("call_in") or 0).first()
    form = NoteForm(request.POST)
    if call is None or not form.is_valid():
        messages.error(request, "请填写报到单位的处理结果。")
    else:
        try:
            units.report_call_in(call, actor=request.user, result=form.cleaned_data["note"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "报到结果已登记。")
    return redirect("requests:detail", pk=req.pk)


@perm_required(Perm.REQUEST_VIEW)
def figures(request):
    orgs = scope_orgs(request.user, Perm.REQUEST_VIEW).active()
    org_id = request.GET.get("org")
    org = get_org_for_user(request.user, org_id, Perm.REQUEST_VIEW) if org_id else orgs.first()
    today = timezone.localdate()
    form = FiguresForm(request.GET or {"start": today.replace(month=1, day=1), "end": today})
    start, end = (
        (form.cleaned_data["start"], form.cleaned_data["end"])
        if form.is_valid()
        else (today.replace(month=1, day=1), today)
    )
    grid = _figures_grid(request)
    qs = requests_in(org.path, start, end, grid=grid) if org else None
    # Read from the rollup rows (rollups.py): a district's year without scanning its requests.
    data = figures_from_rollup(org, start, end, grid=grid) if org else None
    map_data = None
    if org:
        map_data = {
            **map_from_counts(qs, data.pop("map_counts")),
            "tiles": settings.XIANFENG_MAP_TILES,
            "attribution": settings.XIANFENG_MAP_ATTRIBUTION,
        }
    return render(
        request,
        "resident_requests/figures.html",
        {
            "form": form,
            "org": org,
            "grid": grid,
            "map_data": map_data,
            "data": data,
            "chart": rates_chart(data["by_category"]) if data else None,
        },
    )


def _figures_grid(request):
    """`?grid=<code>`: narrow the figures to one grid inside the user's grids, else 404."""
    from xianfeng.grid.scoping import scope_grids

    code = request.GET.get("grid", "").strip()
    if not code:
        return None
    grid = scope_grids(request.user).filter(code=code).first()
    if grid is None:
        raise Http404("网格不存在或无权查看")
    return grid
