"""The compliance of a subtree for a period, kept for the day (the big screen's quarter).

The compliance statement costs a district about 150 ms (docs/benchmarks.md) and its answer
changes only when a meeting, a plan item or a rule override is written, or when the day
turns (a plan date passes, a period ends). So `summary_for_day` keeps the counts it needs in
one `ComplianceSummary` row per organization and period, stamped with the day: a read is
one statement; the first read of a day (or after a write) runs the statement and upserts
the row. Every write of a meeting, plan item or override deletes the rows of the
organization and of every organization above it (`forget`, one statement, in the writer's
transaction; signals, so the services, the admin and the loaders all pass through it).
Organizations changing (founded, dissolved, a committee elected, a group's first member)
are seen the next day, or at the next meeting written in the subtree.
"""

from django.db import connection
from django.db.models.signals import post_delete, post_save

from .compliance import CODES, LATE, MET, MISSED, PENDING, compliance
from .models import ComplianceSummary, Meeting, PlanItem, RuleOverride


def summarize(result):
    """The counts the screen shows: per rule code [met, pending, late, missed], the
    organizations some rule binds and those with nothing late or missed."""
    by_rule = result.by_rule()
    bound = [row for row in result.statuses.values() if any(row)]
    return {
        "by_rule": {
            code: [
                by_rule[code][MET],
                by_rule[code][PENDING],
                by_rule[code][LATE],
                by_rule[code][MISSED],
            ]
            for code in CODES
        },
        "bound": len(bound),
        "compliant": sum(1 for row in bound if not any(s in (LATE, MISSED) for s in row)),
    }


def summary_for_day(org, start, end, today):
    """`summarize(compliance([org], start, end, today))`, from the day's row when there is
    one (1 statement), else counted and stored (1 + the compliance statements + 1)."""
    row = (
        ComplianceSummary.objects.filter(organization=org, start=start, end=end, day=today)
        .values_list("summary", flat=True)
        .first()
    )
    if row is not None:
        return row
    summary = summarize(compliance([org], start, end, today))
    ComplianceSummary.objects.bulk_create(
        [ComplianceSummary(organization=org, start=start, end=end, day=today, summary=summary)],
        update_conflicts=True,
        unique_fields=["organization", "start", "end"],
        update_fields=["day", "summary"],
    )
    return summary


def forget(org_id=None):
    """Delete the rows of `org_id` and of the organizations above it (all rows when None)."""
    table = ComplianceSummary._meta.db_table
    with connection.cursor() as cursor:
        if org_id is None:
            cursor.execute(f"DELETE FROM {table}")
            return
        cursor.execute(
            f"DELETE FROM {table} WHERE EXISTS (SELECT 1 FROM orgs_organization a "
            f"JOIN orgs_organization m ON m.id = %s "
            f"WHERE a.id = {table}.organization_id AND m.path LIKE a.path || '%%')",
            [org_id],
        )


def _on_write(sender, instance, **kwargs):
    org_id = getattr(instance, "organization_id", None)
    if org_id is None:
        return
    forget(None if sender is RuleOverride else org_id)


def connect():
    for model in (Meeting, PlanItem, RuleOverride):
        for signal in (post_save, post_delete):
            signal.connect(
                _on_write, sender=model, dispatch_uid=f"compliance_cache.{model.__name__}"
            )
