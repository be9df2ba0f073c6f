"""Pages: the registry (open cases, overdue flags), one enterprise with its cases, create/edit,
the staff intake form, 我服务的企业 for a specialist, and figures. Cases are handled on the
request pages (requests:detail)."""

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import (
    get_org_for_user,
    granted_paths,
    has_perm_anywhere,
    path_q,
    scope_orgs,
)
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.resident_requests.models import OPEN_STATUSES
from xianfeng.resident_requests.views import scope_requests

from . import services
from .figures import cases_in, enterprise_figures
from .forms import (
    EnterpriseForm,
    EnterpriseIntakeForm,
    FiguresForm,
    enterprise_categories,
    specialist_choices,
)
from .masking import ContactView
from .models import Enterprise, EnterpriseCase


def may_use_enterprises(user):
    """`request.view` somewhere or being some enterprise's specialist (asked once a request)."""
    found = getattr(user, "_xianfeng_enterprise_user", None)
    if found is None:
        found = has_perm_anywhere(user, Perm.REQUEST_VIEW) or (
            Enterprise.objects.filter(specialist=user).exists()
        )
        user._xianfeng_enterprise_user = found
    return found


def enterprise_user_required(view):
    """Login, then `may_use_enterprises`."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_use_enterprises(user):
            raise PermissionDenied("没有权限访问此页面。")
        return view(request, *args, **kwargs)

    wrapped.may_open = may_use_enterprises
    return wrapped


def _get(user, pk, q):
    qs = Enterprise.objects.filter(q).select_related(
        "organization", "party_org", "specialist", "specialist__member"
    )
    try:
        return qs.get(pk=pk)
    except (ValueError, TypeError, Enterprise.DoesNotExist) as exc:
        raise Http404("企业不存在或无权查看") from exc


def with_counts(qs):
    now = timezone.now()
    return qs.select_related("organization", "specialist").annotate(
        open_cases=Count("cases", filter=Q(cases__request__status__in=OPEN_STATUSES)),
        overdue_cases=Count("cases", filter=Q(cases__request__next_due__lte=now)),
    )


def _rows(user, enterprises):
    contacts = ContactView(user)
    return [(e, *contacts.contact(e)) for e in enterprises]


@perm_required(Perm.REQUEST_VIEW)
def enterprise_list(request):
    qs = with_counts(Enterprise.objects.filter(services.visible_q(request.user)))
    term = request.GET.get("q", "").strip()
    if term:
        qs = qs.filter(Q(name__icontains=term) | Q(credit_code__icontains=term))
    if request.GET.get("overdue"):
        qs = qs.filter(overdue_cases__gt=0)
    page = page_of(request, qs.order_by("-overdue_cases", "name", "pk"))
    return render(
        request,
        "enterprise/list.html",
        {"page": page, "rows": _rows(request.user, page), "query": request.GET},
    )


@login_required
def mine(request):
    qs = with_counts(Enterprise.objects.filter(specialist=request.user)).order_by("name", "pk")
    page = page_of(request, qs)
    return render(
        request, "enterprise/mine.html", {"page": page, "rows": _rows(request.user, page)}
    )


@enterprise_user_required
def enterprise_detail(request, pk):
    enterprise = _get(request.user, pk, services.visible_q(request.user))
    now = timezone.now()
    cases = [
        (case.request, case.request.urgency(now))
        for case in EnterpriseCase.objects.filter(enterprise=enterprise).select_related(
            "request", "request__category"
        )[:200]
    ]
    name, phone = ContactView(request.user).contact(enterprise)
    return render(
        request,
        "enterprise/detail.html",
        {
            "enterprise": enterprise,
            "contact_name": name,
            "contact_phone": phone,
            "cases": cases,
            "may_serve": Enterprise.objects.filter(
                services.serving_q(request.user), pk=enterprise.pk
            ).exists(),
        },
    )


def _form(request, instance=None):
    paths = granted_paths(request.user, Perm.REQUEST_HANDLE)
    return EnterpriseForm(
        request.POST or None,
        instance=instance,
        organizations=scope_orgs(request.user, Perm.REQUEST_HANDLE).active(),
        specialists=specialist_choices(path_q("grants__organization__path", paths)),
    )


def _save(request, form, call):
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = call(form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已保存企业“{enterprise.name}”。")
            return redirect("enterprise:detail", pk=enterprise.pk)
    return None


@perm_required(Perm.REQUEST_HANDLE)
def enterprise_create(request):
    form = _form(request)
    done = _save(request, form, lambda d: services.register_enterprise(actor=request.user, **d))
    return done or render(request, "enterprise/form.html", {"form": form})


@perm_required(Perm.REQUEST_HANDLE)
def enterprise_edit(request, pk):
    enterprise = _get(
        request.user,
        pk,
        path_q("organization__path", granted_paths(request.user, Perm.REQUEST_HANDLE)),
    )
    form = _form(request, Enterprise.objects.get(pk=enterprise.pk))
    done = _save(
        request,
        form,
        lambda d: services.update_enterprise(enterprise, actor=request.user, **d),
    )
    return done or render(request, "enterprise/form.html", {"form": form, "enterprise": enterprise})


@perm_required(Perm.REQUEST_HANDLE)
def intake(request, pk):
    enterprise = _get(request.user, pk, services.serving_q(request.user))
    form = EnterpriseIntakeForm(request.POST or None, initial={"idempotency_key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case, _ = services.submit_enterprise_request(
                enterprise,
                category=data["category"],
                description=data["description"],
                channel=data["channel"],
                idempotency_key=f"ent:{request.user.pk}:{data['idempotency_key']}",
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记，查询码 {case.request.tracking_code}。")
            if scope_requests(request.user).filter(pk=case.request_id).exists():
                return redirect("requests:detail", pk=case.request_id)
            return redirect("enterprise:detail", pk=enterprise.pk)
    return render(
        request,
        "enterprise/intake.html",
        {"form": form, "enterprise": enterprise, "categories": enterprise_categories()},
    )


@perm_required(Perm.REQUEST_VIEW)
def figures(request):
    orgs = scope_orgs(request.user, Perm.REQUEST_VIEW).active()
    org_id = request.GET.get("org")
    org = get_org_for_user(request.user, org_id, Perm.REQUEST_VIEW) if org_id else orgs.first()
    today = timezone.localdate()
    first = today.replace(month=1, day=1)
    form = FiguresForm(request.GET or {"start": first, "end": today})
    start, end = (
        (form.cleaned_data["start"], form.cleaned_data["end"])
        if form.is_valid()
        else (first, today)
    )
    data = enterprise_figures(cases_in(org.path, start, end)) if org else None
    return render(
        request,
        "enterprise/figures.html",
        {"form": form, "org": org, "orgs": orgs[:200], "data": data},
    )
