"""专项工作 in progress (拆迁, 回迁, 村改居): the campaigns' own counts table, two queries."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xianfeng.campaigns.services import progress_for_org

from . import screen_panel

SHOWN = 2  # the slot is one short row per campaign


@screen_panel(
    "campaigns",
    title=_("专项工作"),
    template="screen/panels/campaigns.html",
    link=lambda org: reverse("campaigns:list"),
    refresh=300,
)
def campaigns_panel(org, at):
    campaigns = progress_for_org(org)
    return {"campaigns": campaigns[:SHOWN], "more": max(len(campaigns) - SHOWN, 0)}
