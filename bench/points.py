"""Points at city scale: ~24,000,000 ledger events for the bench city, and the TOP10 cases.

Generation is SQL only (the ORM would take hours): one INSERT … SELECT over the members
table × generate_series, 4–44 events per member (24 on average) across the twelve months
of BENCH_YEAR, rules drawn from the six automatic codes; then the rollup is built FROM THE
LEDGER with the same GROUP BY a test uses to check the app's rollup, and checked equal.
While loading, foreign-key triggers are off (session_replication_role = replica) and the
ledger's secondary indexes are dropped and rebuilt afterwards; the migration's schema is
what remains.
"""

import time

from django.db import connection, transaction

from xianfeng.demo.city_modules import (  # the same ledger and rollup SQL as gen_city
    CHECK_SQL,
    MONTHS_SQL,
    QUARTER_KEY,
    ROLLUP_SQL,
    YEAR_KEY,
    secondary_of,
)

from .timing import compare

BENCH_YEAR = 2025
SOURCE = "bench.event"
AUTO_CODES = (
    "meeting.attend",
    "request.solved",
    "service.activity",
    "project.finished",
    "study.hours",
    "volunteer.hours",
)
EVENTS_SQL = """
INSERT INTO points_pointevent (member_id, rule_id, rule_code, points, kind, booked_on,
    occurred_on, source_type, source_id, organization_id, note, created_at)
SELECT m.id, r.id, r.code, r.points, 'auto', e.day, e.day, %(source)s,
       (m.id::bigint * 64 + k)::text, m.organization_id, '',
       e.day + make_interval(secs => ((m.id * 7919 + k * 104729) %% 86400))
           - interval '8 hours'
FROM members_member m
CROSS JOIN LATERAL generate_series(1, 4 + m.id %% 41) AS k
CROSS JOIN LATERAL (
    SELECT (make_date(%(year)s, 1, 1) + ((m.id * 131 + k * 977) %% 365)::int) AS day
) e
JOIN bench_rules r ON r.idx = (m.id * 31 + k * 7) %% 6
"""
TABLES = ("points_pointevent", "points_pointtotal")


def _drop(cursor, table, constraints, indexes):
    for name, _ in constraints:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")


def _restore(cursor, table, constraints, indexes):
    for name, definition in constraints:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    for _, definition in indexes:
        cursor.execute(definition)


def event_count():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'points_pointevent'")
        estimate = cursor.fetchone()[0]
        if estimate > 1_000_000:
            return estimate
        cursor.execute("SELECT COUNT(*) FROM points_pointevent")
        return cursor.fetchone()[0]


def ensure_events(out=print):
    """Generate the year of events once (skipped when the ledger already holds them)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM points_pointevent WHERE source_type = %s LIMIT 1", [SOURCE])
        if cursor.fetchone():
            return None
        cursor.execute("SET work_mem = '512MB'")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET session_replication_role = replica")
        saved = {table: secondary_of(cursor, table) for table in TABLES}
        for table in TABLES:
            _drop(cursor, table, *saved[table])
        steps = Steps(out)
        cursor.execute(
            "CREATE TEMP TABLE bench_rules AS SELECT DISTINCT ON (code) "
            "(array_position(%s::text[], code) - 1) AS idx, id, code, points "
            "FROM points_pointrule WHERE code = ANY(%s) ORDER BY code, version DESC",
            [list(AUTO_CODES), list(AUTO_CODES)],
        )
        cursor.execute(EVENTS_SQL, {"source": SOURCE, "year": BENCH_YEAR})
        steps.done(f"ledger: {cursor.rowcount:,} events inserted")
        cursor.execute(MONTHS_SQL, [SOURCE])
        cursor.execute(ROLLUP_SQL.format(key=QUARTER_KEY), [f"{BENCH_YEAR}-%"])
        cursor.execute(ROLLUP_SQL.format(key=YEAR_KEY), [f"{BENCH_YEAR}-%"])
        steps.done("rollup (month, quarter, year) built from the ledger")
        for table in TABLES:
            _restore(cursor, table, *saved[table])
        cursor.execute("SET session_replication_role = DEFAULT")
        steps.done("indexes and constraints rebuilt")
    with connection.cursor() as cursor:
        # What autovacuum would do soon after such a load: statistics, and the visibility map
        # that lets the rank index be read without visiting the table.
        cursor.execute("VACUUM (ANALYZE) points_pointevent")
        cursor.execute("VACUUM (ANALYZE) points_pointtotal")
    steps.done("vacuumed and analyzed")
    out(f"  generation total {steps.total:.0f} s")
    steps.done(f"check: {check_rollup()} month totals differ from a GROUP BY of the ledger")
    return steps.timings


class Steps:
    def __init__(self, out):
        self.out, self.timings, self.last = out, {}, time.monotonic()
        self.total = 0.0

    def done(self, label):
        now = time.monotonic()
        self.timings[label] = now - self.last
        self.total += now - self.last
        self.last = now
        self.out(f"  {label}: {self.timings[label]:.0f} s")


def check_rollup():
    """Month rows that differ between the rollup and a GROUP BY over the ledger (want 0)."""
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '512MB'")
        cursor.execute(CHECK_SQL)
        return cursor.fetchone()[0]


def top10_cases(raw, orgs, reps):
    from xianfeng.points import rankings

    key = f"{BENCH_YEAR}-06"
    params = lambda org: [key, org.path + "%", *rankings._STATUSES, 10]  # noqa: E731
    for label in ("branch", "street", "district", "city"):
        org = orgs[label]
        yield compare(
            f"points TOP10 · {label}",
            lambda org=org: rankings.top(org, key, 10),
            lambda org=org: raw.fetch(rankings.TOP_SQL, params(org)),
            reps=reps,
            note=f"{org.name}, {key}",
        )
