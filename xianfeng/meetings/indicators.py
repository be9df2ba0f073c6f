"""The star rating's view of this app: the share of the rules met per organization, by year."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.core.events import indicator, member_input

from .compliance import LATE, MET, MISSED, compliance


@indicator("meetings.compliance", _("三会一课合规率"), unit="%")
def compliance_share(orgs, year):
    """{org id: share of its applicable rules met in `year`, in percent} (None when none apply).

    Rules still open (the current period of the current year) are not counted either way.
    """
    orgs = list(orgs)
    result = compliance(orgs, date(year, 1, 1), date(year, 12, 31), timezone.localdate())
    shares = {}
    for org in orgs:
        row = result.statuses.get(org.pk, ())
        judged = [s for s in row if s in (MET, LATE, MISSED)]
        shares[org.pk] = round(100 * judged.count(MET) / len(judged), 1) if judged else None
    return shares


REVIEW_SCORES = {"excellent": 100, "qualified": 80, "basic": 60, "unqualified": 0}


@member_input("review", _("民主评议"))
def review_score(members, year):
    """The 民主评议 grade of `year` as a score (优秀 100, 合格 80, 基本合格 60, 不合格 0);
    a member not yet reviewed has no score, so their assessment stays incomplete."""
    from .models import ReviewResult

    grades = dict(
        ReviewResult.objects.filter(member__in=members, year=year).values_list("member_id", "grade")
    )
    return {
        pk: REVIEW_SCORES[grades[pk]] if pk in grades else None
        for pk in members.values_list("pk", flat=True)
    }
