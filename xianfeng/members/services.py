"""Member use cases. Every write goes through here so org member counts stay exact."""

from datetime import date

from django.db import transaction
from django.db.models import Count, Q

from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.orgs.models import Organization, OrgStatus

from .models import ACTIVE_STATUSES, Category, Member, Membership


def refresh_org_counts(org_ids):
    """Recount the direct active members of these organizations (call inside the write's transaction)."""
    org_ids = {i for i in org_ids if i is not None}
    if not org_ids:
        return
    active = Q(members__status__in=ACTIVE_STATUSES)
    rows = (
        Organization.objects.filter(pk__in=org_ids)
        .order_by()
        .annotate(
            n=Count("members", filter=active),
            n_full=Count("members", filter=active & Q(members__category=Category.FULL)),
            n_prob=Count("members", filter=active & Q(members__category=Category.PROBATIONARY)),
        )
        .values_list("pk", "n", "n_full", "n_prob")
    )
    for pk, n, n_full, n_prob in rows:
        Organization.objects.filter(pk=pk).update(
            member_count=n, full_member_count=n_full, probationary_member_count=n_prob
        )


def move_members(member_ids, target, *, actor, on=None, reason=""):
    """Move members to `target`, closing and opening their membership records; returns the count."""
    on = on or date.today()
    if target.status != OrgStatus.ACTIVE:
        raise DomainError(f"{target.name}已撤销，不能接收党员")
    with transaction.atomic():
        members = list(
            Member.objects.select_for_update()
            .filter(pk__in=member_ids)
            .exclude(organization=target)
        )
        if not members:
            return 0
        ids = [m.pk for m in members]
        sources = {m.organization_id for m in members}
        Membership.objects.filter(member_id__in=ids, ended_on__isnull=True).update(ended_on=on)
        Membership.objects.bulk_create(
            [
                Membership(member_id=pk, organization=target, started_on=on, reason=reason)
                for pk in ids
            ]
        )
        Member.objects.filter(pk__in=ids).update(organization=target)
        refresh_org_counts(sources | {target.pk})
        audit.record("member.move", target, actor=actor, members=ids, reason=reason, on=on)
    return len(ids)
