"""The inbox, marking read and the person's notice settings (every login, own notices only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from xianfeng.core.errors import DomainError

from . import services
from .forms import InboxFilter, PreferenceForm
from .models import Notice, NoticeKind, Preference


@login_required
def inbox(request):
    form = InboxFilter(request.GET)
    notices = Notice.objects.filter(recipient=request.user)
    if form.is_valid():
        if form.cleaned_data["kind"]:
            notices = notices.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["unread"]:
            notices = notices.filter(read_at__isnull=True)
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    return render(request, "notices/inbox.html", {"form": form, "page": page})


def _own(request, pk):
    notice = Notice.objects.filter(recipient=request.user, pk=pk).first()
    if notice is None:
        raise Http404("通知不存在")
    return notice


@require_POST
@login_required
def read(request, pk):
    """Mark one notice read and open what it points to."""
    notice = services.mark_read(_own(request, pk), actor=request.user)
    if notice.link and url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None):
        return redirect(notice.link)
    return redirect("notices:inbox")


@require_POST
@login_required
def read_all(request):
    kind = request.POST.get("kind", "")
    if kind and kind not in NoticeKind.values:
        kind = ""
    count = services.mark_all_read(actor=request.user, kind=kind)
    messages.success(request, f"已将 {count} 条通知标为已读")
    return redirect("notices:inbox")


@login_required
def preferences(request):
    pref = Preference.objects.filter(user=request.user).first()
    initial = {}
    if pref is not None:
        initial = {
            "phone": pref.phone,
            "wechat_id": pref.wechat_id,
            "quiet_from": pref.quiet_from,
            "quiet_until": pref.quiet_until,
        }
    form = PreferenceForm(request.POST if request.method == "POST" else None, initial=initial)
    offered = [c for c, _label in services.deployment_channels()]
    for name in form.fields:
        if name.startswith("kind_"):
            chosen = pref.channels if pref is not None else {}
            form.fields[name].initial = chosen.get(name.removeprefix("kind_"), offered)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_preference(
                request.user,
                channels=form.channels(),
                phone=data["phone"],
                wechat_id=data["wechat_id"],
                quiet_from=data["quiet_from"],
                quiet_until=data["quiet_until"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "通知设置已保存")
            return redirect("notices:preferences")
    return render(
        request,
        "notices/preferences.html",
        {"form": form, "channels": services.deployment_channels()},
    )
