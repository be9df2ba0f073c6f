"""Workbench: point claims to approve; a member's own points and rank this year."""

from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import granted_paths, path_q
from xianfeng.core.workbench import TodoItem, Urgency, workbench_provider

from . import rankings
from .models import ClaimStatus, PointClaim


@workbench_provider("points")
def points_todo(user, today):
    paths = granted_paths(user, Perm.POINTS_AWARD)
    if paths:
        pending = PointClaim.objects.filter(
            path_q("member__organization__path", paths), status=ClaimStatus.PENDING
        ).count()
        yield TodoItem("points.claims", _("待审核的积分申报"), pending, reverse("points:claims"))
    member = user.member if user.member_id else None
    if member is not None:
        branch = rankings.home_orgs(member)[0]
        rank, total = rankings.rank_of(member, branch, str(today.year))
        figure = _("今年支部第%(rank)s名") % {"rank": rank} if rank else _("今年还没有积分")
        yield TodoItem(
            "points.mine", _("我的积分"), total, reverse("points:me"), Urgency.INFO, figure=figure
        )
