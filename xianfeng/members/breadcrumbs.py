"""Breadcrumbs: a member sits under their organization; linked when the user may see them."""

from django.urls import reverse

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can_for_member
from xianfeng.core.breadcrumbs import Crumb, trail, trail_provider


@trail_provider("members.Member")
def member_trail(user, member):
    url = reverse("members:detail", args=[member.pk])
    shown = url if can_for_member(user, Perm.MEMBER_VIEW, member) else ""
    return [*trail(user, member.organization), Crumb(member.name, shown)]
