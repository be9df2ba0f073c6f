"""积分 TOP10 of the month: the closed snapshot when the month is closed, else the ranking
read from the per-member period totals (points.rankings, one statement)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xianfeng.points import rankings
from xianfeng.points.periods import month_key

from . import screen_panel
from .requests import mask_name


@screen_panel(
    "points",
    title=_("本月积分TOP10"),
    template="screen/panels/points.html",
    link=lambda org: reverse("points:home") + f"?org={org.pk}",
    refresh=300,
)
def points_panel(org, at):
    key = month_key(at.today)
    snap = rankings.snapshot(org, key)
    places = rankings.snapshot_places(snap) if snap else rankings.top(org, key, 10)
    return {
        "month": f"{at.today.month}月",
        "rows": [
            {"rank": p.rank, "name": mask_name(p.member_name), "org": p.org_name, "total": p.total}
            for p in places[:10]
        ],
    }
