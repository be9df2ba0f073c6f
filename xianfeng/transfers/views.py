"""组织关系转接 pages: inbox, detail with timeline, start/request/register, step actions, letter."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import granted_paths, has_perm_anywhere, path_q, scope_members
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.members.models import Member
from xianfeng.members.search import search_q

from . import services
from .forms import InboundForm, IssueForm, ReasonForm, ReceiptForm, StartForm
from .models import OPEN_STATUSES, StepAction
from .queries import get_transfer_for_user, receipt_warnings, scope_transfers, to_act_on, with_steps

TABS = {
    "todo": gettext_lazy("待我办理"),
    "outgoing": gettext_lazy("转出办理中"),
    "incoming": gettext_lazy("转入办理中"),
    "warnings": gettext_lazy("回执预警"),
    "closed": gettext_lazy("已办结"),
    "all": gettext_lazy("全部"),
}
LIST_LIMIT = 200


def may_view_transfers(user):
    return bool(user.member_id) or has_perm_anywhere(user, Perm.TRANSFER_VIEW)


def viewer_required(view):
    """Login, then transfer.view somewhere — or a linked member, who sees their own."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_view_transfers(user):
            raise PermissionDenied("没有权限访问此页面。")
        return view(request, *args, **kwargs)

    wrapped.required_perm = Perm.TRANSFER_VIEW
    wrapped.may_open = may_view_transfers
    return wrapped


@viewer_required
def transfer_list(request):
    user = request.user
    qs = scope_transfers(user)
    member_id = request.GET.get("member", "")
    if member_id.isdigit():
        qs = qs.filter(member_id=member_id)
    staff = has_perm_anywhere(user, Perm.TRANSFER_VIEW)
    tab = request.GET.get("tab") if staff else "mine"
    tab = tab if tab in TABS or tab == "mine" else "todo"
    page = page_of(request, _tab(user, qs, tab), LIST_LIMIT)
    context = {
        "tab": tab,
        "tabs": TABS if staff else {},
        "rows": list(page),
        "page": page,
        "today": timezone.localdate(),
        "can_act": has_perm_anywhere(user, Perm.TRANSFER_ACT),
        "member_id": member_id,
    }
    return render(request, "transfers/list.html", context)


def _tab(user, qs, tab):
    paths = granted_paths(user, Perm.TRANSFER_VIEW)
    if tab == "todo":
        return to_act_on(user, qs)
    if tab == "warnings":
        return list(receipt_warnings(qs))
    if tab in ("outgoing", "incoming"):
        field = "from_org__path" if tab == "outgoing" else "to_org__path"
        qs = qs.filter(path_q(field, paths), status__in=OPEN_STATUSES)
    elif tab == "closed":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    # A queryset: the page reads its rows and counts the subtree's transfers (cheap).
    return with_steps(qs)  # ordered by the model (newest first)


@viewer_required
def transfer_detail(request, pk):
    transfer = get_transfer_for_user(request.user, pk)
    return render(request, "transfers/detail.html", _detail_context(request, transfer))


def _detail_context(request, transfer):
    user = request.user
    steps = list(transfer.steps.all())
    current = transfer.current_step()
    issuer = steps[-1]
    return {
        "transfer": transfer,
        "steps": steps,
        "events": transfer.events.all(),
        "current": current,
        "may_act": services.may_act(user, current),
        "may_withdraw": services.may_withdraw(user, transfer, steps),
        "may_receipt": transfer.status in ("letter_issued", "expired")
        and services.may_act(user, issuer),
        "overdue": transfer.receipt_overdue(),
        "reason_form": ReasonForm(),
        "issue_form": IssueForm(),
        "receipt_form": ReceiptForm(),
        "Action": StepAction,
    }


def _act(request, pk, service, form_class, done):
    """POST → scoped lookup → service; a refusal is shown on the detail page, never a 500."""
    transfer = get_transfer_for_user(request.user, pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(
            request, _("输入有误：") + "; ".join(m for e in form.errors.values() for m in e)
        )
        return redirect("transfers:detail", transfer.pk)
    data = form.cleaned_data if form is not None else {}
    try:
        service(transfer, actor=request.user, **data)
    except DomainError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("transfers:detail", transfer.pk)


@require_POST
@perm_required(Perm.TRANSFER_ACT)
def transfer_approve(request, pk):
    return _act(request, pk, services.approve_step, ReasonForm, _("已同意"))


@require_POST
@perm_required(Perm.TRANSFER_ACT)
def transfer_reject(request, pk):
    return _act(request, pk, services.reject_transfer, ReasonForm, _("已退回"))


@require_POST
@viewer_required
def transfer_withdraw(request, pk):
    return _act(request, pk, services.withdraw_transfer, ReasonForm, _("已撤回"))


@require_POST
@perm_required(Perm.TRANSFER_ACT)
def transfer_accept(request, pk):
    return _act(request, pk, services.accept_transfer, None, _("已接收，党员组织关系已转入"))


@require_POST
@perm_required(Perm.TRANSFER_ACT)
def transfer_issue(request, pk):
    return _act(request, pk, services.issue_letter, IssueForm, _("已开具介绍信"))


@require_POST
@perm_required(Perm.TRANSFER_ACT)
def transfer_receipt(request, pk):
    return _act(request, pk, services.record_receipt, ReceiptForm, _("已登记回执"))


@viewer_required
def transfer_letter(request, pk):
    transfer = get_transfer_for_user(request.user, pk)
    if not transfer.letter_no:
        raise Http404("该转接没有介绍信")
    issuer = list(transfer.steps.all())[-1].organization
    return render(request, "transfers/letter.html", {"transfer": transfer, "issuer": issuer})


# ---------------------------------------------------------------- starting


@perm_required(Perm.TRANSFER_ACT)
def transfer_start(request):
    member_id = request.GET.get("member", "")
    if not member_id.isdigit():
        return _pick_member(request, Perm.TRANSFER_ACT, "transfers/start_pick.html")
    member = _member_for_act(request.user, member_id)
    form = StartForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.start_transfer(member, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已发起组织关系转接"))
            return redirect("transfers:detail", transfer.pk)
    title = _("为 %(name)s 发起组织关系转接") % {"name": member.name}
    return render(request, "transfers/form.html", {"form": form, "title": title})


def _member_for_act(user, pk):
    try:
        return scope_members(user, Perm.TRANSFER_ACT).select_related("organization").get(pk=pk)
    except Member.DoesNotExist as exc:
        raise Http404("党员不存在或无权办理") from exc


def _pick_member(request, perm, template):
    q = request.GET.get("q", "").strip()
    found = []
    if q:
        qs = scope_members(request.user, perm).active().filter(search_q(q, request.user))
        found = list(qs.select_related("organization").order_by("name")[:20])
    return render(request, template, {"q": q, "found": found})


def transfer_request(request):
    """A member asks for their own transfer; their branch agrees first."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user.member_id:
        raise PermissionDenied("只有党员本人可以申请")
    member = Member.objects.select_related("organization").get(pk=user.member_id)
    form = StartForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.start_transfer(
                member, actor=user, by_member=True, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("申请已提交，等待所在党支部办理"))
            return redirect("transfers:detail", transfer.pk)
    title = _("申请转接组织关系")
    return render(request, "transfers/form.html", {"form": form, "title": title})


@perm_required(Perm.TRANSFER_ACT)
def transfer_inbound(request):
    form = InboundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        to_org = data.pop("to_org")
        try:
            transfer = services.register_inbound(to_org, actor=request.user, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已登记来信"))
            return redirect("transfers:detail", transfer.pk)
    title = _("登记系统外转入(来信)")
    return render(request, "transfers/form.html", {"form": form, "title": title})
