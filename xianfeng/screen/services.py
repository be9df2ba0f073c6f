"""The big screen's use cases: which organization a login's screen shows, and the monthly
figures behind the trend line (written by the nightly job, read by the members panel)."""

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import get_org_for_user, scope_orgs
from xianfeng.orgs.models import Organization, OrgKind, OrgStatus
from xianfeng.orgs.stats import subtree_stats

from .models import MonthlyFigure


def screen_root(user, pk=None):
    """The organization whose screen `user` opens: `pk` (404 outside the grant) or the top
    organization of the user's screen grants."""
    if pk is not None:
        return get_org_for_user(user, pk, Perm.VIEW_SCREEN)
    root = scope_orgs(user, Perm.VIEW_SCREEN).order_by("depth", "path").first()
    if root is None:
        raise Http404("没有可查看的组织")
    return root


def month_of(day):
    return day.replace(day=1)


def tracked_orgs():
    """The organizations whose screens show a trend: committees and the roots of the tree."""
    return Organization.objects.filter(
        Q(kind=OrgKind.COMMITTEE) | Q(depth=1), status=OrgStatus.ACTIVE
    ).order_by("path")


def record_month_figures(day=None, orgs=None) -> int:
    """Write (or overwrite) the month of `day` for `orgs` (default: tracked_orgs()) from the
    counters; the month's row ends up holding its last day's totals. Returns rows written."""
    day = day or timezone.localdate()
    month = month_of(day)
    orgs = list(tracked_orgs() if orgs is None else orgs)
    rows = []
    for org in orgs:
        stats = subtree_stats(org)
        rows.append(
            MonthlyFigure(
                organization=org,
                month=month,
                members=stats["members"],
                full_members=stats["full_members"],
                probationary_members=stats["probationary_members"],
                organizations=stats["organizations"],
                branches=stats["branches"],
                as_of=day,
            )
        )
    with transaction.atomic():
        MonthlyFigure.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["organization", "month"],
            update_fields=[
                "members",
                "full_members",
                "probationary_members",
                "organizations",
                "branches",
                "as_of",
            ],
        )
    return len(rows)
