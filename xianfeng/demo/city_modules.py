"""Every module of the synthetic city (issue 19 §1): meetings with attendance, the points
ledger with its rollup, resident requests with steps, grids and households, dues, archives,
transfers, developments, tasks, courses and study records.

Each module is one or a few INSERT … SELECT statements over the city's organizations and
members (deterministic: ids and `setseed`), so Python's memory stays flat whatever the size;
the database does the work, one transaction per module. Rows that a page aggregates are
written with their rollups in the same step (points: PointTotal month/quarter/year built from
the ledger and checked equal; members: the org counts). Encrypted columns are written empty
('' is stored as '' by EncryptedField), so no plain personal data reaches the disk.

Volumes per 100,000 members (`--small`), all proportional to the member count:
  meetings   one year of theme days, committee, group, assembly, lecture, life and review
             meetings for every branch and group; attendance for every member of the
             theme days, assemblies and group meetings (~1.7M rows)
  points     4–44 ledger events per member (~2.4M), rollup month/quarter/year
  requests   2 per member (200,000) through the street grids, 3 steps each
  grid       one community grid per street, one grid per branch, 20 households per grid
  dues       a basis per member and 12 monthly payments (the last two months partly unpaid)
  archives   one file per member (except 1 in 10), 1–3 items
  transfers  1 in 100 members, developments 1 per 20 members (with steps), key tasks per
             street and district, brand plans per street, 40 courses, 2 study records per member
"""

import time
from datetime import date

from django.db import connection, transaction

YEAR = 2026  # meetings, dues, requests (bench/meetings.py reads the same year)
POINTS_YEAR = 2025  # bench/points.py reads this year
POINTS_SOURCE = "bench.event"
HOUSEHOLDS_PER_GRID = 20
EXISTS = "已有 exists"


def _run(cursor, sql, params=None):
    cursor.execute(sql, params or {})
    return max(cursor.rowcount, 0)


# ---------------------------------------------------------------- meetings

_MONTHLY = "generate_series(1, 12) AS m"
_QUARTERLY = "generate_series(1, 4) AS q(m0), LATERAL (SELECT q.m0 * 3 - 1 AS m) mm"
_YEARLY = "(VALUES (12)) AS y(m)"
MEETING_PLAN = (
    ("theme_day", _MONTHLY, 0.06, "o.kind = 'branch'"),
    ("committee_meeting", _MONTHLY, 0.08, "o.kind = 'branch' AND c.organization_id IS NOT NULL"),
    ("group_meeting", _MONTHLY, 0.08, "o.kind = 'group'"),
    ("general_assembly", _QUARTERLY, 0.05, "o.kind = 'branch'"),
    ("party_lecture", _QUARTERLY, 0.08, "o.kind = 'branch'"),
    ("life_meeting", _YEARLY, 0.10, "o.kind = 'branch'"),
    ("democratic_review", _YEARLY, 0.10, "o.kind = 'branch'"),
)
MEETINGS_SQL = """
INSERT INTO meetings_meeting (organization_id, kind, local_kind, topic, starts_at, held_on,
    month_index, place, lecturer_name, given_by_secretary, status, minutes, resolutions,
    created_at)
SELECT o.id, %(kind)s, '', %(topic)s, d.day + time '14:30' - interval '8 hours', d.day,
       {year} * 12 + m - 1, '党员活动室', '', %(kind)s = 'party_lecture' AND m = 5,
       CASE WHEN d.day > current_date THEN 'planned' ELSE 'held' END, '', '', now()
FROM orgs_organization o
LEFT JOIN (SELECT DISTINCT organization_id FROM orgs_committee WHERE status = 'current') c
       ON c.organization_id = o.id
CROSS JOIN {series}
CROSS JOIN LATERAL (SELECT make_date({year}, m, (1 + (o.id * 7 + m) %% 25)::int) AS day) d
WHERE o.path LIKE %(prefix)s AND o.status = 'active' AND {orgs}
  AND random() >= CASE WHEN o.id %% 10 = 3 THEN 0.33 ELSE %(skip)s END
"""
# Branch-wide meetings invite the branch's own members and those of its groups (a group's path
# is its branch's plus one step); group meetings invite the group.
MEMBER_BRANCH_SQL = """
CREATE TEMP TABLE gc_member_branch AS
SELECT m.id AS member_id, m.organization_id, b.id AS branch_id
FROM members_member m JOIN orgs_organization mo ON mo.id = m.organization_id
JOIN orgs_organization b ON b.path = CASE WHEN mo.kind = 'group'
     THEN left(mo.path, length(mo.path) - 4) ELSE mo.path END
WHERE mo.path LIKE %(prefix)s AND m.status = 'normal';
CREATE INDEX ON gc_member_branch (branch_id);
CREATE INDEX ON gc_member_branch (organization_id);
ANALYZE gc_member_branch
"""
ATTENDANCE_SQL = """
INSERT INTO meetings_attendance (meeting_id, member_id, status, reason, method, signed_in_at)
SELECT mt.id, mb.member_id,
       CASE WHEN mt.status = 'planned' THEN 'invited'
            WHEN (mb.member_id + mt.id) %% 17 = 0 THEN 'leave'
            WHEN (mb.member_id + mt.id) %% 23 = 0 THEN 'absent' ELSE 'present' END,
       CASE WHEN mt.status <> 'planned' AND (mb.member_id + mt.id) %% 17 = 0
            THEN '工作原因' ELSE '' END,
       CASE WHEN (mb.member_id + mt.id) %% 3 = 0 THEN 'organizer' ELSE 'qr' END,
       CASE WHEN mt.status = 'held' AND (mb.member_id + mt.id) %% 17 <> 0
                 AND (mb.member_id + mt.id) %% 23 <> 0 THEN mt.starts_at END
FROM meetings_meeting mt
JOIN gc_member_branch mb ON mb.{column} = mt.organization_id
WHERE mt.kind IN {kinds}
"""


BRANCH_WIDE = "('theme_day', 'general_assembly')"


def meetings(cursor, root):
    if _exists(cursor, "meetings_meeting", root):
        return EXISTS
    cursor.execute("SELECT setseed(0.5)")
    n = 0
    for kind, series, skip, orgs in MEETING_PLAN:
        sql = MEETINGS_SQL.format(year=YEAR, series=series, orgs=orgs)
        n += _run(
            cursor, sql, {"kind": kind, "topic": kind, "prefix": root.path + "%", "skip": skip}
        )
    a = 0
    for sub in _districts(cursor, root):
        cursor.execute(MEMBER_BRANCH_SQL, {"prefix": sub + "%"})
        a += _run(cursor, ATTENDANCE_SQL.format(column="branch_id", kinds=BRANCH_WIDE))
        a += _run(
            cursor, ATTENDANCE_SQL.format(column="organization_id", kinds="('group_meeting')")
        )
        cursor.execute("DROP TABLE gc_member_branch")
    return f"{n:,} meetings, {a:,} attendance"


# ---------------------------------------------------------------- points

POINT_CODES = (
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
JOIN orgs_organization o ON o.id = m.organization_id AND o.path LIKE %(prefix)s
CROSS JOIN LATERAL generate_series(1, 4 + m.id %% 41) AS k
CROSS JOIN LATERAL (
    SELECT (make_date(%(year)s, 1, 1) + ((m.id * 131 + k * 977) %% 365)::int) AS day
) e
JOIN bench_rules r ON r.idx = (m.id * 31 + k * 7) %% 6
"""
MONTHS_SQL = """
INSERT INTO points_pointtotal (member_id, period, total, deducted, reached_at)
SELECT member_id, to_char(booked_on, 'YYYY-MM'), SUM(points),
       SUM(GREATEST(-points, 0)), MAX(created_at)
FROM points_pointevent WHERE source_type = %s GROUP BY member_id, to_char(booked_on, 'YYYY-MM')
"""
ROLLUP_SQL = """
INSERT INTO points_pointtotal (member_id, period, total, deducted, reached_at)
SELECT member_id, {key}, SUM(total), SUM(deducted), MAX(reached_at)
FROM points_pointtotal WHERE period ~ '^[0-9]{{4}}-[0-9]{{2}}$' AND period LIKE %s
GROUP BY member_id, {key}
"""
QUARTER_KEY = "substr(period, 1, 4) || '-Q' || ((substr(period, 6, 2)::int + 2) / 3)"
YEAR_KEY = "substr(period, 1, 4)"
CHECK_SQL = """
SELECT COUNT(*) FROM (
  SELECT member_id, to_char(booked_on, 'YYYY-MM') AS period, SUM(points) AS total
  FROM points_pointevent GROUP BY 1, 2
) l FULL JOIN (SELECT member_id, period, total FROM points_pointtotal
               WHERE period ~ '^[0-9]{4}-[0-9]{2}$') t USING (member_id, period)
WHERE l.total IS DISTINCT FROM t.total
"""
POINT_TABLES = ("points_pointevent", "points_pointtotal")


def secondary_of(cursor, table):
    """(unique constraints, indexes) of `table` besides its primary key."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'u'",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
        "AND indexname NOT LIKE %s AND NOT indexname = ANY(%s)",
        [table, "%_pkey", [name for name, _ in constraints]],
    )
    # A partitioned ledger's index reads "ON ONLY <table>": made again that way it would
    # cover no partition (decision 0005).
    indexes = [(name, d.replace(" ON ONLY ", " ON ", 1)) for name, d in cursor.fetchall()]
    return constraints, indexes


def points(cursor, root, *, out=None):
    """The year of ledger events and the rollup built from it (then checked equal).

    On PostgreSQL the ledger's secondary indexes are dropped while loading and rebuilt after
    (foreign-key triggers off meanwhile); the migration's schema is what remains."""
    cursor.execute(
        "SELECT 1 FROM points_pointevent WHERE source_type = %s LIMIT 1", [POINTS_SOURCE]
    )
    if cursor.fetchone():
        return EXISTS
    postgres = connection.vendor == "postgresql"
    saved = {}
    if postgres:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL session_replication_role = replica")
        saved = {table: secondary_of(cursor, table) for table in POINT_TABLES}
        for table, (constraints, indexes) in saved.items():
            for name, _ in constraints:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
    cursor.execute("DROP TABLE IF EXISTS bench_rules")
    cursor.execute(
        "CREATE TEMP TABLE bench_rules AS SELECT DISTINCT ON (code) "
        "(array_position(%s::text[], code) - 1) AS idx, id, code, points "
        "FROM points_pointrule WHERE code = ANY(%s) ORDER BY code, version DESC",
        [list(POINT_CODES), list(POINT_CODES)],
    )
    n = 0
    for sub in _districts(cursor, root):
        n += _run(
            cursor, EVENTS_SQL, {"source": POINTS_SOURCE, "year": POINTS_YEAR, "prefix": sub + "%"}
        )
    cursor.execute(MONTHS_SQL, [POINTS_SOURCE])
    cursor.execute(ROLLUP_SQL.format(key=QUARTER_KEY), [f"{POINTS_YEAR}-%"])
    cursor.execute(ROLLUP_SQL.format(key=YEAR_KEY), [f"{POINTS_YEAR}-%"])
    for table, (constraints, indexes) in saved.items():
        for name, definition in constraints:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        for _, definition in indexes:
            cursor.execute(definition)
    if postgres:
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    cursor.execute(CHECK_SQL)
    drift = cursor.fetchone()[0]
    if drift:
        raise RuntimeError(f"积分汇总与流水不一致: {drift} 行")
    return f"{n:,} ledger events, rollup checked (0 drift)"


# ---------------------------------------------------------------- grid


def grid(cursor, root):
    from xianfeng.grid.models import Grid

    if Grid.objects.filter(code__startswith="GCG").exists():
        return EXISTS
    last = Grid.objects.get_last_root_node()
    first = int(last.path[: Grid.steplen], 36) + 1 if last else 1
    # A community grid per street (a root), a grid per branch below it.
    cursor.execute(
        """
        CREATE TEMP TABLE gc_streets AS
        SELECT o.id, o.path, o.name, row_number() OVER (ORDER BY o.path) + %s - 1 AS n
        FROM orgs_organization o
        WHERE o.path LIKE %s AND o.depth = %s
        """,
        [first, root.path + "%", root.depth + 2],
    )
    cursor.execute(
        """
        CREATE TEMP TABLE gc_branches AS
        SELECT b.id, b.name, s.id AS street_id, s.n AS street_n,
               row_number() OVER (PARTITION BY s.id ORDER BY b.path) AS n
        FROM orgs_organization b JOIN gc_streets s ON b.path LIKE s.path || '%%'
        WHERE b.kind = 'branch'
        """
    )
    cursor.execute(
        """
        CREATE OR REPLACE FUNCTION pg_temp.b36(n bigint) RETURNS text AS $$
          SELECT lpad(string_agg(substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ',
                   ((n / (36 ^ p)::bigint) % 36)::int + 1, 1), '' ORDER BY p DESC), 4, '0')
          FROM generate_series(0, 3) p
        $$ LANGUAGE sql IMMUTABLE
        """
    )
    streets = _run(
        cursor,
        """
        INSERT INTO grid_grid (path, depth, numchild, code, name, kind, address, created_at,
            updated_at, organization_id, scope_org_id)
        SELECT pg_temp.b36(s.n), 1, (SELECT COUNT(*) FROM gc_branches b WHERE b.street_id = s.id),
               'GCG' || s.id, replace(s.name, '街道党工委', '社区'), 'community', '',
               now(), now(), s.id, s.id
        FROM gc_streets s
        """,
    )
    grids = _run(
        cursor,
        """
        INSERT INTO grid_grid (path, depth, numchild, code, name, kind, address, created_at,
            updated_at, organization_id, scope_org_id)
        SELECT pg_temp.b36(b.street_n) || pg_temp.b36(b.n), 2, 0, 'GCG' || b.street_id || '-' || b.n,
               '第' || b.n || '网格', 'grid', '', now(), now(), b.id, b.id
        FROM gc_branches b
        """,
    )
    households = _run(
        cursor,
        """
        INSERT INTO grid_household (address, head_name, phone, size, is_party_household, note,
            created_at, updated_at, grid_id)
        SELECT (1 + h / 6) || '号楼' || (1 + h %% 3) || '单元' || (100 + h) || '室',
               '住户' || g.id || '-' || h, '', 1 + (g.id + h) %% 5, (g.id + h) %% 7 = 0, '',
               now(), now(), g.id
        FROM grid_grid g CROSS JOIN generate_series(1, %s) h
        WHERE g.code LIKE 'GCG%%' AND g.depth = 2
        """,
        [HOUSEHOLDS_PER_GRID],
    )
    visits = _run(
        cursor,
        """
        INSERT INTO grid_visit (visited_on, visitor_name, found, needs_follow_up, created_at,
            household_id)
        SELECT make_date(%s, (1 + h.id %% 12)::int, (1 + h.id %% 28)::int), '网格员', '情况正常',
               h.id %% 11 = 0, now(), h.id
        FROM grid_household h JOIN grid_grid g ON g.id = h.grid_id
        WHERE g.code LIKE 'GCG%%' AND h.id %% 2 = 0
        """,
        [YEAR],
    )
    cursor.execute("DROP TABLE gc_streets, gc_branches")
    return f"{streets:,} community grids, {grids:,} grids, {households:,} households, {visits:,} visits"


# ---------------------------------------------------------------- requests

REQUESTS_SQL = """
INSERT INTO resident_requests_residentrequest (
  tracking_code, secret, category_id, description, attributes, channel, grid_id,
  organization_id, address, resident_name, resident_phone, status, level, level_code,
  level_label, holder_org_id, owner_name, checklist, respond_due, finish_due, next_due,
  calendar_warning, responded_at, solved_at, closed_at, escalation_count, rating,
  rating_comment, created_at, updated_at, routed_at, waited_hours, media_url)
SELECT 'C' || lpad((g.id::bigint * 100000 + k)::text, 11, '0'), md5((g.id * 100000 + k)::text),
  cats[1 + (g.id + k) %% cardinality(cats)], '居民诉求', '{}', 'public', g.id,
  g.organization_id, '', '', '',
  CASE WHEN x %% 100 = 0 THEN 'new' WHEN x %% 100 < 10 THEN 'accepted'
       WHEN x %% 100 < 90 THEN 'solved' ELSE 'closed_unsolved' END,
  0, 'community', '社区', g.organization_id, '', '[]',
  created + interval '2 hours', created + interval '7 days',
  CASE WHEN x %% 100 = 0 THEN now() - interval '1 hour'
       WHEN x %% 100 < 10 THEN now() + interval '3 days' END,
  '', CASE WHEN x %% 100 > 0 THEN created + (x %% 20) * interval '1 hour' END,
  CASE WHEN x %% 100 BETWEEN 10 AND 89 THEN created + (x %% 10) * interval '1 day' END,
  CASE WHEN x %% 100 >= 10 THEN created + (x %% 10) * interval '1 day' END,
  (x %% 17 = 0)::int, CASE WHEN x %% 100 BETWEEN 10 AND 79 THEN 1 + x %% 5 END,
  '', created, created, created, 0, ''
FROM grid_grid g
JOIN LATERAL (SELECT COUNT(*) AS n FROM members_member m
              WHERE m.organization_id = g.organization_id) c ON true
CROSS JOIN LATERAL generate_series(1, GREATEST(2 * c.n, 1)) k
CROSS JOIN LATERAL (SELECT g.id * 7919 + k AS x) xx
CROSS JOIN LATERAL (SELECT now() - (x %% 365) * interval '1 day'
                          - (x %% 480) * interval '1 minute' AS created) t
CROSS JOIN (SELECT %(cats)s::bigint[] AS cats) a
WHERE g.code LIKE 'GCG%%' AND g.depth = 2
"""
STEPS_SQL = """
INSERT INTO resident_requests_requestevent (request_id, at, actor_name, action, status, level,
  level_label, note)
SELECT r.id, r.created_at + s.after, s.actor, s.action, s.status, 0, '社区', ''
FROM resident_requests_residentrequest r
CROSS JOIN LATERAL (VALUES
    ('submitted', 'new', interval '0', '居民'),
    ('accepted', 'accepted', interval '1 hour', '网格员'),
    ('solved', 'solved', interval '2 days', '网格员'),
    ('escalated', 'escalated', interval '3 hours', '系统')
) AS s(action, status, after, actor)
WHERE r.tracking_code LIKE 'C%%'
  AND (s.action = 'submitted'
       OR (s.action = 'accepted' AND r.status <> 'new')
       OR (s.action = 'solved' AND r.status = 'solved')
       OR (s.action = 'escalated' AND r.escalation_count = 1))
"""


def requests(cursor, root):
    from xianfeng.resident_requests.models import Category, ResidentRequest

    if ResidentRequest.objects.filter(tracking_code__startswith="C").exists():
        return EXISTS
    cats = list(Category.objects.filter(is_active=True).values_list("pk", flat=True))
    if not cats:
        from xianfeng.resident_requests.testing import make_category

        cats = [make_category(code="lamp", name="路灯维修").pk]
    n = _run(cursor, REQUESTS_SQL, {"cats": cats})
    s = _run(cursor, STEPS_SQL)
    return f"{n:,} requests, {s:,} steps"


# ---------------------------------------------------------------- dues

DUES_SQL = """
INSERT INTO dues_duesbasis (member_id, income_category, monthly_income, valid_from, set_at)
SELECT m.id, %(cat)s, 3000 + (m.id %% 50) * 200, make_date(%(year)s, 1, 1), now()
FROM members_member m JOIN orgs_organization o ON o.id = m.organization_id
WHERE o.path LIKE %(prefix)s AND m.status = 'normal';
INSERT INTO dues_duespayment (member_id, month, amount_due, amount_paid, paid_on, method,
    created_at)
SELECT m.id, make_date(%(year)s, mo, 1), amount, amount,
       make_date(%(year)s, mo, (1 + m.id %% 25)::int), CASE WHEN m.id %% 3 = 0 THEN 'bulk' ELSE 'self' END,
       now()
FROM members_member m JOIN orgs_organization o ON o.id = m.organization_id
CROSS JOIN generate_series(1, %(months)s) mo
CROSS JOIN LATERAL (SELECT round((3000 + (m.id %% 50) * 200) * 0.005, 2) AS amount) a
WHERE o.path LIKE %(prefix)s AND m.status = 'normal'
  AND NOT (mo >= %(months)s - 1 AND m.id %% 9 = 0)
"""


def dues(cursor, root):
    from xianfeng.dues.models import DuesPayment, IncomeCategory

    if DuesPayment.objects.filter(member__organization__path__startswith=root.path).exists():
        return EXISTS
    months = min(12, max(1, date.today().month if date.today().year == YEAR else 12))
    for sub in _districts(cursor, root):
        cursor.execute(
            DUES_SQL,
            {
                "cat": IncomeCategory.values[0],
                "year": YEAR,
                "months": months,
                "prefix": sub + "%",
            },
        )
    n = DuesPayment.objects.filter(member__organization__path__startswith=root.path).count()
    return f"{n:,} payments over {months} months"


# ---------------------------------------------------------------- archives

ARCHIVES_SQL = """
INSERT INTO archives_archive (member_id, path, created_at)
SELECT m.id, '', now()
FROM members_member m JOIN orgs_organization o ON o.id = m.organization_id
WHERE o.path LIKE %(prefix)s AND m.id %% 10 <> 7;
INSERT INTO archives_archiveitem (archive_id, doc, title, doc_date, pages, file, original_name,
    content_type, size, sha256, status, review_note, uploaded_at)
SELECT a.id, (%(docs)s::text[])[d], '', m.joined_on, 1 + a.id %% 4,
       'archives/' || m.id || '/' || md5(a.id || '-' || d) || '.pdf', 'scan.pdf',
       'application/pdf', 100000 + a.id %% 5000, md5(a.id || '-' || d),
       CASE WHEN (a.id + d) %% 5 = 0 THEN 'pending' WHEN (a.id + d) %% 13 = 0 THEN 'to_fix'
            ELSE 'accepted' END, '', now()
FROM archives_archive a JOIN members_member m ON m.id = a.member_id
JOIN orgs_organization o ON o.id = m.organization_id
CROSS JOIN LATERAL generate_series(1, 1 + a.id %% cardinality(%(docs)s::text[])) d
WHERE o.path LIKE %(prefix)s
"""


def archives(cursor, root):
    from xianfeng.archives.models import Archive, ArchiveItem
    from xianfeng.archives.rules import DOC_CHOICES

    if Archive.objects.filter(member__organization__path__startswith=root.path).exists():
        return EXISTS
    docs = [code for code, _ in DOC_CHOICES][:3]
    for sub in _districts(cursor, root):
        cursor.execute(ARCHIVES_SQL, {"prefix": sub + "%", "docs": docs})
    items = ArchiveItem.objects.filter(archive__member__organization__path__startswith=root.path)
    return f"{items.count():,} archive items"


# ---------------------------------------------------------------- transfers, developments

TRANSFERS_SQL = """
INSERT INTO transfers_transfer (kind, status, name, id_number, person, origin, destination,
    reason, by_member, created_at, closed_at, receipt_note, incoming_letter_no, from_org_id,
    member_id, to_org_id, phone)
SELECT 'internal', (ARRAY['pending', 'accepted', 'rejected', 'withdrawn'])[1 + m.id %% 4],
       m.name, '', '{}', fo.name, t.name, '工作调动', m.id %% 2 = 0,
       now() - (m.id %% 300) * interval '1 day',
       CASE WHEN m.id %% 4 <> 0 THEN now() - (m.id %% 300) * interval '1 day'
            + interval '5 days' END, '', '', m.organization_id, m.id, t.id, ''
FROM members_member m JOIN orgs_organization fo ON fo.id = m.organization_id
JOIN LATERAL (SELECT o.id, o.name FROM orgs_organization o
              WHERE o.path LIKE %(root)s AND o.kind = 'branch' AND o.id <> m.organization_id
              ORDER BY o.id OFFSET (m.id %% 97) LIMIT 1) t ON true
WHERE fo.path LIKE %(root)s AND m.id %% 100 = 11;
INSERT INTO transfers_transferstep (transfer_id, position, action, decision, decided_at,
    reason, organization_id)
SELECT tr.id, 1, 'accept',
       CASE tr.status WHEN 'pending' THEN 'pending' WHEN 'accepted' THEN 'approved'
                      WHEN 'rejected' THEN 'rejected' ELSE 'cancelled' END,
       tr.closed_at, '', tr.to_org_id
FROM transfers_transfer tr JOIN orgs_organization o ON o.id = tr.from_org_id
WHERE o.path LIKE %(root)s;
INSERT INTO transfers_transferevent (transfer_id, action, label, at)
SELECT tr.id, 'created', '发起转接', tr.created_at
FROM transfers_transfer tr JOIN orgs_organization o ON o.id = tr.from_org_id
WHERE o.path LIKE %(root)s
"""
DEVELOPMENT_SQL = """
INSERT INTO development_development (name, id_number, gender, birth_date, phone, status,
    created_at, organization_id, probation_extension_reason)
SELECT '发展对象' || o.id || '-' || k, '', CASE WHEN k %% 2 = 0 THEN 'F' ELSE 'M' END,
       make_date((1990 + (o.id + k) %% 12)::int, (1 + k %% 12)::int, (1 + o.id %% 28)::int), '',
       CASE WHEN (o.id + k) %% 9 = 0 THEN 'done' ELSE 'active' END, now(), o.id, ''
FROM orgs_organization o
JOIN LATERAL (SELECT COUNT(*) AS n FROM members_member m WHERE m.organization_id = o.id) c ON true
CROSS JOIN LATERAL generate_series(1, GREATEST(c.n / 20, 1)) k
WHERE o.path LIKE %(root)s AND o.kind = 'branch';
INSERT INTO development_developmentstep (development_id, step, done_on, people, note, document,
    recorded_at, departure_reason)
SELECT d.id, (%(steps)s::text[])[s], make_date(%(year)s - 2, 1, 1) + (s * 30)::int, '', '', '', now(),
       ''
FROM development_development d JOIN orgs_organization o ON o.id = d.organization_id
CROSS JOIN LATERAL generate_series(1, 1 + d.id %% 6) s
WHERE o.path LIKE %(root)s
"""


def transfers(cursor, root):
    from xianfeng.transfers.models import Transfer

    if Transfer.objects.filter(from_org__path__startswith=root.path).exists():
        return EXISTS
    cursor.execute(TRANSFERS_SQL, {"root": root.path + "%"})
    return f"{Transfer.objects.filter(from_org__path__startswith=root.path).count():,} transfers"


def developments(cursor, root):
    from xianfeng.development.models import Development
    from xianfeng.development.rules import STEP_CODES

    inside = Development.objects.filter(organization__path__startswith=root.path)
    if inside.exists():
        return EXISTS
    cursor.execute(
        DEVELOPMENT_SQL, {"root": root.path + "%", "steps": list(STEP_CODES), "year": YEAR}
    )
    return f"{inside.count():,} developments with steps"


# ---------------------------------------------------------------- tasks, learning

TASKS_SQL = """
INSERT INTO tasks_keytask (kind, title, description, lead_unit, lead_person, co_units,
    starts_on, due_on, progress, completed_on, created_at, organization_id)
SELECT CASE WHEN k %% 3 = 0 THEN 'breakthrough' ELSE 'key_task' END,
       o.name || '重点任务' || k, '', o.name, '', '', make_date(%(year)s, 1, 1),
       make_date(%(year)s, 3 + k * 2, 28), (o.id * 13 + k * 29) %% 101,
       CASE WHEN (o.id + k) %% 4 = 0 THEN make_date(%(year)s, 2 + k, 15) END, now(), o.id
FROM orgs_organization o CROSS JOIN generate_series(1, 4) k
WHERE o.path LIKE %(root)s AND o.depth BETWEEN %(depth)s AND %(depth)s + 2;
INSERT INTO tasks_milestone (task_id, title, due_on, done_on)
SELECT t.id, '阶段' || s, t.starts_on + s * 60, CASE WHEN s = 1 THEN t.starts_on + 50 END
FROM tasks_keytask t JOIN orgs_organization o ON o.id = t.organization_id
CROSS JOIN generate_series(1, 3) s WHERE o.path LIKE %(root)s;
INSERT INTO tasks_taskupdate (task_id, week_of, progress, summary, problems, reported_at)
SELECT t.id, make_date(%(year)s, 1, 5) + w * 7, LEAST(100, w * 5), '本周推进', '', now()
FROM tasks_keytask t JOIN orgs_organization o ON o.id = t.organization_id
CROSS JOIN generate_series(0, 9) w WHERE o.path LIKE %(root)s;
INSERT INTO tasks_brandplan (name, year, concept, goals, is_key, guide, status, created_at,
    organization_id)
SELECT o.name || '党建品牌', %(year)s, '', '', o.id %% 5 = 0, '', 'building', now(), o.id
FROM orgs_organization o WHERE o.path LIKE %(root)s AND o.kind = 'branch' AND o.id %% 4 = 0;
INSERT INTO tasks_brandmilestone (plan_id, title, due_on, evidence, note)
SELECT p.id, '品牌节点' || s, make_date(%(year)s, s * 3, 1), '', ''
FROM tasks_brandplan p JOIN orgs_organization o ON o.id = p.organization_id
CROSS JOIN generate_series(1, 3) s WHERE o.path LIKE %(root)s
"""
COURSES = 40
LEARNING_SQL = """
INSERT INTO learning_course (title, kind, summary, body, file, minutes, is_published, created_at,
    organization_id)
SELECT '学习课程' || k, 'text', '', '学习内容', '', 20 + k %% 40, true, now(),
       CASE WHEN k %% 2 = 0 THEN %(root_id)s ELSE d.id END
FROM generate_series(1, %(courses)s) k
JOIN LATERAL (SELECT id FROM orgs_organization WHERE path LIKE %(root)s
              AND depth = %(depth)s + 1 ORDER BY path OFFSET (k %% %(districts)s) LIMIT 1) d ON true;
CREATE TEMP TABLE gc_courses AS
SELECT c.id, c.minutes, row_number() OVER (ORDER BY c.id) - 1 AS idx
FROM learning_course c JOIN orgs_organization o ON o.id = c.organization_id
WHERE o.path LIKE %(root)s;
INSERT INTO learning_studyrecord (member_id, course_id, seconds, last_beat_at, completed_at,
    started_at)
SELECT m.id, c.id, CASE WHEN (m.id + j) %% 3 = 0 THEN c.minutes * 30 ELSE c.minutes * 60 END,
       now() - (m.id %% 200) * interval '1 day',
       CASE WHEN (m.id + j) %% 3 <> 0 THEN now() - (m.id %% 200) * interval '1 day' END,
       now() - (m.id %% 200) * interval '1 day' - interval '1 hour'
FROM members_member m JOIN orgs_organization o ON o.id = m.organization_id
CROSS JOIN generate_series(0, 1) j
JOIN gc_courses c ON c.idx = (m.id * 7 + j * 13) %% %(courses)s
WHERE o.path LIKE %(root)s;
DROP TABLE gc_courses
"""


def tasks(cursor, root):
    from xianfeng.tasks.models import KeyTask

    inside = KeyTask.objects.filter(organization__path__startswith=root.path)
    if inside.exists():
        return EXISTS
    cursor.execute(TASKS_SQL, {"root": root.path + "%", "year": YEAR, "depth": root.depth})
    return f"{inside.count():,} key tasks with milestones and weekly updates, brand plans"


def learning(cursor, root):
    from xianfeng.learning.models import Course, StudyRecord

    if Course.objects.filter(organization__path__startswith=root.path).exists():
        return EXISTS
    districts = (
        type(root).objects.filter(path__startswith=root.path, depth=root.depth + 1).count() or 1
    )
    cursor.execute(
        LEARNING_SQL,
        {
            "root": root.path + "%",
            "root_id": root.pk,
            "depth": root.depth,
            "courses": COURSES,
            "districts": districts,
        },
    )
    records = StudyRecord.objects.filter(course__organization__path__startswith=root.path)
    return f"{COURSES} courses, {records.count():,} study records"


# ---------------------------------------------------------------- driver


def _exists(cursor, table, root):
    cursor.execute(
        f"SELECT 1 FROM {table} t JOIN orgs_organization o ON o.id = t.organization_id "
        "WHERE o.path LIKE %s LIMIT 1",
        [root.path + "%"],
    )
    return cursor.fetchone() is not None


def _districts(cursor, root):
    """The paths of the city's districts: big statements run one district at a time."""
    cursor.execute(
        "SELECT path FROM orgs_organization WHERE path LIKE %s AND depth = %s ORDER BY path",
        [root.path + "%", root.depth + 1],
    )
    return [path for (path,) in cursor.fetchall()] or [root.path]


MODULES = (
    ("meetings", meetings),
    ("points", points),
    ("grid", grid),
    ("requests", requests),
    ("dues", dues),
    ("archives", archives),
    ("transfers", transfers),
    ("developments", developments),
    ("tasks", tasks),
    ("learning", learning),
)


def fill_modules(root, log=print, only=None):
    """Fill every module for the city under `root`; returns {module: seconds}."""
    timings, generated = {}, False
    if connection.vendor != "postgresql":
        log("业务模块数据需要 PostgreSQL，已跳过 modules need PostgreSQL: skipped")
        return timings
    for name, step in MODULES:
        if only and name not in only:
            continue
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            result = step(cursor, root)
        timings[name] = time.monotonic() - started
        log(f"{name}: {result}  {timings[name]:.1f} s")
        generated = generated or result != EXISTS
    if generated and connection.vendor == "postgresql":
        started = time.monotonic()
        with connection.cursor() as cursor:
            # VACUUM cannot run in a transaction (a test's); ANALYZE can.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        timings["vacuum analyze"] = time.monotonic() - started
        log(f"vacuum analyze  {timings['vacuum analyze']:.1f} s")
    return timings
