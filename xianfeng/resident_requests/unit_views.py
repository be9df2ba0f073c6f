"""吹哨报到 pages: the street calls a unit in (and re-sends its link); the unit opens its one
task through the signed link, without a login, and reports back with attachments."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.core.errors import DomainError

from . import units
from .forms import CallInForm, UnitReportForm
from .models import CallIn, TimeUnit
from .routing import may_dispatch
from .views import get_request_for_user


@require_POST
@perm_required(Perm.REQUEST_DISPATCH)
def call_in(request, pk):
    req = get_request_for_user(request.user, pk)
    form = CallInForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("requests:detail", pk=req.pk)
    data = form.cleaned_data
    try:
        call = units.call_in_unit(
            req,
            actor=request.user,
            unit_name=data["unit_name"],
            task=data["task"],
            due=data["due"],
            within=data["within"],
            unit=data["unit"] or TimeUnit.WORKDAYS,
            contact_phone=data["contact_phone"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        units.send_link(call, request.build_absolute_uri(units.link_path(call)))
        due = timezone.localtime(call.due)
        messages.success(request, f"已吹哨，报到时限 {due:%Y-%m-%d %H:%M}；报到链接见下方。")
    return redirect("requests:detail", pk=req.pk)


@require_POST
@perm_required(Perm.REQUEST_DISPATCH)
def call_in_link(request, pk, call_pk):
    """A new link for the unit; the old one stops working."""
    req = get_request_for_user(request.user, pk)
    call = get_object_or_404(CallIn, request=req, pk=call_pk)
    if not may_dispatch(request.user, req):
        messages.error(request, "只有街道调度人员可以重新发送报到链接")
        return redirect("requests:detail", pk=req.pk)
    try:
        call = units.reissue_link(call, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        units.send_link(call, request.build_absolute_uri(units.link_path(call)))
        messages.success(request, "已生成新的报到链接，原链接作废。")
    return redirect("requests:detail", pk=req.pk)


def unit_task(request, token):
    """The unit's own page: its task, the request as far as it needs it, the report form."""
    try:
        call = units.call_in_for_token(token)
    except CallIn.DoesNotExist:
        return render(request, "resident_requests/unit_gone.html", {"reason": ""}, status=404)
    except units.LinkGone as exc:
        return render(request, "resident_requests/unit_gone.html", {"reason": str(exc)}, status=410)
    form = UnitReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                units.report_by_unit(
                    call,
                    result=form.cleaned_data["result"],
                    files=request.FILES.getlist("files"),
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                return render(request, "resident_requests/unit_done.html", {"call": call})
        status = 400
    context = {"call": call, "req": call.request, "form": form, "now": timezone.now()}
    return render(request, "resident_requests/unit_task.html", context, status=status)
