"""The "campaigns in progress" slot until the campaigns app registers its own panel."""

from django.utils.translation import gettext_lazy as _

from . import screen_panel


@screen_panel(
    "campaigns",
    title=_("专项工作"),
    template="screen/panels/campaigns.html",
    refresh=300,
    default=True,
)
def campaigns_placeholder(org, at):
    return {}
