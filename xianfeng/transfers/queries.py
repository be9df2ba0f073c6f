"""Scoped reads: who sees which transfers, the inbox of steps to act on, receipt warnings.

A transfer is visible to anyone holding `transfer.view` over its sending or its receiving
organization (the committees on the chain are their ancestors, so they see it too) and to
the member it concerns. Lookups answer 404 for missing and forbidden alike.
"""

from datetime import timedelta

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import granted_paths, path_q, scope_members

from .models import AWAITING_RECEIPT, OPEN_STATUSES, MobileMember, Transfer, TransferBatch
from .services import may_act

WARN_DAYS = 15  # letters whose validity ends within this many days are flagged


def _visible(user):
    """Q over the sending or receiving organization's path; empty Q means everything."""
    paths = granted_paths(user, Perm.TRANSFER_VIEW)
    if "" in paths:
        return Q()
    return path_q("from_org__path", paths) | path_q("to_org__path", paths)


def scope_transfers(user):
    q = _visible(user)
    if q and user.is_authenticated and user.member_id:
        q |= Q(member_id=user.member_id)
    return Transfer.objects.filter(q).select_related("member", "from_org", "to_org")


def with_steps(qs):
    return qs.prefetch_related("steps__organization")


def get_transfer_for_user(user, pk):
    qs = with_steps(scope_transfers(user)).prefetch_related("events__actor")
    try:
        return qs.get(pk=pk)
    except (ValueError, TypeError, Transfer.DoesNotExist) as exc:
        raise Http404("转接不存在或无权查看") from exc


def to_act_on(user, qs):
    """Open transfers whose current step `user` holds (uses prefetched steps)."""
    return [
        t
        for t in with_steps(qs.filter(status__in=OPEN_STATUSES))
        if may_act(user, t.current_step())
    ]


def receipt_warnings(qs, today=None):
    """Letters out without a receipt that expire within WARN_DAYS or already have."""
    today = today or timezone.localdate()
    return qs.filter(
        status__in=AWAITING_RECEIPT, valid_until__lte=today + timedelta(days=WARN_DAYS)
    ).order_by("valid_until")


def scope_batches(user):
    return TransferBatch.objects.filter(_visible(user))


def get_batch_for_user(user, pk):
    qs = scope_batches(user).select_related("from_org", "to_org")
    try:
        return qs.get(pk=pk)
    except (ValueError, TypeError, TransferBatch.DoesNotExist) as exc:
        raise Http404("整建制转接不存在或无权查看") from exc


def scope_mobile(user, perm=Perm.MEMBER_VIEW):
    members = scope_members(user, perm)
    return MobileMember.objects.filter(member__in=members).select_related("member__organization")


def get_mobile_for_user(user, pk, perm=Perm.MEMBER_VIEW):
    qs = scope_mobile(user, perm)
    try:
        return qs.get(pk=pk)
    except (ValueError, TypeError, MobileMember.DoesNotExist) as exc:
        raise Http404("流动党员记录不存在或无权查看") from exc
