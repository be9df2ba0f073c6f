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
  campaigns  one per street, run by a temporary branch with two groups made for it (so the
             tree grows by 3 organizations a street), 1 in 8 grid households as cases with
             their stage history and board counts, 30 days of dispatch meetings
  venues     a 党群服务中心 per street and a 邻里中心 per community branch, rooms, bookings
             (two a month per room), activities (two a month per venue) and sign-ups
(the later modules and their ratios: see "the rest of the modules" below)
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
ON CONFLICT DO NOTHING
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

# A treebeard step (4 base-36 digits) of n, for paths written in SQL (no parameters: the
# statement runs on its own, so its % stays a literal).
B36_SQL = """
CREATE OR REPLACE FUNCTION pg_temp.b36(n bigint) RETURNS text AS $$
  SELECT lpad(string_agg(substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ',
           ((n / (36 ^ p)::bigint) % 36)::int + 1, 1), '' ORDER BY p DESC), 4, '0')
  FROM generate_series(0, 3) p
$$ LANGUAGE sql IMMUTABLE
"""


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
    cursor.execute(B36_SQL)
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
              ORDER BY o.id OFFSET (m.id %% %(spread)s) LIMIT 1) t ON true
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
    # The destination: one of the city's first 97 branches (fewer in a tiny city).
    branches = type(root).objects.filter(path__startswith=root.path, kind="branch").count()
    spread = max(1, min(97, branches - 1))
    cursor.execute(TRANSFERS_SQL, {"root": root.path + "%", "spread": spread})
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


# ---------------------------------------------------------------- the rest of the modules
#
# Ratios for the city (1,000,000 members / 60,000 orgs; `--small` is a tenth), per branch
# unless said, from the first members of each branch (by id; `gc_rank`):
#   committees   a current committee for every committee, general branch and branch (5-year
#                terms for committees, 3 for branches); seats: secretary, and for a branch of
#                7 or more, organization and propaganda members too
#   accounts     a login for every branch secretary (branch secretary role), so the workbench,
#                notices and ratings have their real users (one per branch)
#   elections    one per branch per 3 years: the approved elections of the committees elected
#                since last January, and an open one (planned or nominating) where the term
#                ends within half a year
#   instructors  one instructor per 10 branches of a street (the street is the office),
#                assigned to those 10; collection windows: two work-log half years and the
#                yearly ledger per street
#   enterprise   three non-public enterprises per private or state-owned branch, one of them
#                with the branch as its party organization (the street keeps the register)
#   cadres       one reserve cadre per branch of 5 or more members, 1 in 8 since appointed
#   notices      two notices a month for every account (a third unread), 1 in 4 also sent
#                as an SMS delivery; half the accounts set quiet hours
#   assessment   a standard per domain for the year, a published round per district, every
#                branch assessed and rated (stars from the standard's thresholds), a
#                rectification plan for every branch of 1 or 2 stars, every member assessed
#   points       two claimable district rules per district; a claim by 1 in 20 members
#   learning     a 20-question bank and a quiz per quarter per district; 1 in 3 members took
#                one (half of them submitted, all right)
#   excel        two finished import jobs per street (members, households)
#   transfers    a whole-branch transfer batch per 50 branches of a street; 1 in 50 members is a mobile
#                member (流动党员), a quarter of them back
#   grid staff   a grid worker and a grid volunteer per grid (party members of its branch),
#                a central household (中心户) per grid; staff roles per district
#   service      three partner units, six service projects (claimed by two members and, for a
#                need, a unit; for an offer, the community), two volunteer activities a month
#                per street; 1 in 10 members a volunteer, ~10 sign-ups per activity; a regional alliance per district;
#                1 in 10 members and every partner unit checked in at the street's community
#   standing     a lapse case for 1 in 1,000 members; requests: a unit call-in for 1 in 50;
#                a status change for every member not in normal standing, a 'create' history
#                row per organization, a rule override and a transfer policy per district,
#                an enterprise case (a request of its branch) for 1 in 5 enterprises with a
#                party organization

GC_TABLES_SQL = """
DROP TABLE IF EXISTS gc_rank, gc_branch;
CREATE TEMP TABLE gc_rank AS
SELECT m.id AS member_id, m.organization_id, m.name,
       row_number() OVER (PARTITION BY m.organization_id ORDER BY m.id) AS rn
FROM members_member m JOIN orgs_organization o ON o.id = m.organization_id
WHERE o.path LIKE %(root)s AND m.status = 'normal';
CREATE INDEX ON gc_rank (organization_id, rn);
CREATE INDEX ON gc_rank (member_id);
CREATE TEMP TABLE gc_branch AS
SELECT b.id, b.path, b.domain, b.name, b.member_count, s.id AS street_id, d.id AS district_id,
       row_number() OVER (PARTITION BY s.id ORDER BY b.path) AS rn
FROM orgs_organization b
JOIN orgs_organization s ON s.path = left(b.path, %(street_len)s)
JOIN orgs_organization d ON d.path = left(b.path, %(district_len)s)
WHERE b.path LIKE %(root)s AND b.kind = 'branch' AND b.status = 'active'
  AND length(b.path) > %(street_len)s;
CREATE INDEX ON gc_branch (id);
CREATE INDEX ON gc_branch (street_id, rn);
ANALYZE gc_rank;
ANALYZE gc_branch
"""


def prepare(cursor, root):
    """gc_rank (the members of each organization numbered by id) and gc_branch (each branch
    with its street, district and number in the street): temporary, for this connection."""
    step = _steplen()
    cursor.execute(
        GC_TABLES_SQL,
        {
            "root": root.path + "%",
            "street_len": len(root.path) + 2 * step,
            "district_len": len(root.path) + step,
        },
    )


def _steplen():
    from xianfeng.orgs.models import Organization

    return Organization.steplen


def _params(root, **extra):
    step = _steplen()
    return {
        "root": root.path + "%",
        "year": YEAR,
        "depth": root.depth,
        "street_len": len(root.path) + 2 * step,
        "district_len": len(root.path) + step,
        **extra,
    }


COMMITTEES_SQL = """
INSERT INTO orgs_committee (organization_id, elected_on, term_years, ends_on, status, note,
    statutory_ends_on, rescheduled_on, reschedule_approval, reschedule_reason)
SELECT o.id, e.day, t.years, (e.day + make_interval(years => t.years))::date, 'current', '',
       NULL, NULL, '', ''
FROM orgs_organization o
CROSS JOIN LATERAL (SELECT CASE WHEN o.kind = 'committee' THEN 5 ELSE 3 END AS years) t
CROSS JOIN LATERAL (SELECT make_date(%(year)s, 11, 30)
                           - ((o.id * 7919) %% (t.years * 365))::int AS day) e
WHERE o.path LIKE %(root)s AND o.kind <> 'group' AND o.status = 'active';
INSERT INTO orgs_committeeseat (committee_id, member_id, post, started_on, ended_on)
SELECT c.id, r.member_id, (ARRAY['secretary', 'organization', 'propaganda'])[r.rn],
       c.elected_on, NULL
FROM orgs_committee c JOIN gc_branch b ON b.id = c.organization_id
JOIN gc_rank r ON r.organization_id = b.id AND (r.rn = 1 OR (r.rn <= 3 AND b.member_count >= 7))
WHERE c.status = 'current'
"""


def committees(cursor, root):
    if _exists(cursor, "orgs_committee", root):
        return EXISTS
    cursor.execute(COMMITTEES_SQL, _params(root))
    return f"{_count(cursor, 'orgs_committee', root):,} committees with seats"


ACCOUNTS_SQL = """
INSERT INTO accounts_user (password, last_login, is_superuser, username, first_name, last_name,
    email, is_staff, is_active, date_joined, member_id, display_name)
SELECT '!gen_city', NULL, false, 'gc' || r.member_id, '', '', '', false, true, now(),
       r.member_id, r.name
FROM gc_branch b JOIN gc_rank r ON r.organization_id = b.id AND r.rn = 1
WHERE NOT EXISTS (SELECT 1 FROM accounts_user u WHERE u.member_id = r.member_id);
INSERT INTO accounts_rolegrant (user_id, organization_id, role, granted_by_id, granted_at)
SELECT u.id, b.id, 'branch_secretary', NULL, now()
FROM gc_branch b JOIN gc_rank r ON r.organization_id = b.id AND r.rn = 1
JOIN accounts_user u ON u.username = 'gc' || r.member_id
"""


def accounts(cursor, root):
    cursor.execute(
        "SELECT 1 FROM accounts_user u JOIN gc_rank r ON r.member_id = u.member_id "
        "WHERE u.username = 'gc' || r.member_id LIMIT 1"
    )
    if cursor.fetchone():
        return EXISTS
    cursor.execute(ACCOUNTS_SQL)
    return f"{cursor.rowcount:,} branch secretaries' accounts"


ELECTIONS_SQL = """
INSERT INTO elections_election (organization_id, committee_id, new_committee_id, status,
    planned_on, seats, plan, held_on, eligible, present, decided_on, decided_by_id,
    decision_note, created_by_id, created_at)
SELECT c.organization_id, NULL, c.id, 'approved', c.elected_on - 30, s.seats, '换届选举工作方案',
       c.elected_on, b.member_count, b.member_count * 9 / 10, c.elected_on + 10, NULL, '同意',
       NULL, c.elected_on - 30
FROM orgs_committee c JOIN gc_branch b ON b.id = c.organization_id
CROSS JOIN LATERAL (SELECT CASE WHEN b.member_count >= 7 THEN 3 ELSE 1 END AS seats) s
WHERE c.status = 'current' AND c.elected_on >= make_date(%(year)s - 1, 1, 1);
INSERT INTO elections_election (organization_id, committee_id, new_committee_id, status,
    planned_on, seats, plan, held_on, eligible, present, decided_on, decided_by_id,
    decision_note, created_by_id, created_at)
SELECT c.organization_id, c.id, NULL,
       CASE WHEN c.id %% 2 = 0 THEN 'planned' ELSE 'nominating' END, c.ends_on - 30,
       CASE WHEN b.member_count >= 7 THEN 3 ELSE 1 END, '换届选举工作方案', NULL, NULL, NULL,
       NULL, NULL, '', NULL, now()
FROM orgs_committee c JOIN gc_branch b ON b.id = c.organization_id
WHERE c.status = 'current' AND c.ends_on < make_date(%(year)s, 11, 30) + 180
"""


def elections(cursor, root):
    if _exists(cursor, "elections_election", root):
        return EXISTS
    cursor.execute(ELECTIONS_SQL, _params(root))
    return f"{_count(cursor, 'elections_election', root):,} elections"


INSTRUCTORS_SQL = """
INSERT INTO instructors_instructor (member_id, office_id, department, appointed_on,
    created_by_id, created_at)
SELECT r.member_id, b.street_id, '组织办', make_date(%(year)s - 1, 3, 1), NULL, now()
FROM gc_branch b JOIN gc_rank r ON r.organization_id = b.id AND r.rn = 4
WHERE (b.rn - 1) %% 10 = 0;
INSERT INTO instructors_assignment (instructor_id, organization_id, started_on, ended_on)
SELECT i.id, b.id, i.appointed_on, NULL
FROM gc_branch b
JOIN gc_branch lead ON lead.street_id = b.street_id AND lead.rn = (b.rn - 1) / 10 * 10 + 1
JOIN gc_rank r ON r.organization_id = lead.id AND r.rn = 4
JOIN instructors_instructor i ON i.member_id = r.member_id;
INSERT INTO instructors_collectionwindow (office_id, kind, period_start, period_end, opens_on,
    closes_on, created_by_id, created_at)
SELECT s.id, w.kind, w.first, w.last, w.last - 14, w.last + 15, NULL, now()
FROM orgs_organization s CROSS JOIN (VALUES
    ('worklog', make_date(%(year)s, 1, 1), make_date(%(year)s, 6, 30)),
    ('worklog', make_date(%(year)s, 7, 1), make_date(%(year)s, 12, 31)),
    ('ledger', make_date(%(year)s, 1, 1), make_date(%(year)s, 12, 31))) AS w(kind, first, last)
WHERE s.path LIKE %(root)s AND s.depth = %(depth)s + 2
"""


def instructors(cursor, root):
    if _exists(cursor, "instructors_instructor", root, column="office_id"):
        return EXISTS
    cursor.execute(INSTRUCTORS_SQL, _params(root))
    n = _count(cursor, "instructors_instructor", root, column="office_id")
    return f"{n:,} instructors with assignments, collection windows"


ENTERPRISE_SQL = """
INSERT INTO enterprise_enterprise (name, credit_code, industry, address, contact_name,
    contact_phone, organization_id, party_org_id, specialist_id, created_at)
SELECT replace(replace(b.name, '党支部', ''), '第', '') || CASE k WHEN 1 THEN '' ELSE '关联企业' || k END,
       '91' || lpad(b.id::text, 10, '0') || lpad(k::text, 6, '0'),
       (%(industries)s::text[])[1 + (b.id + k) %% cardinality(%(industries)s::text[])],
       '经十路' || b.id || '号', '企业联系人', '', b.street_id,
       CASE WHEN k = 1 THEN b.id END, NULL, now()
FROM gc_branch b CROSS JOIN generate_series(1, 3) k
WHERE b.domain IN ('private', 'soe')
"""


def enterprise(cursor, root):
    from xianfeng.enterprise.models import Industry

    if _exists(cursor, "enterprise_enterprise", root):
        return EXISTS
    cursor.execute(ENTERPRISE_SQL, _params(root, industries=list(Industry.values)))
    return f"{_count(cursor, 'enterprise_enterprise', root):,} enterprises"


CADRES_SQL = """
INSERT INTO cadres_reservecadre (member_id, organization_id, intended_post, entered_on, status,
    status_on, note, created_by_id, created_at)
SELECT r.member_id, b.id, '支部书记', make_date(%(year)s - 1, 1 + (b.id %% 12)::int, 1),
       CASE WHEN b.id %% 8 = 0 THEN 'appointed' ELSE 'active' END,
       CASE WHEN b.id %% 8 = 0 THEN make_date(%(year)s, 6, 1) END, '', NULL, now()
FROM gc_branch b JOIN gc_rank r ON r.organization_id = b.id AND r.rn = 5
"""


def cadres(cursor, root):
    if _exists(cursor, "cadres_reservecadre", root):
        return EXISTS
    cursor.execute(CADRES_SQL, _params(root))
    return f"{_count(cursor, 'cadres_reservecadre', root):,} reserve cadres"


NOTICE_KINDS = ("request", "meeting", "meeting.reminder", "transfer", "claim", "term", "standing")
NOTICES_SQL = """
INSERT INTO notices_notice (recipient_id, kind, title, body, link, created_at, read_at, key)
SELECT u.id, (%(kinds)s::text[])[1 + (u.id + k) %% cardinality(%(kinds)s::text[])],
       '工作提醒 ' || k, '请及时处理。', '', t.at,
       CASE WHEN k %% 3 <> 0 THEN t.at + interval '2 hours' END, ''
FROM accounts_user u JOIN gc_rank r ON r.member_id = u.member_id
CROSS JOIN generate_series(1, 24) k
CROSS JOIN LATERAL (SELECT make_date(%(year)s, 1, 1) + ((u.id * 13 + k * 14) %% 330)::int
                           + time '09:00' - interval '8 hours' AS at) t
WHERE u.username = 'gc' || u.member_id;
INSERT INTO notices_delivery (notice_id, channel, address, text, kind, key, state, attempts,
    not_before, claimed_at, sent_at, provider_ref, last_error, created_at)
SELECT n.id, 'sms', '', n.title, n.kind, gen_random_uuid(), 'sent', 1, n.created_at,
       n.created_at, n.created_at + interval '1 minute', 'gc' || n.id, '', n.created_at
FROM notices_notice n JOIN accounts_user u ON u.id = n.recipient_id
JOIN gc_rank r ON r.member_id = u.member_id
WHERE u.username = 'gc' || u.member_id AND n.id %% 4 = 0;
INSERT INTO notices_preference (user_id, channels, phone, wechat_id, quiet_from, quiet_until)
SELECT u.id, '{}', '', '', time '22:00', time '07:00'
FROM accounts_user u JOIN gc_rank r ON r.member_id = u.member_id
WHERE u.username = 'gc' || u.member_id AND u.id %% 2 = 0
  AND NOT EXISTS (SELECT 1 FROM notices_preference p WHERE p.user_id = u.id)
"""


def notices(cursor, root):
    cursor.execute(
        "SELECT 1 FROM notices_notice n JOIN accounts_user u ON u.id = n.recipient_id "
        "JOIN gc_rank r ON r.member_id = u.member_id LIMIT 1"
    )
    if cursor.fetchone():
        return EXISTS
    cursor.execute(NOTICES_SQL, _params(root, kinds=list(NOTICE_KINDS)))
    cursor.execute(
        "SELECT COUNT(*) FROM notices_notice n JOIN accounts_user u ON u.id = n.recipient_id "
        "JOIN gc_rank r ON r.member_id = u.member_id"
    )
    return f"{cursor.fetchone()[0]:,} notices, 1 in 4 delivered by SMS"


ASSESSMENT_SQL = """
INSERT INTO assessment_standard (name, domain, year, missing_policy, two_star, three_star,
    four_star, five_star, max_promote, max_demote)
SELECT %(year)s || '年星级评定标准(' || d || ')', d, %(year)s, 'exclude', 60, 70, 80, 90, 1, NULL
FROM unnest(%(domains)s::text[]) d
ON CONFLICT DO NOTHING;
INSERT INTO assessment_standarditem (standard_id, name, kind, code, max_score, target, "order")
SELECT s.id, i.name, 'reviewed', '', 50, 100, i.o
FROM assessment_standard s CROSS JOIN (VALUES ('组织建设', 1), ('作用发挥', 2)) AS i(name, o)
WHERE s.year = %(year)s
  AND NOT EXISTS (SELECT 1 FROM assessment_standarditem x WHERE x.standard_id = s.id);
INSERT INTO assessment_round (organization_id, year, stage, evaluated_at, evaluated_by_id,
    published_at, published_by_id)
SELECT d.id, %(year)s, 'published', now(), NULL, now(), NULL
FROM orgs_organization d WHERE d.path LIKE %(root)s AND d.depth = %(depth)s + 1;
INSERT INTO assessment_branchassessment (round_id, organization_id, year, standard_id, score,
    max_score, percent)
SELECT rd.id, b.id, %(year)s, s.id, p.pct, 100, p.pct
FROM gc_branch b
JOIN assessment_round rd ON rd.organization_id = b.district_id AND rd.year = %(year)s
JOIN assessment_standard s ON s.domain = b.domain AND s.year = %(year)s
CROSS JOIN LATERAL (SELECT (50 + (b.id * 7919) %% 50)::numeric AS pct) p;
INSERT INTO assessment_starrating (assessment_id, organization_id, year, computed_stars, stars,
    previous_stars, change, weak_and_lax)
SELECT a.id, a.organization_id, %(year)s, st.s, st.s, prev.p,
       CASE WHEN st.s > prev.p THEN 'promote' WHEN st.s < prev.p THEN 'demote' ELSE 'keep' END,
       st.s = 1
FROM assessment_branchassessment a JOIN gc_branch b ON b.id = a.organization_id
JOIN assessment_standard s ON s.id = a.standard_id
CROSS JOIN LATERAL (SELECT CASE WHEN a.percent >= s.five_star THEN 5
                                WHEN a.percent >= s.four_star THEN 4
                                WHEN a.percent >= s.three_star THEN 3
                                WHEN a.percent >= s.two_star THEN 2 ELSE 1 END AS s) st
CROSS JOIN LATERAL (SELECT GREATEST(1, LEAST(5, st.s + (a.id %% 3) - 1)) AS p) prev
WHERE a.year = %(year)s;
INSERT INTO assessment_rectificationplan (organization_id, year, measures, owner, deadline,
    status, done_on, created_by_id, created_at)
SELECT sr.organization_id, %(year)s, '对照标准逐项整改，补齐组织生活和台账。', '支部书记',
       make_date(%(year)s + 1, 3, 31),
       CASE WHEN sr.id %% 2 = 0 THEN 'in_progress' ELSE 'open' END, NULL, NULL, now()
FROM assessment_starrating sr JOIN gc_branch b ON b.id = sr.organization_id
WHERE sr.year = %(year)s AND sr.stars <= 2
"""
MEMBER_ASSESSMENT_SQL = """
INSERT INTO assessment_memberassessment (member_id, organization_id, year, components, weights,
    missing, total, grade, stage, evaluated_at)
SELECT m.id, m.organization_id, %(year)s,
       jsonb_build_object('points', t.total, 'review', t.total, 'secretary', t.total),
       '{"points": 40.0, "review": 30.0, "secretary": 30.0}', '[]', t.total,
       CASE WHEN t.total >= 90 THEN '优秀' WHEN t.total >= 70 THEN '合格'
            WHEN t.total >= 60 THEN '基本合格' ELSE '不合格' END, 'published', now()
FROM members_member m JOIN orgs_organization o ON o.id = m.organization_id
CROSS JOIN LATERAL (SELECT (55 + (m.id * 31) %% 45)::numeric AS total) t
WHERE o.path LIKE %(prefix)s AND m.status = 'normal'
"""


def assessment(cursor, root):
    from xianfeng.orgs.models import Domain

    cursor.execute(
        "SELECT 1 FROM assessment_round r JOIN orgs_organization o ON o.id = r.organization_id "
        "WHERE o.path LIKE %s AND r.year = %s LIMIT 1",
        [root.path + "%", YEAR],
    )
    if cursor.fetchone():
        return EXISTS
    cursor.execute(ASSESSMENT_SQL, _params(root, domains=list(Domain.values)))
    n = 0
    for sub in _districts(cursor, root):
        n += _run(cursor, MEMBER_ASSESSMENT_SQL, {"year": YEAR, "prefix": sub + "%"})
    ratings = _count(cursor, "assessment_starrating", root)
    return f"{ratings:,} branches rated, {n:,} members assessed"


POINT_CLAIMS_SQL = """
INSERT INTO points_pointrule (code, version, name, points, cap_month, cap_year, needs_approval,
    claimable, per_hour, valid_from, valid_to, domains, scope_id, source, created_by_id,
    created_at)
SELECT r.code, 1, r.name, r.points, NULL, r.cap, true, true, false,
       make_date(%(year)s - 1, 1, 1), NULL, '[]', d.id, '区委组织部', NULL, now()
FROM orgs_organization d CROSS JOIN (VALUES
    ('district.volunteer', '区级志愿服务', 2, 40),
    ('district.help', '结对帮扶困难群众', 3, 30)) AS r(code, name, points, cap)
WHERE d.path LIKE %(root)s AND d.depth = %(depth)s + 1;
INSERT INTO points_pointclaim (member_id, rule_id, occurred_on, description, evidence, status,
    decided_by_id, decided_at, reason, created_at)
SELECT m.id, pr.id, c.day, '参加社区志愿服务', 'points/claims/gc-' || m.id || '.jpg', c.status,
       NULL, CASE WHEN c.status <> 'pending' THEN c.day + time '10:00' END,
       CASE WHEN c.status = 'rejected' THEN '证明材料不清晰' ELSE '' END, c.day + time '09:00'
FROM members_member m JOIN orgs_organization o ON o.id = m.organization_id
JOIN orgs_organization d ON d.path = left(o.path, %(district_len)s)
JOIN points_pointrule pr ON pr.scope_id = d.id
     AND pr.code = CASE WHEN m.id %% 40 = 0 THEN 'district.volunteer' ELSE 'district.help' END
CROSS JOIN LATERAL (SELECT make_date(%(year)s, 1 + (m.id %% 11)::int, 1 + (m.id %% 28)::int) AS day,
    CASE WHEN m.id %% 60 = 0 THEN 'pending' WHEN m.id %% 100 = 0 THEN 'rejected'
         ELSE 'approved' END AS status) c
WHERE o.path LIKE %(root)s AND m.id %% 20 = 0
"""


def point_claims(cursor, root):
    cursor.execute(
        "SELECT 1 FROM points_pointrule r JOIN orgs_organization o ON o.id = r.scope_id "
        "WHERE o.path LIKE %s LIMIT 1",
        [root.path + "%"],
    )
    if cursor.fetchone():
        return EXISTS
    cursor.execute(POINT_CLAIMS_SQL, _params(root))
    cursor.execute(
        "SELECT COUNT(*) FROM points_pointclaim c JOIN points_pointrule r ON r.id = c.rule_id "
        "JOIN orgs_organization o ON o.id = r.scope_id WHERE o.path LIKE %s",
        [root.path + "%"],
    )
    return f"district rules, {cursor.fetchone()[0]:,} point claims"


QUIZZES_SQL = """
INSERT INTO learning_question (organization_id, topic, kind, text, options, answer, explanation)
SELECT d.id, '党章党规', 'judge', '党章规定的第' || k || '条要求是否正确？', '["对", "错"]',
       '[0]', ''
FROM orgs_organization d CROSS JOIN generate_series(1, 20) k
WHERE d.path LIKE %(root)s AND d.depth = %(depth)s + 1;
INSERT INTO learning_quiz (organization_id, title, topic, question_count, pass_score,
    attempts_allowed, opens_on, closes_on, created_by_id)
SELECT d.id, %(year)s || '年第' || q || '季度党章党规测试', '党章党规', 10, 60, 3,
       make_date(%(year)s, q * 3 - 2, 1), make_date(%(year)s, q * 3 - 2, 1) + 60, NULL
FROM orgs_organization d CROSS JOIN generate_series(1, 4) q
WHERE d.path LIKE %(root)s AND d.depth = %(depth)s + 1;
CREATE TEMP TABLE gc_quiz AS
SELECT z.id, z.organization_id AS district_id, z.opens_on,
       row_number() OVER (PARTITION BY z.organization_id ORDER BY z.id) - 1 AS idx,
       (SELECT jsonb_agg(id ORDER BY id) FROM (SELECT id FROM learning_question
            WHERE organization_id = z.organization_id ORDER BY id LIMIT 10) x) AS ids,
       (SELECT jsonb_object_agg(id::text, '[0]'::jsonb) FROM (SELECT id FROM learning_question
            WHERE organization_id = z.organization_id ORDER BY id LIMIT 10) x) AS answers
FROM learning_quiz z JOIN orgs_organization d ON d.id = z.organization_id
WHERE d.path LIKE %(root)s;
INSERT INTO learning_quizattempt (quiz_id, member_id, number, question_ids, answers, score,
    started_at, submitted_at)
SELECT z.id, m.id, 1, z.ids, CASE WHEN m.id %% 2 = 0 THEN z.answers ELSE '{}' END,
       CASE WHEN m.id %% 2 = 0 THEN 100 END, t.at,
       CASE WHEN m.id %% 2 = 0 THEN t.at + interval '20 minutes' END
FROM members_member m JOIN orgs_organization o ON o.id = m.organization_id
JOIN orgs_organization d ON d.path = left(o.path, %(district_len)s)
JOIN gc_quiz z ON z.district_id = d.id AND z.idx = m.id %% 4
CROSS JOIN LATERAL (SELECT z.opens_on + (m.id %% 50)::int + time '20:00' - interval '8 hours'
                    AS at) t
WHERE o.path LIKE %(root)s AND m.id %% 3 = 0;
DROP TABLE gc_quiz
"""


def quizzes(cursor, root):
    if _exists(cursor, "learning_quiz", root):
        return EXISTS
    cursor.execute(QUIZZES_SQL, _params(root))
    cursor.execute(
        "SELECT COUNT(*) FROM learning_quizattempt a JOIN learning_quiz z ON z.id = a.quiz_id "
        "JOIN orgs_organization o ON o.id = z.organization_id WHERE o.path LIKE %s",
        [root.path + "%"],
    )
    attempts = cursor.fetchone()[0]
    return f"{_count(cursor, 'learning_quiz', root):,} quizzes, {attempts:,} attempts"


IMPORT_JOBS_SQL = """
INSERT INTO excel_importjob (kind, mode, file, original_name, status, progress, background,
    via_command, total_rows, errors, error_count, result, created_by_id, created_at, started_at,
    finished_at)
SELECT k.kind, 'create', 'imports/gc/' || s.id || '-' || k.kind || '.xlsx',
       s.name || k.label || '.xlsx', 'done', 100, true, false, 200, '[]', 0,
       '{"new": 200, "changed": 0, "unchanged": 0}', NULL, t.at, t.at,
       t.at + interval '2 minutes'
FROM orgs_organization s
CROSS JOIN (VALUES ('members', '党员名册'), ('households', '住户名册')) AS k(kind, label)
CROSS JOIN LATERAL (SELECT make_date(%(year)s, 1 + (s.id %% 10)::int, 10) + time '02:00' AS at) t
WHERE s.path LIKE %(root)s AND s.depth = %(depth)s + 2
"""


def import_jobs(cursor, root):
    cursor.execute(
        "SELECT 1 FROM excel_importjob j JOIN orgs_organization s "
        "ON j.file = 'imports/gc/' || s.id || '-members.xlsx' WHERE s.path LIKE %s LIMIT 1",
        [root.path + "%"],
    )
    if cursor.fetchone():
        return EXISTS
    n = _run(cursor, IMPORT_JOBS_SQL, _params(root))
    return f"{n:,} finished import jobs"


MOBILE_SQL = """
INSERT INTO transfers_transferbatch (from_org_id, to_org_id, reason, created_by_id, created_at)
SELECT b.id, b2.id, '支部调整，整建制转接', NULL, make_date(%(year)s, 4, 1) + time '09:00'
FROM gc_branch b JOIN gc_branch b2 ON b2.street_id = b.street_id AND b2.rn = b.rn + 1
WHERE b.rn %% 50 = 1;
INSERT INTO transfers_mobilemember (member_id, place, since, reason, fixed_place, managing_org,
    contact_name, contact_phone, mobile_branch, liaison, status, returned_on, note,
    created_by_id, created_at)
SELECT m.id, (ARRAY['上海市浦东新区', '广东省深圳市南山区', '北京市朝阳区',
                    '江苏省苏州市工业园区'])[1 + (m.id / 50) %% 4],
       make_date(%(year)s - 1, 1 + (m.id %% 12)::int, 1),
       (ARRAY['work', 'business', 'study', 'other'])[1 + (m.id / 50) %% 4], m.id %% 3 <> 0,
       '', '', '', '', '', CASE WHEN m.id %% 200 = 1 THEN 'returned' ELSE 'away' END,
       CASE WHEN m.id %% 200 = 1 THEN make_date(%(year)s, 1 + (m.id %% 10)::int, 1) END, '',
       NULL, now()
FROM members_member m JOIN orgs_organization o ON o.id = m.organization_id
WHERE o.path LIKE %(root)s AND m.id %% 50 = 1 AND m.status = 'normal'
"""


def mobile_members(cursor, root):
    cursor.execute(
        "SELECT 1 FROM transfers_mobilemember x JOIN gc_rank r ON r.member_id = x.member_id LIMIT 1"
    )
    if cursor.fetchone():
        return EXISTS
    cursor.execute(MOBILE_SQL, _params(root))
    cursor.execute(
        "SELECT COUNT(*) FROM transfers_mobilemember x JOIN members_member m ON m.id = x.member_id "
        "JOIN orgs_organization o ON o.id = m.organization_id WHERE o.path LIKE %s",
        [root.path + "%"],
    )
    n = cursor.fetchone()[0]
    return f"transfer batches, {n:,} mobile members"


GRID_STAFF_SQL = """
INSERT INTO grid_gridstaffrole (district_id, code, name, is_volunteer, "order")
SELECT d.id, r.code, r.name, r.volunteer, r.o
FROM orgs_organization d CROSS JOIN (VALUES ('worker', '专职网格员', false, 1),
                                            ('volunteer', '网格志愿者', true, 2))
     AS r(code, name, volunteer, o)
WHERE d.path LIKE %(root)s AND d.depth = %(depth)s + 1
ON CONFLICT DO NOTHING;
INSERT INTO grid_gridstaff (grid_id, role_id, name, member_id, is_party_member, user_id, phone,
    publish_phone, started_on, ended_on)
SELECT g.id, sr.id, r.name, r.member_id, true, NULL, '', false,
       make_date(%(year)s - 1, 1 + (g.id %% 12)::int, 1), NULL
FROM grid_grid g JOIN gc_branch b ON b.id = g.organization_id
JOIN grid_gridstaffrole sr ON sr.district_id = b.district_id
JOIN gc_rank r ON r.organization_id = b.id
     AND r.rn = CASE sr.code WHEN 'worker' THEN 2 ELSE 3 END
WHERE g.depth = 2 AND sr.code IN ('worker', 'volunteer');
INSERT INTO grid_centralhousehold (member_id, grid_id, address, households_served, services,
    photo, is_active, created_at)
SELECT r.member_id, g.id, '1号楼1单元101室', 10 + g.id %% 6, '政策宣传、邻里互助', '', true, now()
FROM grid_grid g JOIN gc_branch b ON b.id = g.organization_id
JOIN gc_rank r ON r.organization_id = b.id AND r.rn = 6
WHERE g.depth = 2
"""


def grid_staff(cursor, root):
    cursor.execute(
        "SELECT 1 FROM grid_gridstaff s JOIN grid_grid g ON g.id = s.grid_id "
        "JOIN gc_branch b ON b.id = g.organization_id LIMIT 1"
    )
    if cursor.fetchone():
        return EXISTS
    cursor.execute(GRID_STAFF_SQL, _params(root))
    cursor.execute(
        "SELECT COUNT(*) FROM grid_gridstaff s JOIN grid_grid g ON g.id = s.grid_id "
        "JOIN gc_branch b ON b.id = g.organization_id"
    )
    return f"{cursor.fetchone()[0]:,} grid staff, central households"


SERVICE_SQL = """
CREATE TEMP TABLE gc_street AS
SELECT s.id, s.name, s.path,
       (SELECT MIN(b.id) FROM gc_branch b WHERE b.street_id = s.id AND b.domain = 'community')
           AS community_id
FROM orgs_organization s WHERE s.path LIKE %(root)s AND s.depth = %(depth)s + 2;
INSERT INTO service_partnerunit (name, kind, party_org_id, contact, phone, address)
SELECT s.name || '共建单位' || k || '号(' || s.id || ')',
       (ARRAY['organ', 'institution', 'soe'])[k], NULL, '联络员', '0531-8' || lpad((s.id * 3 + k)::text, 7, '0'),
       '经十路' || s.id || '号'
FROM gc_street s CROSS JOIN generate_series(1, 3) k;
CREATE TEMP TABLE gc_unit AS
SELECT u.id, s.id AS street_id, k.k
FROM gc_street s CROSS JOIN generate_series(1, 3) AS k(k)
JOIN service_partnerunit u ON u.name = s.name || '共建单位' || k.k || '号(' || s.id || ')';
INSERT INTO service_serviceproject (organization_id, direction, offered_by_id, studio_id, title,
    description, slots, claim_by, status, created_by_id, created_at)
SELECT s.id, CASE WHEN n.k %% 2 = 1 THEN 'need' ELSE 'offer' END,
       CASE WHEN n.k %% 2 = 0 THEN u.id END, NULL,
       (ARRAY['老旧小区加装电梯协调', '困难群众结对帮扶', '义诊进社区', '法律咨询服务',
              '青少年暑期托管', '垃圾分类宣传'])[n.k],
       '项目说明', 3, make_date(%(year)s, 2 * n.k, 28),
       CASE WHEN 2 * n.k < 11 THEN 'done' ELSE 'open' END, NULL,
       make_date(%(year)s, 2 * n.k - 1, 5) + time '09:00'
FROM gc_street s CROSS JOIN generate_series(1, 6) AS n(k)
JOIN gc_unit u ON u.street_id = s.id AND u.k = 1 + n.k %% 3;
INSERT INTO service_claim (project_id, member_id, unit_id, community_id, status, claimed_at,
    progress, completed_on, evidence, claimed_by_id)
SELECT p.id, r.member_id, NULL, NULL,
       CASE WHEN p.status = 'done' THEN 'done' ELSE 'claimed' END, p.created_at + interval '1 day',
       '', CASE WHEN p.status = 'done' THEN p.claim_by END, '', NULL
FROM service_serviceproject p JOIN gc_street s ON s.id = p.organization_id
JOIN gc_branch b ON b.street_id = s.id AND b.rn IN (1, 2)
JOIN gc_rank r ON r.organization_id = b.id AND r.rn = 7 + (p.id %% 5);
INSERT INTO service_claim (project_id, member_id, unit_id, community_id, status, claimed_at,
    progress, completed_on, evidence, claimed_by_id)
SELECT p.id, NULL, u.id, NULL, 'claimed', p.created_at + interval '2 days', '', NULL, '', NULL
FROM service_serviceproject p JOIN gc_unit u ON u.street_id = p.organization_id AND u.k = 3
WHERE p.direction = 'need';
INSERT INTO service_claim (project_id, member_id, unit_id, community_id, status, claimed_at,
    progress, completed_on, evidence, claimed_by_id)
SELECT p.id, NULL, NULL, s.community_id, 'claimed', p.created_at + interval '3 days', '', NULL,
       '', NULL
FROM service_serviceproject p JOIN gc_street s ON s.id = p.organization_id
WHERE p.direction = 'offer' AND s.community_id IS NOT NULL;
CREATE TEMP TABLE gc_volunteer AS
SELECT r.member_id, r.name, s.id AS street_id,
       row_number() OVER (PARTITION BY s.id ORDER BY r.member_id) AS rn
FROM gc_rank r JOIN orgs_organization o ON o.id = r.organization_id
JOIN gc_street s ON s.path = left(o.path, %(street_len)s)
WHERE r.member_id %% 10 = 4;
INSERT INTO service_volunteer (organization_id, member_id, name, phone, phone_hash, skills,
    registered_on, is_active)
SELECT v.street_id, v.member_id, v.name, '', NULL,
       (ARRAY['政策宣传', '医疗救护', '法律咨询', '文艺', '维修'])[1 + v.rn %% 5],
       make_date(%(year)s - 1, 1 + (v.rn %% 12)::int, 1), v.rn %% 20 <> 0
FROM gc_volunteer v;
INSERT INTO service_volunteeractivity (organization_id, title, place, starts_at, ends_at,
    capacity, description)
SELECT s.id, (ARRAY['社区环境整治', '关爱空巢老人', '文明交通劝导', '义务植树'])[1 + k %% 4],
       '社区党群服务中心', t.at, t.at + interval '3 hours', 20, ''
FROM gc_street s CROSS JOIN generate_series(1, 24) k
CROSS JOIN LATERAL (SELECT make_date(%(year)s, 1 + (k - 1) / 2, 1 + ((k - 1) %% 2) * 14)
                           + time '09:00' - interval '8 hours' AS at) t;
CREATE TEMP TABLE gc_activity AS
SELECT a.id, a.organization_id AS street_id, a.starts_at,
       row_number() OVER (PARTITION BY a.organization_id ORDER BY a.starts_at, a.id) - 1 AS idx
FROM service_volunteeractivity a JOIN gc_street s ON s.id = a.organization_id;
INSERT INTO service_volunteersignup (activity_id, volunteer_id, status, signed_up_at,
    checked_in_at, hours)
SELECT a.id, vo.id, CASE WHEN a.starts_at < now() THEN 'attended' ELSE 'signed_up' END,
       a.starts_at - interval '3 days',
       CASE WHEN a.starts_at < now() THEN a.starts_at + interval '5 minutes' END,
       CASE WHEN a.starts_at < now() THEN 3 ELSE 0 END
FROM gc_activity a JOIN gc_volunteer v ON v.street_id = a.street_id AND v.rn %% 24 = a.idx
     AND v.rn <= 240
JOIN service_volunteer vo ON vo.member_id = v.member_id AND vo.organization_id = v.street_id;
INSERT INTO service_alliance (organization_id, name, kind, founded_on, charter)
SELECT d.id, d.name || '区域化党建联盟(' || d.id || ')', 'regional',
       make_date(%(year)s - 2, 7, 1), ''
FROM orgs_organization d WHERE d.path LIKE %(root)s AND d.depth = %(depth)s + 1;
INSERT INTO service_communitycheckin (community_id, kind, unit_id, member_id, reason,
    registered_on, ended_on)
SELECT s.community_id, 'member', NULL, r.member_id, '',
       make_date(%(year)s - 1, 1 + (r.member_id %% 12)::int, 1), NULL
FROM gc_rank r JOIN orgs_organization o ON o.id = r.organization_id
JOIN gc_street s ON s.path = left(o.path, %(street_len)s)
WHERE s.community_id IS NOT NULL AND r.member_id %% 10 = 7;
INSERT INTO service_communitycheckin (community_id, kind, unit_id, member_id, reason,
    registered_on, ended_on)
SELECT s.community_id, 'unit', u.id, NULL, '', make_date(%(year)s - 1, 3, 1), NULL
FROM gc_unit u JOIN gc_street s ON s.id = u.street_id WHERE s.community_id IS NOT NULL;
DROP TABLE gc_street, gc_unit, gc_volunteer, gc_activity
"""


def service(cursor, root):
    if _exists(cursor, "service_serviceproject", root):
        return EXISTS
    cursor.execute(SERVICE_SQL, _params(root))
    cursor.execute(
        "SELECT COUNT(*) FROM service_volunteersignup g "
        "JOIN service_volunteeractivity a ON a.id = g.activity_id "
        "JOIN orgs_organization o ON o.id = a.organization_id WHERE o.path LIKE %s",
        [root.path + "%"],
    )
    signups = cursor.fetchone()[0]
    projects = _count(cursor, "service_serviceproject", root)
    return f"{projects:,} service projects with claims, {signups:,} volunteer sign-ups"


STANDING_SQL = """
INSERT INTO standing_lapsecase (member_id, organization_id, first_month, last_month, no_life,
    no_dues, no_work, detected_on, status, closed_on)
SELECT r.member_id, r.organization_id, make_date(%(year)s, 1, 1), make_date(%(year)s, 6, 1),
       true, r.member_id %% 2 = 0, true, make_date(%(year)s, 7, 5),
       CASE WHEN r.member_id %% 3000 = 13 THEN 'resumed' ELSE 'open' END,
       CASE WHEN r.member_id %% 3000 = 13 THEN make_date(%(year)s, 9, 1) END
FROM gc_rank r WHERE r.member_id %% 1000 = 13;
INSERT INTO resident_requests_callin (request_id, unit_name, unit_org_id, task, due, status,
    reported_at, result, called_by_id, called_at, contact_phone, link_nonce, link_expires_at,
    overdue_at)
SELECT q.id, '城管执法中队', b.street_id, '现场核实并处置', q.created_at + interval '3 days',
       CASE WHEN q.status IN ('solved', 'closed') THEN 'done' ELSE 'open' END,
       CASE WHEN q.status IN ('solved', 'closed') THEN q.created_at + interval '1 day' END,
       CASE WHEN q.status IN ('solved', 'closed') THEN '已处置' ELSE '' END, NULL,
       q.created_at + interval '2 hours', '', md5('gc' || q.id), now() + interval '30 days',
       NULL
FROM resident_requests_residentrequest q JOIN gc_branch b ON b.id = q.organization_id
WHERE q.id %% 50 = 0;
INSERT INTO members_statuschange (member_id, from_status, to_status, "on", reason, actor_id, at)
SELECT m.id, 'normal', m.status, make_date(%(year)s, 1 + (m.id %% 10)::int, 1),
       '长期联系不上', NULL, now()
FROM members_member m JOIN orgs_organization o ON o.id = m.organization_id
WHERE o.path LIKE %(root)s AND m.status <> 'normal';
INSERT INTO orgs_orgchange (organization_id, kind, "on", other_id, detail, at)
SELECT o.id, 'create', o.founded_on, NULL, '成立', now()
FROM orgs_organization o WHERE o.path LIKE %(root)s;
INSERT INTO meetings_ruleoverride (organization_id, rule_code, enabled, per_period, months, note)
SELECT d.id, 'party_lecture', true, 1, 3, '每季度一次党课'
FROM orgs_organization d WHERE d.path LIKE %(root)s AND d.depth = %(depth)s + 1;
INSERT INTO transfers_transferpolicy (organization_id, direct_within, letter_prefix)
SELECT d.id, true, 'GC' || d.id
FROM orgs_organization d WHERE d.path LIKE %(root)s AND d.depth = %(depth)s + 1;
INSERT INTO enterprise_enterprisecase (request_id, enterprise_id)
SELECT q.id, e.id
FROM (SELECT e.id, e.party_org_id, row_number() OVER (ORDER BY e.id) AS rn
      FROM enterprise_enterprise e JOIN gc_branch b ON b.id = e.party_org_id) e
JOIN LATERAL (SELECT MIN(q.id) AS id FROM resident_requests_residentrequest q
              WHERE q.organization_id = e.party_org_id) q ON q.id IS NOT NULL
WHERE e.rn %% 5 = 1
"""


def standing(cursor, root):
    if _exists(cursor, "standing_lapsecase", root):
        return EXISTS
    cursor.execute(STANDING_SQL, _params(root))
    n = _count(cursor, "standing_lapsecase", root)
    return (
        f"{n:,} lapse cases; unit call-ins, status changes, org history, rule overrides, "
        "transfer policies, enterprise cases"
    )


# ---------------------------------------------------------------- campaigns, venues
#
#   campaigns    a campaign per street (回迁 in odd streets, so the bench's first street
#                has the allocation page; 拆迁 in even ones), run by a temporary branch
#                (临时党支部) made under the street with two 党小组 (new organizations, 3
#                per street, without members); 1 in 8 of the street's grid
#                households as its cases (six classes for a demolition), each with a family
#                member, its stage history from registration, a visit once past the first
#                stage, an agreement for a signed demolition; the board's counts (now and
#                per day) from that history; 30 days of 早碰头/午调度/晚研判 with an
#                assignment per evening (owner: the street's first branch secretary, 1 in 5
#                still open, escalated); 回迁: a flat per household, chosen from the
#                allocated stage on; a notice to every household (no phone: not delivered)
#   venues       a 党群服务中心 per street (3 rooms, approval needed) and a 邻里中心 per
#                community branch (2 rooms, open on days off); a photo and five weekday
#                duties each; two bookings a month per room (past ones checked in, 1 in 11
#                no-show, 1 in 7 cancelled), two activities a month per venue, up to 12
#                members of the venue's organization and 2 residents signed up to each

CAMPAIGN_TABLES_SQL = """
CREATE TEMP TABLE gc_cstreet AS
SELECT s.id, s.path, s.code, s.domain, s.numchild,
       replace(s.name, '街道党工委', '') AS place, n.n,
       CASE WHEN n.n %% 2 = 0 THEN 'demolition' ELSE 'resettlement' END AS kind,
       CASE WHEN n.n %% 2 = 0 THEN replace(s.name, '街道党工委', '') || '片区拆迁'
            ELSE replace(s.name, '街道党工委', '') || '安置房回迁' END AS cname,
       make_date(%(year)s, (2 + n.n %% 5)::int, 1) AS starts,
       %(prefix)s || 'T' || substr(s.code, length(%(prefix)s) + 1) AS branch_code,
       (SELECT u.id FROM gc_branch b JOIN gc_rank r ON r.organization_id = b.id AND r.rn = 1
        JOIN accounts_user u ON u.username = 'gc' || r.member_id
        WHERE b.street_id = s.id ORDER BY b.rn LIMIT 1) AS owner_id
FROM (SELECT s.*, row_number() OVER (ORDER BY s.path) AS n FROM orgs_organization s
      WHERE s.path LIKE %(root)s AND s.depth = %(depth)s + 2) s
CROSS JOIN LATERAL (SELECT s.n) n
WHERE true
"""
CAMPAIGN_ORGS_SQL = """
INSERT INTO orgs_organization (path, depth, numchild, code, name, short_name, kind,
    is_temporary, is_joint, domain, founded_on, address, contact_name, contact_phone, status,
    dissolved_on, created_at, updated_at, full_member_count, member_count,
    probationary_member_count, size_exception_approval, size_exception_approved_on)
SELECT c.path || pg_temp.b36(c.numchild + 1), %(depth)s + 3, 2, c.branch_code,
       c.cname || '临时党支部', '', 'branch', true, false, c.domain, c.starts, '', '', '',
       'active', NULL, now(), now(), 0, 0, 0, '', NULL
FROM gc_cstreet c;
INSERT INTO orgs_organization (path, depth, numchild, code, name, short_name, kind,
    is_temporary, is_joint, domain, founded_on, address, contact_name, contact_phone, status,
    dissolved_on, created_at, updated_at, full_member_count, member_count,
    probationary_member_count, size_exception_approval, size_exception_approved_on)
SELECT b.path || pg_temp.b36(g), %(depth)s + 4, 0, b.code || '-0' || g,
       '专项第' || (ARRAY['一', '二'])[g] || '党小组', '', 'group', false, false, b.domain,
       b.founded_on, '', '', '', 'active', NULL, now(), now(), 0, 0, 0, '', NULL
FROM gc_cstreet c JOIN orgs_organization b ON b.code = c.branch_code
CROSS JOIN generate_series(1, 2) g;
UPDATE orgs_organization s SET numchild = s.numchild + 1 FROM gc_cstreet c WHERE s.id = c.id;
INSERT INTO orgs_orgchange (organization_id, kind, "on", other_id, detail, at)
SELECT o.id, 'create', o.founded_on, NULL, '成立(专项工作)', now()
FROM gc_cstreet c JOIN orgs_organization o ON o.path LIKE c.path || '%%'
WHERE o.code LIKE c.branch_code || '%%'
"""
CAMPAIGNS_SQL = """
INSERT INTO campaigns_campaign (name, kind, street_id, branch_id, leader_id, starts_on, ends_on,
    status, closed_on, description, allocation_rule, allocation_seed, allocation_published_at,
    created_by_id, created_at)
SELECT c.cname, c.kind, c.id, b.id, NULL, c.starts, c.starts + 180, 'active', NULL,
       CASE c.kind WHEN 'demolition' THEN '180天内完成片区房产的签约、腾空和拆除。'
            ELSE '安置房选房、交钥匙和入住。' END,
       CASE c.kind WHEN 'resettlement' THEN 'area_desc' ELSE '' END, '', NULL, NULL,
       c.starts + time '09:00' - interval '8 hours'
FROM gc_cstreet c JOIN orgs_organization b ON b.code = c.branch_code;
CREATE TEMP TABLE gc_campaign AS
SELECT cp.id, cp.kind, cp.starts_on, c.id AS street_id, c.path, c.owner_id,
       CASE cp.kind WHEN 'demolition' THEN %(demolition)s::text[] ELSE %(resettlement)s::text[]
       END AS st
FROM campaigns_campaign cp JOIN gc_cstreet c ON c.id = cp.street_id;
INSERT INTO campaigns_caseclass (campaign_id, position, name, note)
SELECT cp.id, k, (%(classes)s::text[])[k], ''
FROM gc_campaign cp CROSS JOIN generate_series(1, cardinality(%(classes)s::text[])) k
WHERE cp.kind = 'demolition';
INSERT INTO campaigns_workgroup (campaign_id, organization_id, name, leader_name, leader_id)
SELECT cp.id, g.id, g.name, (ARRAY['王振华', '李庆军'])[right(g.code, 1)::int], NULL
FROM campaigns_campaign cp JOIN gc_campaign x ON x.id = cp.id
JOIN orgs_organization b ON b.id = cp.branch_id
JOIN orgs_organization g ON g.path LIKE b.path || '_%%' AND g.depth = b.depth + 1;
CREATE TEMP TABLE gc_hh AS
SELECT x.*, 'H' || lpad(x.k::text, 4, '0') AS number,
       CASE WHEN x.kind = 'demolition' THEN 1 + x.k %% 6 END AS pos,
       (CASE WHEN x.kind = 'demolition' AND x.k %% 6 >= 4 THEN 1 + x.k %% 2
             ELSE 1 + (x.k * 7 + x.hid * 13) %% cardinality(x.st) END)::int AS idx,
       1 + x.k %% 2 AS g
FROM (
  SELECT cp.id AS campaign_id, cp.kind, cp.starts_on, cp.st, cp.owner_id, h.id AS hid,
         h.head_name, h.size, h.address, gr.name AS village,
         row_number() OVER (PARTITION BY cp.id ORDER BY h.id)::int AS k
  FROM gc_campaign cp
  JOIN orgs_organization b ON b.path LIKE cp.path || '%%' AND b.kind = 'branch'
  JOIN grid_grid gr ON gr.organization_id = b.id AND gr.depth = 2
  JOIN grid_household h ON h.grid_id = gr.id
  WHERE h.id %% 8 = 0
) x;
CREATE TEMP TABLE gc_wg AS
SELECT w.id, w.campaign_id, row_number() OVER (PARTITION BY w.campaign_id ORDER BY w.id) AS g
FROM campaigns_workgroup w JOIN gc_campaign cp ON cp.id = w.campaign_id;
INSERT INTO campaigns_case (campaign_id, number, village, head_name, id_number, id_number_hash,
    phone, people, address, area, property_note, case_class_id, group_id, stage, stage_since,
    responsible_id, choose_order, signed_on, note, updated_at, version)
SELECT h.campaign_id, h.number, h.village, h.head_name, '', NULL, '', h.size, h.address,
       60 + h.hid %% 140, CASE h.kind WHEN 'demolition' THEN '砖混结构宅院一处' ELSE '' END,
       cc.id, wg.id, h.st[h.idx], h.starts_on + (h.idx - 1) * 12 + (h.hid %% 5)::int,
       CASE WHEN h.k %% 3 = 0 THEN h.owner_id END,
       CASE WHEN h.kind = 'resettlement' AND h.idx >= 3 THEN h.k END,
       CASE WHEN h.kind = 'demolition' AND h.idx >= 3
            THEN h.starts_on + 24 + (h.hid %% 5)::int END,
       '', now(), 0
FROM gc_hh h
LEFT JOIN campaigns_caseclass cc ON cc.campaign_id = h.campaign_id AND cc.position = h.pos
JOIN gc_wg wg ON wg.campaign_id = h.campaign_id AND wg.g = h.g;
CREATE TEMP TABLE gc_case AS
SELECT c.id, c.campaign_id, c.group_id, c.case_class_id, c.stage, h.hid, h.k, h.idx, h.st,
       h.kind, h.starts_on, h.head_name
FROM gc_hh h JOIN campaigns_case c ON c.campaign_id = h.campaign_id AND c.number = h.number;
INSERT INTO campaigns_caseperson (case_id, name, relation, id_number)
SELECT c.id, '家属' || c.k, (ARRAY['配偶', '子女', '父母'])[1 + c.hid %% 3], ''
FROM gc_case c;
INSERT INTO campaigns_stagechange (case_id, before, after, "on", note, actor_id)
SELECT c.id, CASE WHEN i = 1 THEN '' ELSE c.st[i - 1] END, c.st[i],
       c.starts_on + (i - 1) * 12 + (c.hid %% 5)::int, '', NULL
FROM gc_case c CROSS JOIN LATERAL generate_series(1, c.idx) i;
INSERT INTO campaigns_stagecount (campaign_id, day, group_key, class_key, stage, n)
SELECT c.campaign_id, NULL, COALESCE(c.group_id, 0), COALESCE(c.case_class_id, 0), c.stage,
       COUNT(*)
FROM gc_case c GROUP BY 1, 3, 4, 5;
INSERT INTO campaigns_stagecount (campaign_id, day, group_key, class_key, stage, n)
SELECT c.campaign_id, s."on", COALESCE(c.group_id, 0), 0, s.after, COUNT(*)
FROM gc_case c JOIN campaigns_stagechange s ON s.case_id = c.id GROUP BY 1, 2, 3, 5;
INSERT INTO campaigns_casevisit (case_id, visited_on, visitor_name, talked_with, said, issues,
    recorded_by_id, idempotency_key, created_at)
SELECT c.id, c.starts_on + 6 + (c.hid %% 5)::int, '包户干部', c.head_name,
       (ARRAY['讲解补偿安置政策', '核对房产和人口情况', '约定评估公司复核面积'])[1 + c.k %% 3],
       CASE WHEN c.k %% 4 = 0 THEN '希望尽快明确过渡费标准' ELSE '' END, NULL, NULL,
       c.starts_on + 6 + (c.hid %% 5)::int + time '18:00' - interval '8 hours'
FROM gc_case c WHERE c.idx >= 2;
INSERT INTO campaigns_casedocument (case_id, kind, title, file, uploaded_by_id, uploaded_at)
SELECT c.id, 'agreement', '拆迁补偿协议', 'campaigns/' || %(year)s || '/gc-' || c.id || '.pdf', NULL,
       c.starts_on + 24 + (c.hid %% 5)::int + time '18:00' - interval '8 hours'
FROM gc_case c WHERE c.kind = 'demolition' AND c.idx >= 3;
INSERT INTO campaigns_housingunit (campaign_id, code, building, area, layout, case_id, chosen_on)
SELECT c.campaign_id, (1 + c.k / 24) || '-' || lpad(c.k::text, 4, '0'),
       (1 + c.k / 24) || '号楼', 60 + (c.hid %% 4) * 20,
       (ARRAY['一室一厅', '两室一厅', '两室两厅', '三室一厅'])[1 + c.hid %% 4],
       CASE WHEN c.idx >= 3 THEN c.id END,
       CASE WHEN c.idx >= 3 THEN c.starts_on + 24 + (c.hid %% 5)::int END
FROM gc_case c WHERE c.kind = 'resettlement';
INSERT INTO campaigns_dispatchmeeting (campaign_id, held_on, kind, attendees, issues, decisions,
    recorded_by_id, created_at)
SELECT cp.id, cp.starts_on + d, k.kind, '指挥部成员、各小组组长', k.issues, k.decisions, NULL,
       cp.starts_on + d + k.at - interval '8 hours'
FROM gc_campaign cp CROSS JOIN generate_series(0, 29) d
CROSS JOIN (VALUES
    ('morning', '当日入户计划，协调评估公司到场', '各小组按计划入户', time '08:00'),
    ('noon', '上午进展和群众提出的异议', '异议逐户登记，下午答复', time '12:30'),
    ('evening', '研判重点户，逐户分析症结', '明确包户责任人和完成时限', time '19:00'))
    AS k(kind, issues, decisions, at);
INSERT INTO campaigns_assignment (meeting_id, campaign_id, case_id, task, owner_id, due_on,
    done_on, result, escalated_on)
SELECT m.id, m.campaign_id, NULL, '对重点户再次入户走访，答复补偿异议', cp.owner_id,
       m.held_on + 3, CASE WHEN m.held_on - cp.starts_on < 25 THEN m.held_on + 2 END,
       CASE WHEN m.held_on - cp.starts_on < 25 THEN '已入户答复' ELSE '' END,
       CASE WHEN m.held_on - cp.starts_on >= 25 AND m.held_on + 4 <= current_date
            THEN m.held_on + 4 END
FROM campaigns_dispatchmeeting m JOIN gc_campaign cp ON cp.id = m.campaign_id
WHERE m.kind = 'evening' AND cp.owner_id IS NOT NULL;
INSERT INTO campaigns_householdnotice (campaign_id, title, body, sent_by_id, sent_at)
SELECT cp.id, '关于入户摸底登记的通知', '请各户备齐房产证明和户口簿，配合工作人员入户登记。', NULL,
       cp.starts_on + 1 + time '10:00' - interval '8 hours'
FROM gc_campaign cp;
INSERT INTO campaigns_noticereach (notice_id, case_id, delivery_id, missing)
SELECT n.id, c.id, NULL, %(no_phone)s
FROM campaigns_householdnotice n JOIN gc_case c ON c.campaign_id = n.campaign_id;
DROP TABLE gc_cstreet, gc_campaign, gc_hh, gc_wg, gc_case
"""

VENUES_SQL = """
CREATE TEMP TABLE gc_vorg AS
SELECT s.id AS org_id, s.path, 'centre' AS kind,
       replace(s.name, '党工委', '') || '党群服务中心' AS name, true AS approval
FROM orgs_organization s
WHERE s.path LIKE %(root)s AND s.depth = %(depth)s + 2
UNION ALL
SELECT b.id, b.path, 'neighbourhood', replace(b.name, '党支部', '') || '邻里中心', false
FROM gc_branch b WHERE b.domain = 'community';
INSERT INTO venues_venue (organization_id, name, kind, status, address, latitude, longitude,
    opens_at, closes_at, open_days_off, desk_phone, services, description, needs_approval,
    cancel_hours, no_show_limit, created_at)
SELECT v.org_id, v.name, v.kind, 'open', '经十路' || v.org_id || '号',
       36.62 + (v.org_id %% 97) / 1000.0, 116.95 + (v.org_id %% 89) / 500.0, time '08:30',
       CASE v.kind WHEN 'centre' THEN time '17:30' ELSE time '20:00' END, v.kind <> 'centre',
       '0531-8' || lpad(v.org_id::text, 7, '0'),
       E'政策咨询\n党员教育\n志愿服务\n便民服务', '', v.approval, 24, 3,
       make_date(%(year)s - 1, 12, 1) + time '09:00'
FROM gc_vorg v;
CREATE TEMP TABLE gc_venue AS
SELECT x.id, x.organization_id AS org_id, x.kind, x.needs_approval, v.path,
       row_number() OVER (ORDER BY x.id) AS vn
FROM venues_venue x JOIN gc_vorg v ON v.org_id = x.organization_id AND v.name = x.name;
INSERT INTO venues_venuephoto (venue_id, file, caption, uploaded_at)
SELECT v.id, 'venues/photos/gc-' || v.id || '.jpg', '外景', now() FROM gc_venue v;
INSERT INTO venues_duty (venue_id, weekday, name, post)
SELECT v.id, w, (ARRAY['张敏', '李娜', '王磊', '刘洋', '陈静'])[1 + (v.id + w) %% 5], '党员志愿者'
FROM gc_venue v CROSS JOIN generate_series(0, 4) w;
INSERT INTO venues_room (venue_id, name, capacity, equipment, bookable)
SELECT v.id, r.name, r.capacity, r.equipment, true
FROM gc_venue v CROSS JOIN (VALUES
    ('centre', '多功能会议室', 60, '投影仪、音响'), ('centre', '党员活动室', 30, '电视、书柜'),
    ('centre', '议事协商室', 12, ''), ('neighbourhood', '活动室', 30, ''),
    ('neighbourhood', '书画室', 15, '书画桌')) AS r(kind, name, capacity, equipment)
WHERE r.kind = v.kind;
CREATE TEMP TABLE gc_room AS
SELECT r.id, r.capacity, v.id AS venue_id, v.org_id, v.needs_approval, v.path,
       row_number() OVER (PARTITION BY v.id ORDER BY r.id) AS rn
FROM venues_room r JOIN gc_venue v ON v.id = r.venue_id;
INSERT INTO venues_booking (room_id, starts_at, ends_at, booker_kind, organization_id, unit_id,
    contact_name, phone, phone_hash, purpose, attendees, status, late_cancel, token, note,
    checked_in_at, created_by_id, created_at)
SELECT r.id, t.at, t.at + interval '2 hours', b.kind,
       CASE WHEN b.kind = 'org' THEN r.org_id END, CASE WHEN b.kind = 'unit' THEN u.id END,
       CASE b.kind WHEN 'resident' THEN '居民' || r.id || '-' || k ELSE '联络员' END, '', NULL,
       (ARRAY['支部主题党日', '共建单位座谈', '居民议事', '志愿者培训'])[1 + k %% 4],
       LEAST(r.capacity, 8 + k %% 20), s.status, false, md5('gc-booking-' || r.id || '-' || k),
       '', CASE WHEN s.status = 'checked_in' THEN t.at - interval '5 minutes' END, NULL,
       t.at - interval '3 days'
FROM gc_room r CROSS JOIN generate_series(1, 24) k
CROSS JOIN LATERAL (SELECT make_date(%(year)s, 1 + (k - 1) / 2, 5 + ((k - 1) %% 2) * 14)
                           + time '09:00' - interval '8 hours' AS at) t
LEFT JOIN LATERAL (SELECT p.id FROM service_partnerunit p
                   WHERE p.name LIKE '%%共建单位_号(' || (SELECT s.id FROM orgs_organization s
                         WHERE r.path LIKE s.path || '%%' AND s.depth = %(depth)s + 2) || ')'
                   ORDER BY p.id LIMIT 1) u ON true
CROSS JOIN LATERAL (SELECT CASE WHEN k %% 3 = 1 AND u.id IS NOT NULL THEN 'unit'
                                WHEN k %% 3 = 2 THEN 'resident' ELSE 'org' END AS kind) b
CROSS JOIN LATERAL (SELECT CASE
    WHEN t.at < now() AND (r.id + k) %% 11 = 0 THEN 'no_show'
    WHEN (r.id + k) %% 7 = 0 THEN 'cancelled'
    WHEN t.at < now() THEN 'checked_in'
    WHEN r.needs_approval AND k %% 4 = 0 THEN 'pending' ELSE 'approved' END AS status) s;
INSERT INTO venues_activity (venue_id, room_id, organization_id, kind, title, description,
    starts_at, ends_at, capacity, waitlist, is_public, cancelled, created_by_id, created_at)
SELECT v.id, r.id, v.org_id, a.kind, a.title, '', t.at, t.at + interval '2 hours', 30, 10,
       k %% 5 <> 0, false, NULL, t.at - interval '10 days'
FROM gc_venue v JOIN gc_room r ON r.venue_id = v.id AND r.rn = 1
CROSS JOIN generate_series(1, 24) k
CROSS JOIN LATERAL (SELECT (ARRAY['theme_day', 'volunteer', 'lecture', 'health', 'elderly',
                                  'culture'])[1 + k %% 6] AS kind,
                           (ARRAY['主题党日活动', '志愿服务进社区', '政策宣讲', '健康义诊',
                                  '为老助餐服务', '广场文艺演出'])[1 + k %% 6] AS title) a
CROSS JOIN LATERAL (SELECT make_date(%(year)s, 1 + (k - 1) / 2, 10 + ((k - 1) %% 2) * 14)
                           + time '14:30' - interval '8 hours' AS at) t;
CREATE TEMP TABLE gc_vactivity AS
SELECT a.id, a.starts_at, a.is_public, v.path,
       row_number() OVER (PARTITION BY v.id ORDER BY a.starts_at, a.id) - 1 AS idx
FROM venues_activity a JOIN gc_venue v ON v.id = a.venue_id;
INSERT INTO venues_signup (activity_id, member_id, name, phone, phone_hash, status,
    signed_up_at, checked_in_at)
SELECT x.id, x.member_id, x.name, '', NULL, x.status, x.starts_at - interval '2 days',
       CASE WHEN x.status = 'attended' THEN x.starts_at + interval '5 minutes' END
FROM (SELECT a.id, a.starts_at, r.member_id, r.name,
             CASE WHEN r.member_id %% 7 = 0 THEN 'cancelled'
                  WHEN a.starts_at < now() THEN 'attended' ELSE 'confirmed' END AS status,
             row_number() OVER (PARTITION BY a.id ORDER BY r.member_id) AS rn
      FROM gc_vactivity a JOIN orgs_organization o ON o.path LIKE a.path || '%%'
      JOIN gc_rank r ON r.organization_id = o.id AND r.member_id %% 24 = a.idx) x
WHERE x.rn <= 12;
INSERT INTO venues_signup (activity_id, member_id, name, phone, phone_hash, status,
    signed_up_at, checked_in_at)
SELECT a.id, NULL, '居民' || a.id || '-' || j, '', NULL,
       CASE WHEN a.starts_at < now() THEN 'attended' ELSE 'confirmed' END,
       a.starts_at - interval '1 day',
       CASE WHEN a.starts_at < now() THEN a.starts_at + interval '5 minutes' END
FROM gc_vactivity a CROSS JOIN generate_series(1, 2) j WHERE a.is_public;
DROP TABLE gc_vorg, gc_venue, gc_room, gc_vactivity
"""


def campaigns(cursor, root):
    from xianfeng.campaigns.outreach import NO_PHONE
    from xianfeng.campaigns.rules import DEMOLITION_CLASSES, CampaignKind, stage_codes

    if _exists(cursor, "campaigns_campaign", root, column="street_id"):
        return EXISTS
    params = _params(
        root,
        prefix=root.code[:-7],
        demolition=stage_codes(CampaignKind.DEMOLITION),
        resettlement=stage_codes(CampaignKind.RESETTLEMENT),
        classes=list(DEMOLITION_CLASSES),
        no_phone=str(NO_PHONE),
    )
    cursor.execute(B36_SQL)
    cursor.execute(CAMPAIGN_TABLES_SQL, params)
    cursor.execute(CAMPAIGN_ORGS_SQL, params)
    cursor.execute(CAMPAIGNS_SQL, params)
    n = _count(cursor, "campaigns_campaign", root, column="street_id")
    cursor.execute(
        "SELECT COUNT(*), COUNT(DISTINCT c.campaign_id) FROM campaigns_case c "
        "JOIN campaigns_campaign cp ON cp.id = c.campaign_id "
        "JOIN orgs_organization o ON o.id = cp.street_id WHERE o.path LIKE %s",
        [root.path + "%"],
    )
    cases = cursor.fetchone()[0]
    return f"{n:,} campaigns with temporary branches, {cases:,} cases, 30 days of dispatch each"


def venues(cursor, root):
    if _exists(cursor, "venues_venue", root):
        return EXISTS
    cursor.execute(VENUES_SQL, _params(root))
    n = _count(cursor, "venues_venue", root)
    cursor.execute(
        "SELECT COUNT(*) FROM venues_booking b JOIN venues_room r ON r.id = b.room_id "
        "JOIN venues_venue v ON v.id = r.venue_id "
        "JOIN orgs_organization o ON o.id = v.organization_id WHERE o.path LIKE %s",
        [root.path + "%"],
    )
    bookings = cursor.fetchone()[0]
    cursor.execute(
        "SELECT COUNT(*) FROM venues_signup s JOIN venues_activity a ON a.id = s.activity_id "
        "JOIN orgs_organization o ON o.id = a.organization_id WHERE o.path LIKE %s",
        [root.path + "%"],
    )
    return f"{n:,} venues, {bookings:,} bookings, {cursor.fetchone()[0]:,} activity sign-ups"


def _count(cursor, table, root, column="organization_id"):
    cursor.execute(
        f"SELECT COUNT(*) FROM {table} t JOIN orgs_organization o ON o.id = t.{column} "
        "WHERE o.path LIKE %s",
        [root.path + "%"],
    )
    return cursor.fetchone()[0]


# ---------------------------------------------------------------- driver


def _exists(cursor, table, root, column="organization_id"):
    cursor.execute(
        f"SELECT 1 FROM {table} t JOIN orgs_organization o ON o.id = t.{column} "
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
    ("committees", committees),  # before meetings: committee meetings need a committee
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
    ("accounts", accounts),
    ("elections", elections),
    ("instructors", instructors),
    ("enterprise", enterprise),
    ("cadres", cadres),
    ("notices", notices),
    ("assessment", assessment),
    ("point claims", point_claims),
    ("quizzes", quizzes),
    ("import jobs", import_jobs),
    ("mobile members", mobile_members),
    ("grid staff", grid_staff),
    ("service", service),
    ("standing", standing),
    ("campaigns", campaigns),  # after accounts (assignment owners) and grid (households)
    ("venues", venues),  # after service (partner units book rooms)
)


def fill_modules(root, log=print, only=None):
    """Fill every module for the city under `root`; returns {module: seconds}."""
    timings, generated = {}, False
    if connection.vendor != "postgresql":
        log("业务模块数据需要 PostgreSQL，已跳过 modules need PostgreSQL: skipped")
        return timings
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        prepare(cursor, root)
    log(f"ranked members and branches  {time.monotonic() - started:.1f} s")
    for name, step in MODULES:
        if only and name not in only:
            continue
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            result = step(cursor, root)
        timings[name] = time.monotonic() - started
        log(f"{name}: {result}  {timings[name]:.1f} s")
        generated = generated or result != EXISTS
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS gc_rank, gc_branch")
    if generated and connection.vendor == "postgresql":
        started = time.monotonic()
        with connection.cursor() as cursor:
            # VACUUM cannot run in a transaction (a test's); ANALYZE can.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        timings["vacuum analyze"] = time.monotonic() - started
        log(f"vacuum analyze  {timings['vacuum analyze']:.1f} s")
    return timings
