"""Org pages: tree browser, org page, forms for edits and restructuring, terms and warnings.

Each view: validate → scoped lookup → service → render or redirect.
"""

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import (
    can,
    get_org_for_user,
    granted_paths,
    scope_members,
    scope_orgs,
)
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.core.widgets import pick_within
from xianfeng.members.search import to_simplified

from . import breakdowns, forms, services
from .models import Committee, CommitteeSeat, CommitteeStatus, Organization, OrgChange, OrgStatus
from .rules import RULE_KINDS, attach_warnings, term_years_for
from .stats import subtree_breakdowns, subtree_stats


def _page(request, items):
    return page_of(request, items)


def _run(form, service, *args, **kwargs):
    """Call a service; a DomainError becomes a form error. Returns (ok, result)."""
    try:
        return True, service(*args, **kwargs)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return False, None


def _form_page(request, org, form, title, **extra):
    context = {"org": org, "form": form, "title": title, **extra}
    return render(request, "orgs/form.html", context)


def _done(request, org, text):
    messages.success(request, text)
    return redirect("orgs:detail", org.pk)


def _roots(user):
    paths = granted_paths(user, Perm.ORG_VIEW)
    if "" in paths:
        return Organization.objects.filter(depth=1)
    return scope_orgs(user).filter(path__in=paths)


@perm_required(Perm.ORG_VIEW)
def tree(request):
    query = to_simplified(request.GET.get("q", "").strip())
    results = None
    if query:
        found = scope_orgs(request.user).filter(
            Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code__iexact=query)
        )
        results = _page(request, found)
        attach_warnings(results.object_list)
    roots = attach_warnings(_roots(request.user))
    return render(request, "orgs/tree.html", {"roots": roots, "q": query, "results": results})


@perm_required(Perm.ORG_VIEW)
def children(request, pk):
    org = get_org_for_user(request.user, pk)
    nodes = scope_orgs(request.user).filter(
        path__startswith=org.path, depth=org.depth + 1, status=OrgStatus.ACTIVE
    )
    return render(request, "orgs/_nodes.html", {"nodes": attach_warnings(nodes)})


def _current_committee(org):
    seats = CommitteeSeat.objects.filter(ended_on__isnull=True).select_related("member")
    return (
        Committee.objects.filter(organization=org, status=CommitteeStatus.CURRENT)
        .prefetch_related(Prefetch("seats", queryset=seats, to_attr="open_seats"))
        .first()
    )


@perm_required(Perm.ORG_VIEW)
def detail(request, pk):
    user = request.user
    org = get_org_for_user(user, pk)
    kids = list(Organization.objects.get_children(org))
    attach_warnings([org, *kids])
    charts_as_of = breakdowns.as_of()
    context = {
        "org": org,
        "stats": subtree_stats(org),
        "charts": subtree_breakdowns(org, as_of=charts_as_of),
        "charts_as_of": charts_as_of,
        "committee": _current_committee(org),
        "children": kids,
        "changes": OrgChange.objects.filter(organization=org).select_related("other")[:50],
        "can_change": can(user, Perm.ORG_CHANGE, org),
        "can_restructure": can(user, Perm.ORG_RESTRUCTURE, org),
        "today": timezone.localdate(),
    }
    return render(request, "orgs/detail.html", context)


@perm_required(Perm.ORG_CHANGE)
def create_child(request, pk):
    parent = get_org_for_user(request.user, pk, Perm.ORG_CHANGE)
    form = forms.OrgForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, org = _run(form, services.create_org, parent, actor=request.user, **form.cleaned_data)
        if ok:
            return _done(request, org, _("已成立组织：%(name)s") % {"name": org.name})
    return _form_page(request, parent, form, _("新增下级组织"))


@perm_required(Perm.ORG_CHANGE)
def edit(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ORG_CHANGE)
    form = forms.OrgForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        ok, _org = _run(form, services.update_org, org, actor=request.user, **form.cleaned_data)
        if ok:
            return _done(request, org, _("已保存"))
    return _form_page(request, org, form, _("编辑组织信息"))


@perm_required(Perm.ORG_CHANGE)
def committee_start(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ORG_CHANGE)
    initial = {"term_years": term_years_for(org)}
    form = forms.CommitteeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _c = _run(form, services.start_committee, org, actor=request.user, **form.cleaned_data)
        if ok:
            return _done(request, org, _("已登记新一届委员会"))
    return _form_page(request, org, form, _("换届：登记新一届委员会"))


def _get_committee_for_user(user, pk):
    committees = Committee.objects.filter(
        organization__in=scope_orgs(user, Perm.ORG_CHANGE).values("pk")
    ).select_related("organization")
    committee = committees.filter(pk=pk).first()
    if committee is None:
        raise Http404(_("委员会不存在或无权操作"))
    return committee


def _get_seat_for_user(user, pk):
    seats = CommitteeSeat.objects.filter(
        committee__organization__in=scope_orgs(user, Perm.ORG_CHANGE).values("pk")
    ).select_related("committee__organization", "member")
    seat = seats.filter(pk=pk).first()
    if seat is None:
        raise Http404(_("任职记录不存在或无权操作"))
    return seat


@perm_required(Perm.ORG_CHANGE)
def seat_add(request, pk):
    committee = _get_committee_for_user(request.user, pk)
    org = committee.organization
    members = scope_members(request.user).active().filter(organization__path__startswith=org.path)
    form = forms.SeatForm(request.POST or None, members=members.order_by("name_pinyin"))
    pick_within(form, org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _s = _run(
            form,
            services.assign_seat,
            committee,
            data["member"],
            data["post"],
            started_on=data["started_on"],
            actor=request.user,
        )
        if ok:
            return _done(request, org, _("已任命：%(name)s") % {"name": data["member"].name})
    return _form_page(request, org, form, _("增加委员会成员"))


@perm_required(Perm.ORG_CHANGE)
def seat_end(request, pk):
    seat = _get_seat_for_user(request.user, pk)
    org = seat.committee.organization
    form = forms.EndSeatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _s = _run(form, services.end_seat, seat, actor=request.user, **form.cleaned_data)
        if ok:
            return _done(request, org, _("已办理离任：%(name)s") % {"name": seat.member.name})
    title = _("离任：%(post)s %(name)s") % {
        "post": seat.get_post_display(),
        "name": seat.member.name,
    }
    return _form_page(request, org, form, title)


@perm_required(Perm.ORG_RESTRUCTURE)
def move(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ORG_RESTRUCTURE)
    form = forms.MoveForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _o = _run(
            form, services.move_org, org, data["new_parent"], actor=request.user, on=data["on"]
        )
        if ok:
            return _done(request, org, _("已调整隶属关系"))
    return _form_page(request, org, form, _("调整隶属关系（连同全部下级）"))


@perm_required(Perm.ORG_RESTRUCTURE)
def merge(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ORG_RESTRUCTURE)
    form = forms.MergeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, target = _run(
            form, services.merge_orgs, org, data["target"], actor=request.user, on=data["on"]
        )
        if ok:
            return _done(request, target, _("已合并：%(name)s 已撤销") % {"name": org.name})
    return _form_page(request, org, form, _("合并到其他组织"))


@perm_required(Perm.ORG_RESTRUCTURE)
def split(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ORG_RESTRUCTURE)
    members = scope_members(request.user).active().filter(organization=org).order_by("name_pinyin")
    kids = Organization.objects.get_children(org).filter(status=OrgStatus.ACTIVE)
    form = forms.SplitForm(request.POST or None, members=members, children=kids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, new_org = _run(
            form,
            services.split_org,
            org,
            new_name=data["new_name"],
            new_code=data["new_code"],
            member_ids=[m.pk for m in data["members"]],
            child_ids=[c.pk for c in data["children"]],
            actor=request.user,
            on=data["on"],
        )
        if ok:
            return _done(request, new_org, _("已拆分出：%(name)s") % {"name": new_org.name})
    return _form_page(request, org, form, _("拆分组织"))


@perm_required(Perm.ORG_RESTRUCTURE)
def dissolve(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ORG_RESTRUCTURE)
    form = forms.DissolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _o = _run(
            form, services.dissolve_org, org, actor=request.user, on=form.cleaned_data["on"]
        )
        if ok:
            return _done(request, org, _("已撤销：%(name)s") % {"name": org.name})
    return _form_page(request, org, form, _("撤销组织"))


@perm_required(Perm.ORG_RESTRUCTURE)
def size_exception(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ORG_RESTRUCTURE)
    initial = {
        "approved_on": org.size_exception_approved_on,
        "approval": org.size_exception_approval,
    }
    form = forms.SizeExceptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _o = _run(
            form, services.set_size_exception, org, actor=request.user, **form.cleaned_data
        )
        if ok:
            return _done(request, org, _("已保存规模例外批准"))
    return _form_page(request, org, form, _("经上级批准低于规定人数设立"))


@perm_required(Perm.ORG_VIEW)
def terms(request):
    today = timezone.localdate()
    due = services.terms_due(scope_orgs(request.user), today)
    return render(request, "orgs/terms.html", {"page": _page(request, due), "today": today})


@perm_required(Perm.ORG_VIEW)
def warnings(request):
    candidates = (
        scope_orgs(request.user)
        .filter(status=OrgStatus.ACTIVE, kind__in=RULE_KINDS)
        .only(
            *("pk", "path", "depth", "kind", "status", "name", "code", "is_temporary", "is_joint"),
            "size_exception_approved_on",
        )
    )
    warned = [org for org in attach_warnings(candidates) if org.warnings]
    return render(request, "orgs/warnings.html", {"page": _page(request, warned)})
