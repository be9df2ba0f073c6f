"""整建制转接 pages: start a batch for a whole organization, see it, act on it at once."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.core.errors import DomainError

from .batches import act_on_batch, start_batch
from .forms import BatchForm
from .queries import get_batch_for_user, scope_batches, with_steps
from .services import may_act


@perm_required(Perm.TRANSFER_ACT)
def batch_start(request):
    form = BatchForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            batch, skipped = start_batch(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已发起整建制转接"))
            for member, reason in skipped:
                messages.warning(request, f"{member.name}：{reason}")
            return redirect("transfers:batch", batch.pk)
    batches = scope_batches(request.user).select_related("from_org", "to_org")[:20]
    return render(request, "transfers/batch_form.html", {"form": form, "batches": batches})


@perm_required(Perm.TRANSFER_VIEW)
def batch_detail(request, pk):
    batch = get_batch_for_user(request.user, pk)
    transfers = list(with_steps(batch.transfers.select_related("member", "from_org", "to_org")))
    mine = sum(1 for t in transfers if t.is_open and may_act(request.user, t.current_step()))
    statuses = {}
    for t in transfers:
        statuses[t.get_status_display()] = statuses.get(t.get_status_display(), 0) + 1
    context = {"batch": batch, "transfers": transfers, "mine": mine, "statuses": statuses}
    return render(request, "transfers/batch_detail.html", context)


@require_POST
@perm_required(Perm.TRANSFER_ACT)
def batch_act(request, pk):
    batch = get_batch_for_user(request.user, pk)
    try:
        done = act_on_batch(batch, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已办理 %(n)d 人") % {"n": done})
    return redirect("transfers:batch", batch.pk)
