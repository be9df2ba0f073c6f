"""The star rating's view of this app: the share of the rules met per organization, by year."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.core.events import indicator

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
