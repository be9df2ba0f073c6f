"""Issue 19 §5: the ledgers are partitioned by year on PostgreSQL (decision 0005).

Rows land in the partition of their (local) year, a missing year is added with the rows that
waited in DEFAULT, an old year leaves the live table in one command (dumped with --archive),
and the audit chain still verifies across partitions and after its oldest year has left.
"""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection

from xianfeng.core import audit, partitions
from xianfeng.core.models import AuditLog
from xianfeng.points import services as point_services
from xianfeng.points.models import PointEvent
from xianfeng.points.tests.factories import make_rule
from xianfeng.testing import needs_pg

pytestmark = [pytest.mark.django_db, needs_pg]
AUDIT = partitions.BY_TABLE["core_auditlog"]
EVENTS = partitions.BY_TABLE["points_pointevent"]


def where(table, pk):
    """The partition that holds row `pk` of `table`."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def verify():
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, err.getvalue()
    return 0, out.getvalue()


def test_every_ledger_is_partitioned_by_year_with_a_default():
    this_year = date.today().year
    for ledger in partitions.LEDGERS:
        assert partitions.is_partitioned(ledger.table)
        assert {this_year, this_year + 1} <= set(partitions.years(ledger.table))
        names = [name for name, _bound in partitions.partitions(ledger.table)]
        assert partitions.default_name(ledger.table) in names


def test_rows_land_in_the_partition_of_their_local_year(world):
    with time_machine.travel("2026-12-31 23:30 +0800", tick=False):
        late = audit.record("test.partition", world.member, actor=world.users["admin"])
    with time_machine.travel("2027-01-01 00:30 +0800", tick=False):
        # 2026-12-31 16:30 in UTC, but 2027 for a user in Beijing.
        early = audit.record("test.partition", world.member, actor=world.users["admin"])
    assert where("core_auditlog", late.pk) == "core_auditlog_y2026"
    assert where("core_auditlog", early.pk) == "core_auditlog_y2027"
    assert verify()[0] == 0


def test_a_point_event_books_into_its_year_and_reads_back(world):
    rule = make_rule("test.partition")
    with time_machine.travel("2026-05-04 10:00 +0800", tick=False):
        event = point_services.award_points(
            world.member, rule, token="partition-1", actor=world.users["admin"]
        )
        again = point_services.award_points(
            world.member, rule, token="partition-1", actor=world.users["admin"]
        )
        reversal = point_services.reverse_event(event, reason="测试", actor=world.users["admin"])
    assert again.pk == event.pk  # a double submit still books once
    assert where("points_pointevent", event.pk) == "points_pointevent_y2026"
    assert PointEvent.objects.get(pk=event.pk).reversed_by == reversal
    assert verify()[0] == 0


def test_a_missing_year_takes_its_rows_from_default(world):
    with time_machine.travel("2031-03-01 09:00 +0800", tick=False):
        row = audit.record("test.partition", world.member, actor=world.users["admin"])
    assert where("core_auditlog", row.pk) == "core_auditlog_default"
    out = StringIO()
    call_command("ledger_partitions", "--year", "2031", stdout=out)
    assert "core_auditlog_y2031" in out.getvalue()
    assert where("core_auditlog", row.pk) == "core_auditlog_y2031"
    assert AuditLog.objects.filter(pk=row.pk).exists() and verify()[0] == 0
    out = StringIO()
    call_command("ledger_partitions", "--year", "2031", stdout=out)
    assert "无需新增" in out.getvalue()  # a second run adds nothing


def test_the_current_year_cannot_be_detached():
    with pytest.raises(CommandError, match="往年"):
        call_command("ledger_partitions", "--detach", str(date.today().year))


@pytest.mark.django_db(transaction=True)
def test_an_old_year_is_detached_and_archived_in_one_command(tmp_path):
    # The chain starts in 2024 (rows without a target: the test needs them to be the oldest).
    with time_machine.travel("2024-06-01 09:00 +0800", tick=False):
        old = [audit.record("test.old", None, n=n) for n in range(3)]
        partitions.ensure_year(AUDIT, 2024)
        partitions.ensure_year(EVENTS, 2024)
    with time_machine.travel("2026-06-01 09:00 +0800", tick=False):
        new = [audit.record("test.new", None, n=n) for n in range(2)]
        assert verify()[0] == 0
        out = StringIO()
        call_command(
            "ledger_partitions", "--detach", "2024", "--archive", str(tmp_path), stdout=out
        )
    assert (tmp_path / "core_auditlog_y2024.dump").stat().st_size > 0
    assert (tmp_path / "points_pointevent_y2024.dump").exists()
    assert 2024 not in partitions.years("core_auditlog")
    assert not AuditLog.objects.filter(pk__in=[r.pk for r in old]).exists()
    assert AuditLog.objects.filter(pk__in=[r.pk for r in new]).count() == 2
    seam = AuditLog.objects.get(action="core.ledger_detached", data__table="core_auditlog")
    assert seam.data["last_seq"] == old[-1].seq and seam.data["rows"] == 3
    # The rest of the chain still proves itself from the recorded seam…
    code, output = verify()
    assert code == 0, output
    # …and a row taken from its start without that record is still found.
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("DELETE FROM core_auditlog WHERE id = %s", [new[0].pk])
        cursor.execute("SET session_replication_role = DEFAULT")
    assert verify()[0] == 1


def test_the_yearly_run_gives_a_past_year_loaded_in_bulk_its_partition(world):
    with time_machine.travel("2019-07-01 09:00 +0800", tick=False):
        row = audit.record("test.partition", world.member, actor=world.users["admin"])
    assert partitions.stray_years(AUDIT) == [2019]
    call_command("ledger_partitions", stdout=StringIO())
    assert where("core_auditlog", row.pk) == "core_auditlog_y2019"
    assert partitions.stray_years(AUDIT) == []


def test_the_december_job_adds_next_years_partitions():
    from xianfeng.core.tasks import create_next_year_partitions

    with time_machine.travel("2027-12-01 03:30 +0800", tick=False):
        added = create_next_year_partitions.call_local()
    assert "points_pointevent_y2028" in added
    assert all(2028 in partitions.years(ledger.table) for ledger in partitions.LEDGERS)
