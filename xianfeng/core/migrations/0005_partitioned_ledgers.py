"""Partition the append-only ledgers by year on PostgreSQL (issue 19 §5, decision 0005).

Point events, request steps, audit rows, notices and deliveries become range-partitioned
tables (one partition per year with rows, this year and next, and DEFAULT). SQLite keeps
plain tables: nothing happens there.
"""

from django.db import migrations

from xianfeng.core import partitions


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for ledger in partitions.LEDGERS:
        partitions.partition_table(ledger, connection=schema_editor.connection)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for ledger in partitions.LEDGERS:
        partitions.unpartition_table(ledger, connection=schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_audit_chain"),
        ("points", "0005_reference_into_partitioned_ledger"),
        ("notices", "0005_reference_into_partitioned_ledger"),
        ("resident_requests", "0008_figures_rollup"),
    ]

    operations = [migrations.RunPython(partition, unpartition)]
