"""流动党员 pages: the registry (scoped like members), register, edit, mark returned."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can_for_member, has_perm_anywhere, scope_members
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.members.masking import SensitiveView, mask_phone
from xianfeng.members.models import Member

from . import mobile
from .forms import MobileForm, ReturnForm
from .models import MobileStatus
from .queries import get_mobile_for_user, scope_mobile
from .rules import transfer_due_on
from .views import _pick_member


@perm_required(Perm.MEMBER_VIEW)
def mobile_list(request):
    status = request.GET.get("status", MobileStatus.AWAY)
    qs = (
        scope_mobile(request.user)
        .filter(status=status)
        .order_by("member__organization__path", "pk")
    )
    page = page_of(request, qs)
    sensitive = SensitiveView(request.user)
    today = timezone.localdate()
    rows = [
        (
            r,
            r.contact_phone if sensitive.allowed(r.member) else mask_phone(r.contact_phone),
            r.status == MobileStatus.AWAY and r.fixed_place and transfer_due_on(r.since) <= today,
        )
        for r in page
    ]
    context = {
        "rows": rows,
        "status": status,
        "statuses": MobileStatus.choices,
        "page": page,
        "can_change": has_perm_anywhere(request.user, Perm.MEMBER_CHANGE),
    }
    return render(request, "transfers/mobile_list.html", context)


@perm_required(Perm.MEMBER_CHANGE)
def mobile_create(request):
    member_id = request.GET.get("member", "")
    if not member_id.isdigit():
        return _pick_member(request, Perm.MEMBER_CHANGE, "transfers/mobile_pick.html")
    try:
        member = scope_members(request.user, Perm.MEMBER_CHANGE).get(pk=member_id)
    except Member.DoesNotExist as exc:
        raise Http404("党员不存在或无权查看") from exc
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mobile.register_mobile(member, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已登记流动党员"))
            return redirect("transfers:mobile_list")
    title = _("登记流动党员：%(name)s") % {"name": member.name}
    return render(request, "transfers/form.html", {"form": form, "title": title})


@perm_required(Perm.MEMBER_CHANGE)
def mobile_edit(request, pk):
    record = get_mobile_for_user(request.user, pk, Perm.MEMBER_CHANGE)
    initial = {f: getattr(record, f) for f in mobile.FIELDS}
    form = MobileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            mobile.update_mobile(record, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("transfers:mobile_list")
    context = {
        "form": form,
        "title": _("流动党员：%(name)s") % {"name": record.member.name},
        "record": record,
        "return_form": ReturnForm(),
        "can_change": can_for_member(request.user, Perm.MEMBER_CHANGE, record.member),
    }
    return render(request, "transfers/mobile_form.html", context)


@require_POST
@perm_required(Perm.MEMBER_CHANGE)
def mobile_return(request, pk):
    record = get_mobile_for_user(request.user, pk, Perm.MEMBER_CHANGE)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写返回日期"))
        return redirect("transfers:mobile_edit", record.pk)
    try:
        mobile.mark_returned(record, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("transfers:mobile_edit", record.pk)
    messages.success(request, _("已标记返回"))
    return redirect("transfers:mobile_list")
