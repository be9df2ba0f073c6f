"""Reminders and the street overview: grouped queries, a fixed number per page."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from xianfeng.orgs.models import Committee, CommitteeStatus, Organization, OrgKind, OrgStatus
from xianfeng.orgs.services import terms_due

from .models import Election, ElectionStatus
from .rules import REMINDER_MONTHS, add_months


@dataclass
class DueRow:
    committee: Committee
    overdue: bool
    election: Election | None


def due_terms(orgs_qs, today: date) -> list[DueRow]:
    """Current committees ending within 6 months or overdue, each with its renewal (if any).

    An election counts when it renews that very committee; an older one is history.
    """
    horizon = (add_months(today, REMINDER_MONTHS) - today).days
    committees = list(terms_due(orgs_qs, today, within_days=horizon))
    renewals = latest_renewals([c.pk for c in committees])
    return [DueRow(c, c.ends_on < today, renewals.get(c.pk)) for c in committees]


def latest_renewals(committee_ids) -> dict:
    found = {}
    for election in Election.objects.filter(committee_id__in=committee_ids).order_by("-id"):
        found.setdefault(election.committee_id, election)
    return found


@dataclass
class OverviewRow:
    org: object
    committee: Committee | None
    election: Election | None


NOT_STARTED = "not_started"


def street_overview(street, year: int):
    """Every branch / general branch / committee below `street` with this year's election.

    Three queries: the organizations, their current committees, the year's elections.
    """
    orgs = list(
        Organization.objects.get_descendants(street)
        .filter(status=OrgStatus.ACTIVE)
        .exclude(kind=OrgKind.GROUP)
        .order_by("path")
    )
    ids = [o.pk for o in orgs]
    committees = {
        c.organization_id: c
        for c in Committee.objects.filter(organization_id__in=ids, status=CommitteeStatus.CURRENT)
    }
    elections = {}
    for election in Election.objects.filter(
        organization_id__in=ids, planned_on__year=year
    ).order_by("-planned_on", "-id"):
        elections.setdefault(election.organization_id, election)
    rows = [OverviewRow(o, committees.get(o.pk), elections.get(o.pk)) for o in orgs]
    counts = Counter(row.election.status if row.election else NOT_STARTED for row in rows)
    statuses = [(value, label, counts.get(value, 0)) for value, label in ElectionStatus.choices]
    return rows, statuses, counts.get(NOT_STARTED, 0)
