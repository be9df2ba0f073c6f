"""Core periodic jobs (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from xianfeng.core.management.commands.ledger_partitions import ensure_partitions


@db_periodic_task(crontab(month="12", day="1,15", hour="3", minute="30"))
def create_next_year_partitions():
    """In December, next year's partitions of the ledgers (PostgreSQL; nothing on SQLite)."""
    from django.db import connection

    from xianfeng.core import partitions

    if partitions.enabled(connection):
        return ensure_partitions()
    return None
