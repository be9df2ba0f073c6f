"""党籍管理 pages: the list (疑似自行脱党, 失联, 停止党籍), a case with its handling, a member's
失联 / 停止党籍 with the next step."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can, get_member_for_user, scope_members, scope_orgs
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.members.models import MemberStatus

from . import services
from .forms import ActionForm, StandingForm
from .models import OPEN_STATUSES, LapseCase
from .rules import may_remove_from, may_suspend_from, rules_table

TABS = {
    "lapse": _("疑似自行脱党"),
    "lost": _("失联党员"),
    "suspended": _("停止党籍"),
}


def _cases(user, perm=Perm.MEMBER_VIEW):
    return LapseCase.objects.filter(organization__in=scope_orgs(user, perm)).select_related(
        "member", "organization"
    )


@perm_required(Perm.MEMBER_VIEW)
def standing_list(request):
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "lapse"
    if tab == "lapse":
        closed = request.GET.get("closed") == "1"
        qs = _cases(request.user)
        qs = qs.exclude(status__in=OPEN_STATUSES) if closed else qs.filter(status__in=OPEN_STATUSES)
        qs = qs.order_by("organization__path", "member__name_pinyin", "pk")
    else:
        status = MemberStatus.LOST_CONTACT if tab == "lost" else MemberStatus.SUSPENDED
        qs = (
            scope_members(request.user)
            .filter(status=status)
            .with_status_since()
            .select_related("organization")
            .order_by("status_since", "pk")
        )
    page = page_of(request, qs)
    edge = may_suspend_from if tab == "lost" else may_remove_from
    rows = page if tab == "lapse" else [(m, m.status_since and edge(m.status_since)) for m in page]
    return render(
        request,
        "standing/list.html",
        {
            "tab": tab,
            "tabs": TABS,
            "page": page,
            "rows": rows,
            "closed": tab == "lapse" and request.GET.get("closed") == "1",
            "today": timezone.localdate(),
            "rules": rules_table(),
        },
    )


@perm_required(Perm.MEMBER_VIEW)
def lapse_case(request, pk):
    try:
        case = _cases(request.user).get(pk=pk)
    except (LapseCase.DoesNotExist, ValueError) as exc:
        raise Http404("记录不存在或无权查看") from exc
    may_act = can(request.user, Perm.MEMBER_CHANGE, case.organization)
    form = ActionForm(request.POST or None)
    if request.method == "POST":
        if not may_act:
            raise PermissionDenied("没有权限登记处置。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_lapse_action(
                    case, data["kind"], on=data["on"], note=data["note"], actor=request.user
                )
            except DomainError as exc:
                if exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
                else:
                    messages.error(request, exc.message)
            else:
                messages.success(request, "处置已登记。")
                return redirect("standing:case", pk=case.pk)
    return render(
        request,
        "standing/case.html",
        {
            "case": case,
            "actions": case.actions.select_related("actor"),
            "form": form if may_act and case.is_open else None,
        },
    )


@perm_required(Perm.MEMBER_VIEW)
def member_standing(request, pk):
    member = get_member_for_user(request.user, pk, Perm.MEMBER_VIEW)
    if member.status not in (MemberStatus.LOST_CONTACT, MemberStatus.SUSPENDED):
        raise Http404("该党员不是失联或停止党籍党员")
    since = scope_members(request.user).with_status_since().get(pk=member.pk).status_since
    may_act = can(request.user, Perm.MEMBER_CHANGE, member.organization)
    form = StandingForm(request.POST or None)
    if request.method == "POST":
        if not may_act:
            raise PermissionDenied("没有权限登记处理。")
        if form.is_valid():
            data = form.cleaned_data
            call = {
                "suspend": services.suspend_membership,
                "restore": services.restore_membership,
                "remove": services.remove_suspended,
            }[data["op"]]
            try:
                call(member, on=data["on"], reason=data["reason"], actor=request.user)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "已登记。")
                tab = "lost" if data["op"] == "suspend" else "suspended"
                return redirect(f"{reverse('standing:list')}?tab={tab}")
    edge = None
    if since:
        edge = (
            may_suspend_from(since)
            if member.status == MemberStatus.LOST_CONTACT
            else may_remove_from(since)
        )
    return render(
        request,
        "standing/member.html",
        {"member": member, "since": since, "edge": edge, "form": form if may_act else None},
    )
