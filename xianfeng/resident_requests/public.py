"""The resident's pages: no login. Opened from a service board's QR code (`/r/<grid code>/`)
or as `/r/` with an address; the tracking link carries a secret and is the only key."""

import hmac
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.core.clientip import client_ip
from xianfeng.core.errors import DomainError
from xianfeng.grid.boards import board_servers
from xianfeng.grid.locate import grid_at
from xianfeng.grid.services import board_grid

from . import services
from .catalog import active_categories
from .forms import FindForm, IntakeForm, RateForm, ReopenForm, ReplyForm
from .models import CLOSED_STATUSES, Channel, ResidentRequest
from .tasks import route_received_request


def intake_limit():
    """(requests, seconds) per client address for public intake."""
    return getattr(settings, "XIANFENG_REQUEST_INTAKE_LIMIT", (20, 600))


def rate_limited(request):
    limit, window = intake_limit()
    key = f"request-intake:{client_ip(request)}"
    try:
        count = cache.incr(key)  # the common case: the window is open
    except ValueError:
        count = 1 if cache.add(key, 1, window) else cache.incr(key)
    return count > limit


def _grid(code):
    grid = board_grid(code)
    if grid is None:
        raise Http404("网格不存在")
    return grid


def _communities():
    from xianfeng.grid.models import Grid

    return Grid.objects.filter(kind__in=("community", "village")).order_by("name")


def intake(request, grid_code=None):
    grid = _grid(grid_code) if grid_code else None
    communities = None if grid else list(_communities())
    form = IntakeForm(
        request.POST or None,
        request.FILES or None,
        initial={"idempotency_key": uuid.uuid4().hex},
    )
    if request.method == "POST":
        if rate_limited(request):
            form.add_error(None, "提交过于频繁，请稍后再试或拨打社区电话。")
        elif form.is_valid():
            data = form.cleaned_data
            located = (
                grid_at(data["lat"], data["long"])
                if grid is None and data["lat"] is not None and data["long"] is not None
                else None
            )
            chosen = grid or located or _chosen_community(request, communities)
            try:
                req = _submit(form.cleaned_data, chosen, request)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("requests:track", code=req.tracking_code, secret=req.secret)
    return render(
        request,
        "resident_requests/public_intake.html",
        {
            "form": form,
            "grid": grid,
            "communities": communities,
            "chosen": request.POST.get("community", ""),
            "categories": active_categories(),
            "servers": board_servers(grid) if grid else (),
            "find_form": FindForm(),
        },
    )


def _chosen_community(request, communities):
    code = request.POST.get("community", "")
    return next((g for g in communities or () if g.code == code), None)


def _submit(data, grid, request):
    """One INSERT while the resident waits; the worker routes it (a sweep catches misses)."""
    req, created = services.receive_request(
        category=data["category"],
        description=data["description"],
        channel=Channel.PUBLIC,
        grid=grid,
        address=data["address"],
        lat=data["lat"],
        long=data["long"],
        resident_name=data["resident_name"],
        resident_phone=data["resident_phone"],
        photos=data["photos"],
        photos_public=data["photos_public"],
        idempotency_key=f"public:{data['idempotency_key']}",
    )
    if created:
        # A queue outage must not fail a stored request: the escalation sweep routes it.
        transaction.on_commit(lambda: route_received_request(req.pk), robust=True)
    return req


def _tracked(code, secret):
    req = (
        ResidentRequest.objects.select_related("category", "holder_member", "holder_org")
        .filter(tracking_code=code)
        .first()
    )
    if req is None or not hmac.compare_digest(req.secret, secret):
        raise Http404("查询码不存在")
    return req


def track(request, code, secret):
    req = _tracked(code, secret)
    closed = req.status in CLOSED_STATUSES
    may_reopen = (
        closed
        and req.closed_at is not None
        and timezone.now() - req.closed_at <= timedelta(days=services.REOPEN_DAYS)
    )
    return render(
        request,
        "resident_requests/public_track.html",
        {
            "req": req,
            "events": for_residents(req.events.all()),
            "photos": req.photos.all(),
            "checklist": req.checklist
            or list(req.category.checklist.values_list("text", flat=True)),
            "reply_form": ReplyForm() if req.is_open else None,
            "rate_form": RateForm() if closed and req.rating is None else None,
            "reopen_form": ReopenForm() if may_reopen else None,
        },
    )


def _resident_action(form_class, call, done):
    @require_POST
    def view(request, code, secret):
        req = _tracked(code, secret)
        form = form_class(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        else:
            try:
                call(req, form.cleaned_data)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, done)
        return redirect("requests:track", code=code, secret=secret)

    return view


reply = _resident_action(
    ReplyForm,
    lambda req, data: services.resident_reply(req, text=data["text"], photos=data["photos"]),
    "已收到您的回复。",
)
rate = _resident_action(
    RateForm,
    lambda req, data: services.rate_request(req, rating=data["rating"], comment=data["comment"]),
    "感谢您的评价。",
)
reopen = _resident_action(
    ReopenForm,
    lambda req, data: services.reopen_request(req, reason=data["reason"]),
    "诉求已重新打开，我们会尽快处理。",
)


# Steps whose note was written for the resident; the others (rejections between offices,
# arbitration, escalation reasons, a unit's call-in report) show the step without the note.
NOTES_FOR_RESIDENTS = frozenset(
    {"accepted", "asked", "resident_replied", "solved", "closed_unsolved", "rated", "reopened"}
)
# Internal supervision (督办) is never shown to residents.
INTERNAL_ACTIONS = frozenset({"overdue_at_top"})


def for_residents(events):
    shown = []
    for event in events:
        if event.action in INTERNAL_ACTIONS:
            continue
        if event.action not in NOTES_FOR_RESIDENTS:
            event.note = ""
        shown.append(event)
    return shown


NOT_FOUND = "查询码或手机号后四位不对。未留手机号的诉求，请用提交后保存的链接查看。"


def find(request):
    """查询我的诉求: the 查询码 plus the last four digits of the phone, then the tracking page."""
    form = FindForm(request.POST or None)
    if request.method == "POST":
        if rate_limited(request):
            form.add_error(None, "查询过于频繁，请稍后再试。")
        elif form.is_valid():
            req = ResidentRequest.objects.filter(tracking_code=form.cleaned_data["code"]).first()
            phone = "".join(c for c in (req.resident_phone if req else "") if c.isdigit())
            if (
                req is not None
                and len(phone) >= 4
                and hmac.compare_digest(phone[-4:], form.cleaned_data["phone_last4"])
            ):
                return redirect("requests:track", code=req.tracking_code, secret=req.secret)
            form.add_error(None, NOT_FOUND)
    return render(request, "resident_requests/public_find.html", {"form": form})
