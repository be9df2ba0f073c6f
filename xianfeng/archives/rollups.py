"""Archive completeness from rollup rows (docs/decisions/0004-dashboard-rollups.md).

`ArchiveState` says, per active member, whether the file is complete; `ArchiveTally` holds,
per organization, its active direct members, the complete files and, per document, the
members lacking it. Both are counted by `completeness.file_states` (the one definition) and
re-counted per organization, under the organization's row lock, in the transaction of every
write that changes them: an item reviewed, a path set (archives.services) and every member
write (members.services.refresh_org_counts, through `core.rollups.members_changed`). The pages
read the subtree's tally rows in one statement and page the incomplete files in SQL; the
states of the members on the page are computed as before.
"""

from collections import defaultdict

from django.db import connection, transaction

from .models import ArchiveState, ArchiveTally

CHUNK = 500


def _counted(org_ids):
    """({member id: (org id, complete)}, {org id: {doc: [members, complete, missing]}})."""
    from xianfeng.members.models import Member

    from .completeness import file_states

    members = Member.objects.all()
    if org_ids is not None:
        members = members.filter(organization_id__in=org_ids)
    states = file_states(members)
    per_member = {}
    tallies = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for pk, state in states.items():
        per_member[pk] = (state.organization_id, state.complete)
        rows = tallies[state.organization_id]
        rows[""][0] += 1
        rows[""][1] += state.complete
        for r in state.missing:
            rows[r.doc][2] += 1
    return per_member, {org: dict(rows) for org, rows in tallies.items()}


def _write(org_ids, per_member, tallies):
    ArchiveState.objects.filter(organization_id__in=org_ids).delete()
    ArchiveState.objects.filter(pk__in=list(per_member)).delete()
    ArchiveState.objects.bulk_create(
        [
            ArchiveState(member_id=pk, organization_id=org, complete=complete)
            for pk, (org, complete) in per_member.items()
        ],
        batch_size=2000,
    )
    ArchiveTally.objects.filter(organization_id__in=org_ids).delete()
    ArchiveTally.objects.bulk_create(
        [
            ArchiveTally(organization_id=org, doc=doc, members=n, complete=done, missing=lack)
            for org, rows in tallies.items()
            for doc, (n, done, lack) in rows.items()
        ],
        batch_size=2000,
    )


def recount(org_ids, *, locked=False):
    """Re-count these organizations (inside the write's transaction), their rows locked first
    in pk order as members.services does."""
    from xianfeng.orgs.models import Organization

    org_ids = sorted({i for i in org_ids if i is not None})
    if not org_ids:
        return
    with transaction.atomic():
        if not locked:  # members.services has locked them already
            list(
                Organization.objects.select_for_update()
                .filter(pk__in=org_ids)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        _write(org_ids, *_counted(org_ids))


def refresh_all():
    """Count every organization again; returns the number of member states written."""
    from xianfeng.orgs.models import Organization

    written = 0
    with transaction.atomic():
        ArchiveState.objects.all().delete()
        ArchiveTally.objects.all().delete()
        ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            per_member, tallies = _counted(chunk)
            _write(chunk, per_member, tallies)
            written += len(per_member)
    return written


def drift(org_paths=None, *, fix=False):
    """[(org id, key, stored, actual)] for the subtrees at `org_paths` (None: all); with
    fix=True re-count the organizations that differ."""
    from xianfeng.accounts.scoping import path_q
    from xianfeng.orgs.models import Organization

    orgs = Organization.objects.order_by("pk")
    if org_paths is not None:
        orgs = orgs.filter(path_q("path", org_paths))
    ids = list(orgs.values_list("pk", flat=True))
    found = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        per_member, tallies = _counted(chunk)
        bad = set()
        stored = defaultdict(dict)
        for org, doc, *counts in ArchiveTally.objects.filter(organization_id__in=chunk).values_list(
            "organization_id", "doc", "members", "complete", "missing"
        ):
            if any(counts):
                stored[org][doc] = counts
        for org in chunk:
            want, have = tallies.get(org, {}), stored.get(org, {})
            for doc in sorted(want.keys() | have.keys()):
                if want.get(doc) != have.get(doc):
                    found.append((org, ("tally", doc), have.get(doc), want.get(doc)))
                    bad.add(org)
        states = {
            pk: (org, complete)
            for pk, org, complete in ArchiveState.objects.filter(
                organization_id__in=chunk
            ).values_list("member_id", "organization_id", "complete")
        }
        for pk in per_member.keys() | states.keys():
            want, have = per_member.get(pk), states.get(pk)
            if want != have:
                org = (want or have)[0]
                found.append((org, ("member", pk), have, want))
                bad.add(org)
        if fix and bad:
            with transaction.atomic():
                bad = sorted(bad)
                _write(bad, *_counted(bad))
    return found


# ---------------------------------------------------------------- reading


def subtree_tallies(orgs) -> dict:
    """{org id: completeness.OrgTally} over the subtree of each of `orgs`, one statement."""
    from xianfeng.orgs.models import Organization

    from .completeness import OrgTally
    from .rules import REQUIREMENTS

    names = {r.doc: r.name for r in REQUIREMENTS}
    out = {org.pk: OrgTally() for org in orgs}
    if not out:
        return out
    table = Organization._meta.db_table
    sql = (
        "SELECT b.id, t.doc, SUM(t.members), SUM(t.complete), SUM(t.missing) "
        f"FROM {table} b JOIN {table} o ON o.path LIKE b.path || '%%' "
        f"JOIN {ArchiveTally._meta.db_table} t ON t.organization_id = o.id "
        f"WHERE b.id IN ({', '.join(['%s'] * len(out))}) GROUP BY b.id, t.doc"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(out))
        for pk, doc, members, complete, missing in cursor.fetchall():
            tally = out[pk]
            if doc == "":
                tally.total, tally.complete = int(members), int(complete)
            elif missing:
                tally.missing[names.get(doc, doc)] = int(missing)
    for tally in out.values():
        tally.missing = dict(sorted(tally.missing.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def _register():
    from xianfeng.core.rollups import register_member_rollup

    register_member_rollup("archives", drift=drift, recount=recount)
