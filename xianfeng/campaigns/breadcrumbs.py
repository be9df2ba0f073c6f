"""Trails: 专项工作 › the campaign › the household."""

from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import has_perm_anywhere
from xianfeng.core.breadcrumbs import Crumb, trail_provider

from .scoping import scope_campaigns


@trail_provider("campaigns.Campaign")
def campaign_trail(user, campaign):
    top = reverse("campaigns:list") if has_perm_anywhere(user, Perm.ORG_VIEW) else ""
    return [
        Crumb(_("专项工作"), top),
        Crumb(campaign.name, reverse("campaigns:detail", args=[campaign.pk])),
    ]


@trail_provider("campaigns.Case")
def case_trail(user, case):
    campaign = case.campaign
    crumbs = campaign_trail(user, campaign)
    if not scope_campaigns(user).filter(pk=campaign.pk).exists():
        crumbs = [Crumb(crumbs[0].label, crumbs[0].url), Crumb(campaign.name, "")]
    return [*crumbs, Crumb(str(case), reverse("campaigns:case", args=[case.pk]))]
