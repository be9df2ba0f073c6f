"""On PostgreSQL the ledgers are partitioned by year, and a foreign key constraint cannot point
at a partitioned table's id (decision 0005): every model pointing at one declares
db_constraint=False. Checked on every database, so a new app finds out before PostgreSQL does."""

from django.apps import apps

from xianfeng.core.partitions import LEDGERS


def test_no_foreign_key_constraint_points_at_a_partitioned_ledger():
    tables = {ledger.table for ledger in LEDGERS}
    offenders = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.many_to_one
        and field.concrete
        and field.related_model._meta.db_table in tables
        and field.db_constraint
    ]
    assert offenders == [], "declare db_constraint=False: " + ", ".join(offenders)
