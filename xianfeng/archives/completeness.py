"""Completeness of member files, per member and rolled up per organization, in two queries.

Query 1 reads the active members in scope with their joined date, category, whether they came
in from outside the system (an inbound transfer's membership record) and any path set on
their archive. Query 2 reads
which documents are accepted. Everything else is arithmetic in Python.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from xianfeng.members.models import INBOUND_REASON, Category, Member

from .models import ArchiveItem, ItemStatus
from .rules import derive_path, required_docs


@dataclass
class FileState:
    member_id: int
    organization_id: int
    org_path: str
    path: str
    required: list
    missing: list

    @property
    def complete(self):
        return not self.missing


@dataclass
class OrgTally:
    total: int = 0
    complete: int = 0
    missing: dict = field(default_factory=dict)  # doc name → members lacking it

    @property
    def incomplete(self):
        return self.total - self.complete

    @property
    def share(self):
        return round(100 * self.complete / self.total, 1) if self.total else None


def file_states(members, *, accepted_before=None) -> dict[int, FileState]:
    """{member id: FileState} for `members` (a Member queryset, already scoped)."""
    rows = list(
        members.active()
        .annotate(
            inbound=Count("memberships", filter=Q(memberships__reason__startswith=INBOUND_REASON))
        )
        .order_by()
        .values_list(*_COLUMNS)
    )
    accepted = ArchiveItem.objects.filter(
        status=ItemStatus.ACCEPTED, archive__member__in=members.active().values("pk")
    )
    if accepted_before is not None:
        accepted = accepted.filter(reviewed_at__lt=accepted_before)
    have = {}
    for member_id, doc in accepted.values_list("archive__member_id", "doc").distinct():
        have.setdefault(member_id, set()).add(doc)
    states = {}
    for pk, org_id, org_path, joined_on, category, set_path, inbound in rows:
        path = set_path or derive_path(joined_on, inbound > 0)
        required = required_docs(path, category == Category.FULL)
        done = have.get(pk, set())
        missing = [r for r in required if r.doc not in done]
        states[pk] = FileState(pk, org_id, org_path, path, required, missing)
    return states


_COLUMNS = (
    "pk",
    "organization_id",
    "organization__path",
    "joined_on",
    "category",
    "archive__path",
    "inbound",
)


def tally_by_org(states, orgs) -> dict[int, OrgTally]:
    """Roll member states up to every organization in `orgs` (its whole subtree counts)."""
    wanted = {org.path: org.pk for org in orgs}
    steplen = next(iter(orgs)).steplen if wanted else 4
    tallies = {pk: OrgTally() for pk in wanted.values()}
    for state in states.values():
        path = state.org_path
        for end in range(steplen, len(path) + 1, steplen):
            org_id = wanted.get(path[:end])
            if org_id is None:
                continue
            tally = tallies[org_id]
            tally.total += 1
            tally.complete += state.complete
            for r in state.missing:
                tally.missing[r.name] = tally.missing.get(r.name, 0) + 1
    for tally in tallies.values():
        tally.missing = dict(sorted(tally.missing.items(), key=lambda kv: (-kv[1], kv[0])))
    return tallies


def member_state(member) -> FileState:
    return file_states(Member.objects.filter(pk=member.pk)).get(member.pk)
