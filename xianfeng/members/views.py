"""Member pages: list, detail, reveal, create/edit, status, 转正, tags, reveal audit."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, Exists, OuterRef
from django.db.models.functions import Cast
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import (
    can,
    can_for_member,
    get_member_for_user,
    granted_paths,
    has_perm_anywhere,
    path_q,
    scope_members,
    scope_orgs,
)
from xianfeng.core.choices import choice_labels
from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog
from xianfeng.orgs.models import Organization
from xianfeng.orgs.stats import subtree_stats

from . import services
from .filters import STATUS_ACTIVE, MemberFilter
from .forms import ConfirmForm, MemberForm, StatusForm, TagsForm
from .keyset import keyset_page
from .masking import SensitiveView, can_see_sensitive, masked, reveal_sensitive
from .models import Member

PAGE_SIZE = 50
COUNT_CAP = 1000


def may_view_members(user):
    return bool(user.member_id) or has_perm_anywhere(user, Perm.MEMBER_VIEW)


def member_view_required(view):
    """MEMBER_VIEW somewhere, or a login linked to a member (who sees their own record)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_view_members(user):
            raise PermissionDenied("没有权限访问此页面。")
        return view(request, *args, **kwargs)

    wrapped.required_perm = Perm.MEMBER_VIEW
    wrapped.may_open = may_view_members
    return wrapped


# ---------------------------------------------------------------- list


def _member_filterset(request):
    params = request.GET.copy()
    params.setdefault("status", STATUS_ACTIVE)
    filterset = MemberFilter(params, queryset=scope_members(request.user), request=request)
    filterset.is_valid()
    return params, filterset


@member_view_required
def member_list(request):
    params, filterset = _member_filterset(request)
    qs = filterset.qs.select_related("organization").prefetch_related("tags")
    page = keyset_page(qs, params, PAGE_SIZE)
    rows = _rows(page.items, SensitiveView(request.user))
    export = params.copy()
    for key in ("after", "before", "page"):
        export.pop(key, None)
    context = {
        "filterset": filterset,
        "page": page,
        "rows": rows,
        "org": _filter_org(request.user, filterset),
        "export_query": export.urlencode(),
    }
    return render(request, "members/member_list.html", context)


def _rows(members, sensitive):
    """One dict a row; choice labels from core.choices rather than get_FOO_display (which
    rebuilds the choices dict on every call) — issue 19 §4."""
    gender, category, status = (
        choice_labels(Member, name) for name in ("gender", "category", "status")
    )
    return [
        {
            "member": m,
            "id_number": sensitive.id_number(m),
            "phone": sensitive.phone(m),
            "gender": gender.get(m.gender, m.gender),
            "category": category.get(m.category, m.category),
            "status": status.get(m.status, m.status),
        }
        for m in members
    ]


@member_view_required
def member_count(request):
    """The list's total, fetched after the page so a city-wide list costs what a branch's does."""
    _params, filterset = _member_filterset(request)
    total = _total(request.user, filterset, _filter_org(request.user, filterset))
    return render(request, "members/_total.html", {"total": total})


def _filter_org(user, filterset):
    org_id = filterset.form.cleaned_data.get("org")
    if org_id is None:
        return None
    return scope_orgs(user).filter(pk=org_id).first()


def _total(user, filterset, org):
    """Exact total from the org rollups when only the org is chosen; else a capped count."""
    used = {k for k, v in filterset.form.cleaned_data.items() if v not in (None, "")}
    only_org = used == {"org", "status"} and filterset.form.cleaned_data["status"] == STATUS_ACTIVE
    if only_org and org is not None and can(user, Perm.MEMBER_VIEW, org):
        return {"count": subtree_stats(org)["members"], "capped": False}
    count = filterset.qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    return {"count": min(count, COUNT_CAP), "capped": count > COUNT_CAP}


# ---------------------------------------------------------------- detail and reveal


@member_view_required
def member_detail(request, pk):
    member = get_member_for_user(request.user, pk)
    return render(request, "members/member_detail.html", _detail_context(request, member))


def _detail_context(request, member, revealed=None):
    user = request.user
    ancestors = list(Organization.objects.get_ancestors(member.organization))
    return {
        "member": member,
        "ancestors": ancestors,
        "linkable": {
            o.pk for o in [*ancestors, member.organization] if can(user, Perm.ORG_VIEW, o)
        },
        "tags": member.tags.all(),
        "status_changes": member.status_changes.select_related("actor"),
        "memberships": member.memberships.select_related("organization"),
        "seats": member.seats.select_related("committee__organization"),
        "sensitive": revealed or masked(member),
        "revealed": revealed is not None,
        "can_reveal": can_see_sensitive(user, member),
        "can_change": can_for_member(user, Perm.MEMBER_CHANGE, member),
    }


@require_POST
@member_view_required
def member_reveal(request, pk):
    member = get_member_for_user(request.user, pk)
    if not can_see_sensitive(request.user, member):
        raise PermissionDenied("没有权限查看完整身份证号和手机号。")
    try:
        revealed = reveal_sensitive(member, actor=request.user, reason=request.POST.get("reason"))
    except DomainError as exc:
        if request.htmx:
            context = {"member": member, "sensitive": masked(member), "can_reveal": True}
            return render(request, "members/_sensitive.html", {**context, "error": exc.message})
        messages.error(request, exc.message)
        return redirect("members:detail", member.pk)
    if request.htmx:
        context = {"member": member, "sensitive": revealed, "revealed": True}
        return render(request, "members/_sensitive.html", context)
    context = _detail_context(request, member, revealed)
    return render(request, "members/member_detail.html", context)


# ---------------------------------------------------------------- create and edit


@perm_required(Perm.MEMBER_CHANGE)
def member_create(request):
    initial = {"organization": request.GET.get("org")}
    form = MemberForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.create_member(
                data["organization"],
                actor=request.user,
                tags=list(data["tags"]),
                **form.member_fields(),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已登记党员 {member.name}")
            return redirect("members:detail", member.pk)
    return render(request, "members/member_form.html", {"form": form, "member": None})


@perm_required(Perm.MEMBER_CHANGE)
def member_edit(request, pk):
    member = get_member_for_user(request.user, pk, Perm.MEMBER_CHANGE)
    form = MemberForm(request.POST or None, user=request.user, member=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_member(
                member,
                actor=request.user,
                expected_version=data["version"],
                organization=data["organization"],
                tags=list(data["tags"]),
                **form.member_fields(),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已保存")
            return redirect("members:detail", member.pk)
    return render(request, "members/member_form.html", {"form": form, "member": member})


def _action(request, pk, form_class, apply, title, initial=None):
    """GET shows `form_class`; a valid POST calls `apply(member, data)`, then back to the member."""
    member = get_member_for_user(request.user, pk, Perm.MEMBER_CHANGE)
    initial = {"version": member.version, **(initial(member) if initial else {})}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            apply(member, form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已保存")
            return redirect("members:detail", member.pk)
    context = {"form": form, "member": member, "title": title}
    return render(request, "members/member_action.html", context)


@perm_required(Perm.MEMBER_CHANGE)
def member_status(request, pk):
    def apply(member, data):
        services.change_status(
            member,
            data["to_status"],
            on=data["on"],
            reason=data["reason"],
            actor=request.user,
            expected_version=data["version"],
        )

    return _action(request, pk, StatusForm, apply, "变更党籍状态")


@perm_required(Perm.MEMBER_CHANGE)
def member_confirm(request, pk):
    def apply(member, data):
        services.set_category(
            member,
            "full",
            confirmed_on=data["confirmed_on"],
            actor=request.user,
            expected_version=data["version"],
        )

    return _action(request, pk, ConfirmForm, apply, "预备党员转正")


@perm_required(Perm.MEMBER_CHANGE)
def member_tags(request, pk):
    def apply(member, data):
        services.set_tags(member, data["tags"], actor=request.user)

    def initial(member):
        return {"tags": list(member.tags.all())}

    return _action(request, pk, TagsForm, apply, "编辑标签", initial)


# ---------------------------------------------------------------- reveal audit


@perm_required(Perm.AUDIT_VIEW)
def reveal_audit(request):
    # Cast the log's target id, not the member pk, so each row is one primary-key probe.
    in_scope = Member.objects.filter(
        path_q("organization__path", granted_paths(request.user, Perm.AUDIT_VIEW)),
        pk=Cast(OuterRef("target_id"), BigIntegerField()),
    )
    logs = (
        AuditLog.objects.filter(action="member.reveal", target_type="members.member")
        .filter(Exists(in_scope))
        .select_related("actor")
    )
    page = keyset_page(logs, request.GET, PAGE_SIZE, descending=True)
    return render(request, "members/reveal_audit.html", {"page": page})
