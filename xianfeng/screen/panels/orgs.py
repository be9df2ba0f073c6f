"""Panels of the organization side: members and organizations with their trend, stars and
the 软弱涣散 list, 三会一课 compliance this quarter."""

from datetime import date

from django.db.models import Count, Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xianfeng.assessment.models import Stage, StarRating
from xianfeng.meetings.compliance import CODES
from xianfeng.meetings.compliance_cache import summary_for_day
from xianfeng.meetings.rules import RULES
from xianfeng.orgs.stats import subtree_stats

from ..models import MonthlyFigure
from . import screen_panel

TREND_MONTHS = 12
WEAK_SHOWN = 6


def months_back(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


@screen_panel(
    "members",
    title=_("党员与组织"),
    template="screen/panels/members.html",
    link=lambda org: reverse("orgs:detail", args=[org.pk]),
    refresh=300,
)
def members_panel(org, at):
    """Totals from the per-organization counters (1 query) and the monthly rows (1 query);
    the month under way is today's totals."""
    stats = subtree_stats(org)
    this_month = at.today.replace(day=1)
    stored = dict(
        (month, (members, orgs))
        for month, members, orgs in MonthlyFigure.objects.filter(
            organization=org,
            month__gte=months_back(this_month, TREND_MONTHS - 1),
            month__lt=this_month,
        ).values_list("month", "members", "organizations")
    )
    stored[this_month] = (stats["members"], stats["organizations"])
    months = sorted(stored)
    return {
        "stats": stats,
        "chart": {
            "type": "trend",
            "labels": [f"{m.month}月" for m in months],
            "series": [
                {"name": str(_("党员")), "data": [stored[m][0] for m in months]},
                {"name": str(_("党组织")), "data": [stored[m][1] for m in months]},
            ],
        },
    }


@screen_panel(
    "stars",
    title=_("评星定级"),
    template="screen/panels/stars.html",
    link=lambda org: reverse("assessment:home") + f"?org={org.pk}",
    refresh=600,
)
def stars_panel(org, at):
    """The latest published year's stars of the subtree and its 软弱涣散 organizations
    (one row per branch, never per member): 3 queries."""
    ratings = StarRating.objects.filter(
        organization__path__startswith=org.path, assessment__round__stage=Stage.PUBLISHED
    )
    year = ratings.aggregate(year=Max("year"))["year"]
    counts = dict.fromkeys(range(5, 0, -1), 0)
    weak = []
    if year is not None:
        for stars, n in (
            ratings.filter(year=year).order_by().values_list("stars").annotate(n=Count("pk"))
        ):
            counts[stars] = n
        weak = list(
            ratings.filter(year=year, weak_and_lax=True)
            .order_by("organization__path")
            .values_list("organization__name", flat=True)[: WEAK_SHOWN + 1]
        )
    return {
        "year": year,
        "rows": [(stars, "★" * stars, n) for stars, n in counts.items()],
        "rated": sum(counts.values()),
        "weak": weak[:WEAK_SHOWN],
        "weak_more": len(weak) > WEAK_SHOWN,
        "chart": {
            "type": "stars",
            "labels": [f"{s}星" for s in counts],
            "data": list(counts.values()),
        },
    }


def quarter_of(day: date):
    first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    after = months_back(first, -3)
    return first, date.fromordinal(after.toordinal() - 1), (day.month - 1) // 3 + 1


@screen_panel(
    "meetings",
    title=_("本季度三会一课"),
    template="screen/panels/meetings.html",
    link=lambda org: reverse("meetings:compliance") + f"?org={org.pk}",
    refresh=600,
)
def meetings_panel(org, at):
    """The quarter's compliance counted once a day per organization (meetings'
    compliance_cache: 1 query; the first of the day, or after a meeting is written in the
    subtree, runs the compliance statement, the same the compliance page runs)."""
    start, end, quarter = quarter_of(at.today)
    summary = summary_for_day(org, start, end, at.today)
    labels = {rule.code: rule.label for rule in RULES}
    rows = []
    for code in CODES:
        met, pending, late, missed = summary["by_rule"][code]
        judged = met + late + missed
        if not judged and not pending:
            continue
        rows.append(
            {
                "label": labels[code],
                "met": met,
                "pending": pending,
                "behind": late + missed,
                "share": round(100 * met / judged) if judged else None,
            }
        )
    bound = summary["bound"]
    return {
        "quarter": f"{start.year}年第{quarter}季度",
        "share": round(100 * summary["compliant"] / bound) if bound else None,
        "bound": bound,
        "rows": rows,
    }
