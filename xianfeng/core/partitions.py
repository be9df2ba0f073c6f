"""Partitioned ledgers (issue 19 §5, docs/decisions/0005-partitioned-ledgers.md).

On PostgreSQL the append-only, ever-growing tables are range-partitioned by the year of one
date or timestamp column: one partition per year (`<table>_y2026`) and a DEFAULT partition
for rows outside them. On SQLite they stay plain tables and everything here does nothing.

- `partition_table()` turns a plain table into a partitioned one (migration core 0005);
- `ensure_year()` adds a year (`manage.py ledger_partitions`, the December job);
- `detach_year()` takes a year out of the live table (`manage.py ledger_partitions --detach`).

PostgreSQL wants the partition key in every unique key: the primary key becomes (id, column)
and each unique constraint gets the column too. Foreign keys *to* a partitioned table would
need a unique key on the referenced column alone, so they are kept without a database
constraint (db_constraint=False); the services keep their integrity (the decision record).
"""

import re
import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection as default_connection


@dataclass(frozen=True)
class Ledger:
    table: str
    column: str
    timestamp: bool  # timestamptz (a local year's bounds) or date


LEDGERS = (
    Ledger("points_pointevent", "booked_on", timestamp=False),
    Ledger("resident_requests_requestevent", "at", timestamp=True),
    Ledger("core_auditlog", "at", timestamp=True),
    Ledger("notices_notice", "created_at", timestamp=True),
    Ledger("notices_delivery", "created_at", timestamp=True),
)
BY_TABLE = {ledger.table: ledger for ledger in LEDGERS}


class PartitionError(Exception):
    pass


def enabled(connection=None) -> bool:
    return (connection or default_connection).vendor == "postgresql"


def partition_name(table: str, year: int) -> str:
    return f"{table}_y{year}"


def default_name(table: str) -> str:
    return f"{table}_default"


def _bound(ledger: Ledger, year: int) -> str:
    """The first instant of `year` as a literal: a date, or local midnight of 1 January (the
    year a 先锋 user sees, not UTC's)."""
    if not ledger.timestamp:
        return f"'{year:04d}-01-01'"
    start = datetime(year, 1, 1, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return f"'{start.isoformat()}'"


def is_partitioned(table: str, connection=None) -> bool:
    connection = connection or default_connection
    if not enabled(connection):
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [table]
        )
        return cursor.fetchone() is not None


def partitions(table: str, connection=None) -> list[tuple[str, str]]:
    """(partition name, bound expression) of `table`, in name order."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s) "
            "ORDER BY c.relname",
            [table],
        )
        return cursor.fetchall()


def years(table: str, connection=None) -> list[int]:
    found = []
    for name, _bound_expr in partitions(table, connection):
        match = re.fullmatch(rf"{re.escape(table)}_y(\d{{4}})", name)
        if match:
            found.append(int(match.group(1)))
    return sorted(found)


def _add_key_column(columns: str, column: str) -> str:
    names = [c.strip().strip('"') for c in columns.split(",")]
    return columns if column in names else f"{columns}, {column}"


def _with_key_in_index(indexdef: str, column: str) -> str:
    """A unique index's definition with the partition key appended to its columns."""
    start = indexdef.index(" USING ")
    open_at = indexdef.index("(", start)
    depth = 0
    for pos in range(open_at, len(indexdef)):
        depth += {"(": 1, ")": -1}.get(indexdef[pos], 0)
        if depth == 0:
            break
    columns = indexdef[open_at + 1 : pos]
    return indexdef[: open_at + 1] + _add_key_column(columns, column) + indexdef[pos:]


def partition_table(ledger: Ledger, *, connection=None, extra_years=1) -> None:
    """Turn the plain table into a partitioned one, rows and all, in the caller's transaction.

    Indexes, constraints, foreign keys out of the table and triggers are read from the
    catalogue and made again on the partitioned table (unique ones with the key column
    added); the id keeps its sequence. Partitions: every year that has rows, the current
    year and `extra_years` more, and DEFAULT (`ledger_partitions` splits a year out of it
    once rows of that year arrive)."""
    connection = connection or default_connection
    if not enabled(connection) or is_partitioned(ledger.table, connection):
        return
    table, column = ledger.table, ledger.column
    old = f"{table}__plain"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE confrelid = to_regclass(%s) AND contype = 'f'",
            [table],
        )
        incoming = cursor.fetchall()
        if incoming:
            raise PartitionError(
                f"{table}: foreign keys point at it ({incoming}); declare them "
                "db_constraint=False first"
            )
        cursor.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = to_regclass(%s) AND contype IN ('p', 'u', 'f', 'c') ORDER BY conname",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid), x.indisunique FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = to_regclass(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) "
            "ORDER BY i.relname",
            [table],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal ORDER BY tgname",
            [table],
        )
        triggers = cursor.fetchall()
        cursor.execute(
            f"SELECT DISTINCT extract(year FROM {column}"
            + (" AT TIME ZONE %s" if ledger.timestamp else "")
            + f")::int FROM {table}",
            [settings.TIME_ZONE] if ledger.timestamp else [],
        )
        row_years = {int(y) for (y,) in cursor.fetchall() if y is not None}

        cursor.execute(f"ALTER TABLE {table} RENAME TO {old}")
        for name, _def in triggers:
            cursor.execute(f'DROP TRIGGER "{name}" ON {old}')
        for name, _def, _unique in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        for name, kind, _def in constraints:
            if kind != "p":
                cursor.execute(f'ALTER TABLE {old} DROP CONSTRAINT "{name}"')
        for name, kind, _def in constraints:
            if kind == "p":
                cursor.execute(f'ALTER TABLE {old} DROP CONSTRAINT "{name}"')
        # PostgreSQL 15 has no identity columns on partitioned tables: an owned sequence.
        cursor.execute(
            "SELECT attidentity FROM pg_attribute WHERE attrelid = to_regclass(%s) "
            "AND attname = 'id'",
            [old],
        )
        if cursor.fetchone()[0]:
            cursor.execute(f"ALTER TABLE {old} ALTER COLUMN id DROP IDENTITY")
        else:
            cursor.execute(f"ALTER TABLE {old} ALTER COLUMN id DROP DEFAULT")
            cursor.execute(f"DROP SEQUENCE IF EXISTS {table}_id_seq")

        cursor.execute(
            f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING STORAGE "
            f"INCLUDING COMMENTS) PARTITION BY RANGE ({column})"
        )
        cursor.execute(f"CREATE SEQUENCE {table}_id_seq OWNED BY {table}.id")
        cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{table}_id_seq')")
        cursor.execute(
            f'ALTER TABLE {table} ADD CONSTRAINT "{table}_pkey" PRIMARY KEY (id, {column})'
        )
        this_year = datetime.now(zoneinfo.ZoneInfo(settings.TIME_ZONE)).year
        wanted = row_years | set(range(this_year, this_year + extra_years + 1))
        for year in sorted(wanted):  # a year without rows in between waits in DEFAULT
            _create_partition(cursor, ledger, year)
        cursor.execute(f"CREATE TABLE {default_name(table)} PARTITION OF {table} DEFAULT")
        cursor.execute(f"INSERT INTO {table} SELECT * FROM {old}")
        cursor.execute(
            f"SELECT setval('{table}_id_seq', COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
        )

        for name, kind, definition in constraints:
            if kind == "u":
                columns = re.fullmatch(r"UNIQUE \((.*)\)(.*)", definition)
                definition = (
                    f"UNIQUE ({_add_key_column(columns.group(1), column)}){columns.group(2)}"
                )
            elif kind == "f" and re.search(rf"REFERENCES {table}\(", definition):
                continue  # a reference inside the ledger: kept by the services
            elif kind == "p":
                continue
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition, unique in indexes:
            if unique:
                definition = _with_key_in_index(definition, column)
            cursor.execute(definition.replace(f" ON public.{old} ", f" ON public.{table} "))
        for _name, definition in triggers:
            cursor.execute(definition.replace(f" ON public.{old} ", f" ON public.{table} "))
        cursor.execute(f"DROP TABLE {old}")


def unpartition_table(ledger: Ledger, *, connection=None) -> None:
    """The reverse (migrating back): a plain table with the rows of every attached partition.

    Unique keys keep the partition column (they were widened); a full rebuild of the original
    schema is what migrating further back does."""
    connection = connection or default_connection
    if not enabled(connection) or not is_partitioned(ledger.table, connection):
        return
    table = ledger.table
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {table}__rows AS SELECT * FROM {table}")
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}__parted")
        cursor.execute(
            f"CREATE TABLE {table} (LIKE {table}__parted INCLUDING ALL EXCLUDING INDEXES)"
        )
        cursor.execute(f"INSERT INTO {table} SELECT * FROM {table}__rows")
        cursor.execute(f"ALTER TABLE {table} ADD PRIMARY KEY (id)")
        cursor.execute(f"DROP TABLE {table}__rows")
        cursor.execute(f"ALTER SEQUENCE {table}_id_seq OWNED BY {table}.id")
        cursor.execute(f"DROP TABLE {table}__parted CASCADE")


def _create_partition(cursor, ledger: Ledger, year: int) -> None:
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {partition_name(ledger.table, year)} PARTITION OF "
        f"{ledger.table} FOR VALUES FROM ({_bound(ledger, year)}) TO ({_bound(ledger, year + 1)})"
    )


def ensure_year(ledger: Ledger, year: int, *, connection=None) -> bool:
    """Add the partition of `year`; rows of that year already in DEFAULT move into it.
    Returns False when it was there already (or on SQLite)."""
    connection = connection or default_connection
    if not is_partitioned(ledger.table, connection) or year in years(ledger.table, connection):
        return False
    table, column = ledger.table, ledger.column
    default = default_name(table)
    where = f"{column} >= {_bound(ledger, year)} AND {column} < {_bound(ledger, year + 1)}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {default} WHERE {where})")
        if not cursor.fetchone()[0]:
            _create_partition(cursor, ledger, year)
            return True
        # Strays in DEFAULT would violate the new partition's bounds: take DEFAULT out,
        # move that year's rows (the append-only triggers would refuse the DELETE), put it back.
        # Deferred foreign-key checks of this transaction would block the ALTERs: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {table} DETACH PARTITION {default}")
        _create_partition(cursor, ledger, year)
        cursor.execute(f"INSERT INTO {table} SELECT * FROM {default} WHERE {where}")
        cursor.execute(f"ALTER TABLE {default} DISABLE TRIGGER USER")
        cursor.execute(f"DELETE FROM {default} WHERE {where}")
        cursor.execute(f"ALTER TABLE {default} ENABLE TRIGGER USER")
        cursor.execute(f"ALTER TABLE {table} ATTACH PARTITION {default} DEFAULT")
    return True


def stray_years(ledger: Ledger, *, connection=None) -> list[int]:
    """Local years of the rows waiting in DEFAULT (a year nobody created a partition for)."""
    connection = connection or default_connection
    if not is_partitioned(ledger.table, connection):
        return []
    local = f"{ledger.column} AT TIME ZONE %s" if ledger.timestamp else ledger.column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT extract(year FROM {local})::int FROM {default_name(ledger.table)}",
            [settings.TIME_ZONE] if ledger.timestamp else [],
        )
        return sorted(int(year) for (year,) in cursor.fetchall() if year is not None)


def detach_year(ledger: Ledger, year: int, *, connection=None) -> str:
    """Take `year` out of the live table; it stays as the plain table returned (to dump or
    drop). The audit chain records where the remaining rows start (verify_audit)."""
    connection = connection or default_connection
    if not is_partitioned(ledger.table, connection):
        raise PartitionError(f"{ledger.table} 未分区（仅 PostgreSQL 支持按年分区）")
    if year not in years(ledger.table, connection):
        raise PartitionError(f"{ledger.table} 没有 {year} 年的分区")
    name = partition_name(ledger.table, year)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {ledger.table} DETACH PARTITION {name}")
    return name
