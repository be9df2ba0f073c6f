"""The computed indicators this app measures itself from apps already on main (dues,
development); meetings, requests, points and archives register theirs in their own apps.
"""

from datetime import date

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.core.events import indicator
from xianfeng.development.models import DevelopmentStep
from xianfeng.development.rules import BRANCH_ADMITS
from xianfeng.dues.models import DuesPayment
from xianfeng.dues.services import bases_by_member, first_liable_month, month_start
from xianfeng.members.models import Member


def months_over(year):
    """The first day after the months of `year` that are over (the current month is not)."""
    return min(date(year + 1, 1, 1), month_start(timezone.localdate()))


def liable_months(member, bases, year, cutoff):
    start = first_liable_month(member, bases)
    if start is None:
        return 0
    first = max(start, date(year, 1, 1))
    if first >= cutoff:
        return 0
    return (cutoff.year - first.year) * 12 + cutoff.month - first.month


@indicator("dues.collection", _("党费收缴率"), unit="%")
def dues_collection(orgs, year):
    """Share of the member-months over in `year` that are paid, per organization (3 queries).

    Active members counted where they belong now; an organization without a liable member-month
    has no value.
    """
    cutoff = months_over(year)
    members = list(Member.objects.active().filter(organization__in=orgs))
    bases = bases_by_member([m.pk for m in members])
    paid = dict(
        DuesPayment.objects.filter(
            member__in=members, month__gte=date(year, 1, 1), month__lt=cutoff
        )
        .values("member_id")
        .annotate(n=Count("pk"))
        .values_list("member_id", "n")
    )
    due, done = {}, {}
    for m in members:
        months = liable_months(m, bases[m.pk], year, cutoff)
        due[m.organization_id] = due.get(m.organization_id, 0) + months
        done[m.organization_id] = done.get(m.organization_id, 0) + min(paid.get(m.pk, 0), months)
    return {org_id: done[org_id] * 100 / months for org_id, months in due.items() if months}


@indicator("members.development", _("发展党员人数"), unit="人")
def members_developed(orgs, year):
    """People the branch meeting admitted as probationary members in `year` (one query)."""
    counts = dict(
        DevelopmentStep.objects.filter(
            step=BRANCH_ADMITS, done_on__year=year, development__organization__in=orgs
        )
        .values("development__organization")
        .annotate(n=Count("pk"))
        .values_list("development__organization", "n")
    )
    return {org.pk: counts.get(org.pk, 0) for org in orgs}
