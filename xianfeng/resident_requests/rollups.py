"""Request figures from rollup rows (docs/decisions/0004-dashboard-rollups.md).

`RequestRollup` holds, per organization × local day (and × month, and × year) × category ×
grid, the sums the figures page needs. `ResidentRequest.save()` and its delete apply the difference
between a request's contribution before and after the write, with one upsert, in the
transaction of the write; so the rows are exact whenever the source is. Figures for a
period read the month rows of the whole months inside it and the day rows of the edges; a
whole calendar year reads its year rows, and a part of a year longer than the rest of it
(the screen's "this year" from July on) reads the year rows minus the rest (`_year_pieces`).

What depends on the clock is read live, from small partial indexes: requests not yet due
(`request_not_due_idx`) and requests overdue now (`request_next_due_idx`). Requests not yet
routed (the public page's single INSERT) are not in the rollup; their few rows are read live.

`contribution()` is the one definition of what a request adds; `rebuild`/`drift` recompute
any subtree from the requests with it (`manage.py check_rollups`).
"""

from collections import defaultdict
from datetime import date, timedelta
from itertools import groupby

from django.db import connection, transaction
from django.utils import timezone

from .models import CLOSED_STATUSES, OPEN_STATUSES, Status

DAY, MONTH, YEAR = 0, 1, 2
STATUS_COLUMNS = tuple(f"s_{s}" for s in Status.values)
COUNTERS = (
    "total",
    "responded",
    "solved",
    "closed",
    "on_time",
    "rated",
    "satisfied",
    "rating_sum",
    "respond_n",
    "respond_ms",
    "finish_n",
    "finish_ms",
    *STATUS_COLUMNS,
)
KEY = ("organization_id", "grain", "day", "category_id", "grid_id")
# The fields a contribution reads (their values at load time are kept on the instance).
SOURCE_FIELDS = (
    "organization_id",
    "category_id",
    "grid_id",
    "created_at",
    "routed_at",
    "status",
    "responded_at",
    "solved_at",
    "finish_due",
    "rating",
    "next_due",  # the "now" rollup's (now_contribution); the figures do not read it
)
_MS = timedelta(milliseconds=1)


def _ms(end, start):
    return (end - start) // _MS


def local_day(moment) -> date:
    return timezone.localtime(moment).date()


def contribution(values):
    """(key without grain/day, local day, counters) for a request's SOURCE_FIELDS values, or
    None for a request not routed yet (not in the rollup; figures read those live)."""
    v = dict(zip(SOURCE_FIELDS, values, strict=True))
    if v["routed_at"] is None or v["created_at"] is None:
        return None
    status, rating = v["status"], v["rating"]
    solved = status == Status.SOLVED
    counts = dict.fromkeys(COUNTERS, 0)
    counts["total"] = 1
    counts[f"s_{status}"] = 1
    counts["solved"] = int(solved)
    counts["closed"] = int(status in CLOSED_STATUSES)
    counts["on_time"] = int(
        solved and v["solved_at"] is not None and v["solved_at"] <= v["finish_due"]
    )
    if rating is not None:
        counts["rated"] = 1
        counts["satisfied"] = int(rating >= 4)
        counts["rating_sum"] = rating
    if v["responded_at"] is not None:
        counts["responded"] = counts["respond_n"] = 1
        counts["respond_ms"] = _ms(v["responded_at"], v["created_at"])
    if v["solved_at"] is not None:
        counts["finish_n"] = 1
        counts["finish_ms"] = _ms(v["solved_at"], v["created_at"])
    key = (v["organization_id"], v["category_id"], v["grid_id"] or 0)
    return key, local_day(v["created_at"]), counts


def snapshot(req):
    """The instance's SOURCE_FIELDS values (None when some were deferred at load)."""
    deferred = req.get_deferred_fields()
    if any(f.removesuffix("_id") in deferred or f in deferred for f in SOURCE_FIELDS):
        return None
    return tuple(getattr(req, f) for f in SOURCE_FIELDS)


def _rows(contrib, sign):
    """The day, month and year rows a contribution adds to (sign -1 to take it away)."""
    (org, category, grid), day, counts = contrib
    values = [sign * counts[c] for c in COUNTERS]
    return [
        (org, DAY, day, category, grid, *values),
        (org, MONTH, day.replace(day=1), category, grid, *values),
        (org, YEAR, day.replace(month=1, day=1), category, grid, *values),
    ]


def _upsert_sql(n_rows):
    from .models import RequestRollup

    table = RequestRollup._meta.db_table
    columns = (*KEY, *COUNTERS)
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * n_rows)} "
        f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {updates}"
    )


def _both(values):
    if values is None:
        return None, None
    return contribution(values), now_contribution(values)


def changes(before, after) -> bool:
    """Whether a write from `before` to `after` (values tuples or None) moves any rollup."""
    return _both(before) != _both(after)


def apply_change(before, after):
    """Add `after`'s contribution and take `before`'s away (values tuples or None), in the
    figures' rollup and in the "now" rollup."""
    old, old_now = _both(before)
    new, new_now = _both(after)
    if old_now != new_now:
        _write_now(_now_rows(old_now, new_now))
    if old == new:
        return
    rows = []
    if old is not None and new is not None and old[:2] == new[:2]:
        (key, day, a), (_, _, b) = new, old
        delta = {c: a[c] - b[c] for c in COUNTERS}
        rows = _rows((key, day, delta), 1)
    else:
        if old is not None:
            rows += _rows(old, -1)
        if new is not None:
            rows += _rows(new, 1)
    _write(rows)


def _write(rows):
    if not rows:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_upsert_sql(len(rows)), [v for row in rows for v in row])


# ---------------------------------------------------------------- rebuilding and checking


def _source_in(org_paths):
    from .models import ResidentRequest

    qs = ResidentRequest.objects.order_by("organization_id")
    if org_paths is not None:
        from xianfeng.accounts.scoping import path_q

        qs = qs.filter(path_q("organization__path", org_paths))
    return qs.values_list(*SOURCE_FIELDS)


def _per_org(org_paths):
    """Yield (org id, {(grain, day, category, grid): [counters]}) from the requests."""
    rows = _source_in(org_paths).iterator(chunk_size=5000)
    for org, values in groupby(rows, key=lambda v: v[0]):
        sums = defaultdict(lambda: [0] * len(COUNTERS))
        for v in values:
            c = contribution(v)
            if c is None:
                continue
            for row in _rows(c, 1):
                target = sums[row[1:5]]
                for i, n in enumerate(row[5:]):
                    target[i] += n
        yield org, sums


def _stored(org_ids):
    from .models import RequestRollup

    stored = defaultdict(dict)
    for row in RequestRollup.objects.filter(organization_id__in=org_ids).values_list(
        *KEY, *COUNTERS
    ):
        counts = list(row[5:])
        if any(counts):
            stored[row[0]][row[1:5]] = counts
    return stored


def _org_ids(org_paths):
    from xianfeng.accounts.scoping import path_q
    from xianfeng.orgs.models import Organization

    qs = Organization.objects.order_by("pk")
    if org_paths is not None:
        qs = qs.filter(path_q("path", org_paths))
    return list(qs.values_list("pk", flat=True))


def drift(org_paths=None, *, fix=False, batch=500):
    """[(org id, key, stored, actual)] for rollup rows that differ from the requests of the
    subtrees at `org_paths` (None: every organization); with fix=True rewrite those rows."""
    from .models import RequestRollup

    actual = {org: {k: v for k, v in sums.items() if any(v)} for org, sums in _per_org(org_paths)}
    found = []
    ids = _org_ids(org_paths)
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        stored = _stored(chunk)
        for org in chunk:
            want, have = actual.get(org, {}), stored.get(org, {})
            for key in want.keys() | have.keys():
                if want.get(key) != have.get(key):
                    found.append((org, key, have.get(key), want.get(key)))
    if fix and found:
        with transaction.atomic():
            orgs = sorted({org for org, *_ in found})
            RequestRollup.objects.filter(organization_id__in=orgs).delete()
            rows = [
                (org, *key, *counts) for org in orgs for key, counts in actual.get(org, {}).items()
            ]
            for start in range(0, len(rows), 200):
                with connection.cursor() as cursor:
                    part = rows[start : start + 200]
                    cursor.execute(_upsert_sql(len(part)), [v for row in part for v in row])
    return found


def rebuild(org_paths=None):
    """Recompute the rollup of these subtrees (every organization by default) from the
    requests, one organization at a time; returns the number of rows written."""
    from .models import RequestRollup

    written = 0
    with transaction.atomic():
        if org_paths is None:
            RequestRollup.objects.all().delete()
        else:
            RequestRollup.objects.filter(organization_id__in=_org_ids(org_paths)).delete()
        pending = []
        for org, sums in _per_org(org_paths):
            pending += [(org, *key, *counts) for key, counts in sums.items() if any(counts)]
            if len(pending) >= 2000:
                written += _flush(pending)
                pending = []
        written += _flush(pending)
    return written


def _flush(rows):
    for start in range(0, len(rows), 200):
        part = rows[start : start + 200]
        with connection.cursor() as cursor:
            cursor.execute(_upsert_sql(len(part)), [v for row in part for v in row])
    return len(rows)


# ---------------------------------------------------------------- reading


def _pieces(start: date, end: date):
    """[(grain, first day, last day)] covering [start, end]: whole months as month rows."""
    pieces = []
    first_month = start if start.day == 1 else _next_month(start)
    after_end = end + timedelta(days=1)
    last_month = after_end.replace(day=1)  # first month NOT entirely inside
    if first_month >= last_month:
        return [(DAY, start, end)]
    if start < first_month:
        pieces.append((DAY, start, first_month - timedelta(days=1)))
    pieces.append((MONTH, first_month, last_month - timedelta(days=1)))
    if last_month <= end:
        pieces.append((DAY, last_month, end))
    return pieces


def _next_month(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _year_pieces(start: date, end: date):
    """[(grain, first day, last day, sign)] covering [start, end] in RequestRollup: per
    calendar year, its year row (+1) minus the pieces of the days outside the period (-1)
    when those are fewer than the days inside (a whole year; a year to date from July on),
    else the month and day pieces of `_pieces` (+1). Exact either way; the choice only
    decides how many rows are read."""
    pieces = []
    for year in range(start.year, end.year + 1):
        jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
        first, last = max(start, jan1), min(end, dec31)
        inside = (last - first).days + 1
        if inside > (dec31 - jan1).days + 1 - inside:
            pieces.append((YEAR, jan1, jan1, 1))
            if first > jan1:
                pieces += [(*p, -1) for p in _pieces(jan1, first - timedelta(days=1))]
            if last < dec31:
                pieces += [(*p, -1) for p in _pieces(last + timedelta(days=1), dec31)]
        else:
            pieces += [(*p, 1) for p in _pieces(first, last)]
    return pieces


_PIECE = "(r.grain = %s AND r.day BETWEEN %s AND %s)"


def _signed_sum(pieces, column):
    """SQL and params: the sum of `column` over the rows of `pieces`, each with its sign."""
    plus = [p[:3] for p in pieces if p[3] > 0]
    minus = [p[:3] for p in pieces if p[3] < 0]
    sql, params = "CASE", []
    for rows, value in ((plus, f"r.{column}"), (minus, f"-r.{column}")):
        if rows:
            sql += f" WHEN {' OR '.join([_PIECE] * len(rows))} THEN {value}"
            params += [v for piece in rows for v in piece]
    return f"SUM({sql} ELSE 0 END)", params


def grid_ids_under(grid):
    """Ids of `grid` and the grids below it (the figures' grid filter), or None."""
    if grid is None:
        return None
    from xianfeng.grid.models import Grid

    return list(Grid.objects.filter(path__startswith=grid.path).values_list("pk", flat=True))


def read(org_path, start, end, *, grid_ids=None):
    """{(category id, grid id): {counter: sum}} over the subtree's rollup rows in [start, end]."""
    from xianfeng.orgs.models import Organization

    from .models import RequestRollup

    table = RequestRollup._meta.db_table
    orgs = Organization._meta.db_table
    pieces = _year_pieces(start, end)
    select, params = [], []
    for c in COUNTERS:
        if all(p[3] > 0 for p in pieces):
            select.append(f"SUM(r.{c})")
        else:
            sql, piece_params = _signed_sum(pieces, c)
            select.append(sql)
            params += piece_params
    period = " OR ".join([_PIECE] * len(pieces))
    params.append(org_path + "%")
    for piece in pieces:
        params += piece[:3]
    grid_sql = ""
    if grid_ids is not None:
        ids = list(grid_ids) or [-1]
        grid_sql = f" AND r.grid_id IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    sums = ", ".join(select)
    sql = (
        f"SELECT r.category_id, r.grid_id, {sums} FROM {table} r "
        f"JOIN {orgs} o ON o.id = r.organization_id "
        f"WHERE o.path LIKE %s AND ({period}){grid_sql} GROUP BY r.category_id, r.grid_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            (cat, g): dict(zip(COUNTERS, (int(x or 0) for x in rest), strict=True))
            for cat, g, *rest in cursor.fetchall()
        }


def unrouted(qs, now):
    """The same sums for the requests in `qs` not routed yet (read from their partial index),
    with `not_due` counted too: {(category id, grid id): counts}."""
    out = {}
    for values in qs.filter(routed_at__isnull=True).values_list(*SOURCE_FIELDS):
        (_org, cat, g), _day, counts = contribution((*values[:4], now, *values[5:]))
        counts["not_due"] = int(values[5] != Status.SOLVED and values[8] > now)
        target = out.setdefault((cat, g), dict.fromkeys((*COUNTERS, "not_due"), 0))
        for k, n in counts.items():
            target[k] += n
    return out


def add_into(total, part):
    for key, counts in part.items():
        target = total.setdefault(key, dict.fromkeys(COUNTERS, 0))
        for k, n in counts.items():
            target[k] = target.get(k, 0) + n
    return total


OPEN_COLUMNS = tuple(f"s_{s}" for s in OPEN_STATUSES)


def read_sums(org_path, periods, columns):
    """{period name: {column: sum}} over the subtree's rollup rows for several periods
    {name: (start, end)} in one statement (the screen's today and this year): the rows of
    every period's pieces are read once, each sum takes the rows of its own pieces."""
    from xianfeng.orgs.models import Organization

    from .models import RequestRollup

    table = RequestRollup._meta.db_table
    orgs = Organization._meta.db_table
    select, select_params = [], []
    names = list(periods)
    for name in names:
        pieces = _year_pieces(*periods[name])
        for column in columns:
            assert column in COUNTERS, column
            sql, piece_params = _signed_sum(pieces, column)
            select.append(sql)
            select_params += piece_params
    union = sorted(
        {piece[:3] for start, end in periods.values() for piece in _year_pieces(start, end)}
    )
    sql = (
        f"SELECT {', '.join(select)} FROM {table} r JOIN {orgs} o ON o.id = r.organization_id "
        f"WHERE o.path LIKE %s AND ({' OR '.join([_PIECE] * len(union))})"
    )
    params = [*select_params, org_path + "%", *(v for piece in union for v in piece)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = iter(cursor.fetchone())
    return {name: {column: int(next(row) or 0) for column in columns} for name in names}


# ---------------------------------------------------------------- the "now" rollup
#
# Open requests and requests with a deadline, per organization × grid × local day of
# `next_due` (NO_DUE when there is none). A request's row depends only on its own fields,
# never on the clock, so every write keeps it exact in its transaction (the same `save()`
# as the figures); the clock enters only at read time: overdue now = the `due` of the days
# before today + the requests due today whose moment has passed (a range of today's
# deadlines on request_next_due_idx). Rows left at zero (the deadline moved on) are pruned
# by the nightly job (tasks.prune_request_now).

NO_DUE = date(9999, 12, 31)
NOW_COUNTERS = ("open", "due")
NOW_KEY = ("organization_id", "grid_id", "due_day")


def now_contribution(values):
    """((org, grid or 0, due day), (open, due)) for a request's SOURCE_FIELDS values, or
    None when it counts for nothing (closed with no deadline, or not routed yet)."""
    v = dict(zip(SOURCE_FIELDS, values, strict=True))
    if v["routed_at"] is None or v["created_at"] is None:
        return None
    is_open = v["status"] in OPEN_STATUSES
    due = v["next_due"]
    if not is_open and due is None:
        return None
    day = local_day(due) if due is not None else NO_DUE
    return (v["organization_id"], v["grid_id"] or 0, day), (int(is_open), int(due is not None))


def _now_rows(old, new):
    rows = defaultdict(lambda: [0, 0])
    for contrib, sign in ((old, -1), (new, 1)):
        if contrib is not None:
            key, counts = contrib
            for i, n in enumerate(counts):
                rows[key][i] += sign * n
    return [(*key, *counts) for key, counts in rows.items() if any(counts)]


def _now_sql(n_rows):
    from .models import RequestNow

    table = RequestNow._meta.db_table
    row = "(%s, %s, %s, %s, %s)"
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in NOW_COUNTERS)
    return (
        f"INSERT INTO {table} ({', '.join((*NOW_KEY, *NOW_COUNTERS))}) "
        f"VALUES {', '.join([row] * n_rows)} ON CONFLICT ({', '.join(NOW_KEY)}) DO UPDATE SET "
        f"{updates}"
    )


def _write_now(rows):
    for start in range(0, len(rows), 200):
        part = rows[start : start + 200]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_now_sql(len(part)), [v for row in part for v in row])


def _now_actual(org_paths):
    sums = defaultdict(lambda: [0, 0])
    for values in _source_in(org_paths).iterator(chunk_size=5000):
        c = now_contribution(values)
        if c is not None:
            key, counts = c
            for i, n in enumerate(counts):
                sums[key][i] += n
    return {key: tuple(v) for key, v in sums.items() if any(v)}


def now_drift(org_paths=None, *, fix=False):
    """[(org id, key, stored, actual)] for "now" rows that differ from the requests of the
    subtrees at `org_paths` (None: all); with fix=True rewrite those organizations' rows."""
    from .models import RequestNow

    actual = _now_actual(org_paths)
    ids = _org_ids(org_paths)
    stored = {}
    for start in range(0, len(ids), 500):
        for *key, open_n, due_n in RequestNow.objects.filter(
            organization_id__in=ids[start : start + 500]
        ).values_list(*NOW_KEY, *NOW_COUNTERS):
            if open_n or due_n:
                stored[tuple(key)] = (open_n, due_n)
    found = [
        (key[0], key, stored.get(key), actual.get(key))
        for key in sorted(actual.keys() | stored.keys())
        if stored.get(key) != actual.get(key)
    ]
    if fix and found:
        orgs = sorted({org for org, *_ in found})
        with transaction.atomic():
            RequestNow.objects.filter(organization_id__in=orgs).delete()
            wanted = set(orgs)
            _write_now([(*key, *n) for key, n in actual.items() if key[0] in wanted])
    return found


def rebuild_now(org_paths=None):
    """Recompute the "now" rollup of these subtrees (all by default); returns rows written."""
    from .models import RequestNow

    with transaction.atomic():
        if org_paths is None:
            RequestNow.objects.all().delete()
        else:
            RequestNow.objects.filter(organization_id__in=_org_ids(org_paths)).delete()
        rows = [(*key, *n) for key, n in _now_actual(org_paths).items()]
        _write_now(rows)
    return len(rows)


def prune_now():
    """Delete the rows whose counts went back to zero (the nightly job); returns how many."""
    from .models import RequestNow

    return RequestNow.objects.filter(open=0, due=0).delete()[0]


def day_start(now):
    """The first moment of `now`'s local day (the edge between stored and live overdue)."""
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def read_now(org_path, now):
    """{grid id (0: none): (open, overdue)} for the subtree at `now`, in one statement: the
    rows' open counts and deadlines of the days before today, and today's passed deadlines
    read live from request_next_due_idx."""
    from xianfeng.orgs.models import Organization

    from .models import RequestNow, ResidentRequest

    table = RequestNow._meta.db_table
    requests = ResidentRequest._meta.db_table
    orgs = Organization._meta.db_table
    start = day_start(now)
    sql = (
        "SELECT u.grid_id, SUM(u.open), SUM(u.overdue) FROM ("
        f" SELECT r.grid_id AS grid_id, r.open AS open,"
        f"  CASE WHEN r.due_day < %s THEN r.due ELSE 0 END AS overdue"
        f" FROM {table} r JOIN {orgs} o ON o.id = r.organization_id WHERE o.path LIKE %s"
        " UNION ALL"
        " SELECT COALESCE(q.grid_id, 0), 0, 1"
        f" FROM {requests} q JOIN {orgs} o ON o.id = q.organization_id"
        " WHERE q.next_due >= %s AND q.next_due <= %s AND q.routed_at IS NOT NULL"
        "  AND o.path LIKE %s"
        ") u GROUP BY u.grid_id"
    )
    ops = connection.ops
    params = [
        ops.adapt_datefield_value(start.date()),
        org_path + "%",
        ops.adapt_datetimefield_value(start),
        ops.adapt_datetimefield_value(now),
        org_path + "%",
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            grid: (int(o or 0), int(d or 0))
            for grid, o, d in cursor.fetchall()
            if (o or 0) or (d or 0)
        }


# ---------------------------------------------------------------- escalations


def _escalation_sql(n_rows):
    from .models import EscalationRollup

    table = EscalationRollup._meta.db_table
    row = "(%s, %s, %s, %s, %s, %s, %s)"
    return (
        f"INSERT INTO {table} (organization_id, grain, day, grid_id, level, level_label, n) "
        f"VALUES {', '.join([row] * n_rows)} "
        "ON CONFLICT (organization_id, grain, day, grid_id, level, level_label) "
        f"DO UPDATE SET n = {table}.n + excluded.n"
    )


def _escalation_rows(org, created_at, grid, level, label, n):
    day = local_day(created_at)
    return [
        (org, DAY, day, grid or 0, level, label, n),
        (org, MONTH, day.replace(day=1), grid or 0, level, label, n),
    ]


def count_escalation(req):
    """An 'escalated' step was written for `req` (inside its transaction)."""
    rows = _escalation_rows(
        req.organization_id, req.created_at, req.grid_id, req.level, req.level_label, 1
    )
    with connection.cursor() as cursor:
        cursor.execute(_escalation_sql(len(rows)), [v for row in rows for v in row])


def _escalations_of(req):
    from django.db.models import Count

    from .models import RequestEvent

    return (
        RequestEvent.objects.filter(request=req, action="escalated")
        .order_by()
        .values_list("level", "level_label")
        .annotate(n=Count("pk"))
    )


def move_escalations(req, old_org, old_grid):
    """The request moved from (old_org, old_grid): its escalations' rows follow it (the
    escalation rows are keyed by the request's organization and grid)."""
    rows = []
    for level, label, n in _escalations_of(req):
        rows += _escalation_rows(old_org, req.created_at, old_grid, level, label, -n)
        rows += _escalation_rows(req.organization_id, req.created_at, req.grid_id, level, label, n)
    if rows:
        _flush_escalations(rows)


def on_request_deleting(sender, instance, **kwargs):
    """pre_delete (inside the delete's transaction, before its steps cascade away): take
    the request's escalations out of their rows."""
    if instance.created_at is None:
        return
    rows = []
    for level, label, n in _escalations_of(instance):
        rows += _escalation_rows(
            instance.organization_id, instance.created_at, instance.grid_id, level, label, -n
        )
    if rows:
        _flush_escalations(rows)


def _escalations_actual(org_paths):
    from xianfeng.accounts.scoping import path_q

    from .models import RequestEvent

    qs = RequestEvent.objects.filter(action="escalated")
    if org_paths is not None:
        qs = qs.filter(path_q("request__organization__path", org_paths))
    sums = defaultdict(int)
    for org, created, grid, level, label in qs.values_list(
        "request__organization_id",
        "request__created_at",
        "request__grid_id",
        "level",
        "level_label",
    ).iterator(chunk_size=5000):
        for row in _escalation_rows(org, created, grid, level, label, 1):
            sums[row[:6]] += 1
    return sums


def escalation_drift(org_paths=None, *, fix=False):
    from .models import EscalationRollup

    actual = _escalations_actual(org_paths)
    ids = _org_ids(org_paths)
    stored = {}
    for start in range(0, len(ids), 500):
        for *key, n in EscalationRollup.objects.filter(
            organization_id__in=ids[start : start + 500]
        ).values_list("organization_id", "grain", "day", "grid_id", "level", "level_label", "n"):
            if n:
                stored[tuple(key)] = n
    found = [
        (key[0], key, stored.get(key), actual.get(key))
        for key in actual.keys() | stored.keys()
        if stored.get(key) != actual.get(key)
    ]
    if fix and found:
        orgs = sorted({org for org, *_ in found})
        with transaction.atomic():
            EscalationRollup.objects.filter(organization_id__in=orgs).delete()
            rows = [(*key, n) for key, n in actual.items() if key[0] in set(orgs)]
            _flush_escalations(rows)
    return found


def rebuild_escalations(org_paths=None):
    from .models import EscalationRollup

    with transaction.atomic():
        if org_paths is None:
            EscalationRollup.objects.all().delete()
        else:
            EscalationRollup.objects.filter(organization_id__in=_org_ids(org_paths)).delete()
        rows = [(*key, n) for key, n in _escalations_actual(org_paths).items()]
        _flush_escalations(rows)
    return len(rows)


def _flush_escalations(rows):
    for start in range(0, len(rows), 200):
        part = rows[start : start + 200]
        with connection.cursor() as cursor:
            cursor.execute(_escalation_sql(len(part)), [v for row in part for v in row])


def read_escalations(org_path, start, end, *, grid_ids=None):
    from xianfeng.orgs.models import Organization

    from .models import EscalationRollup

    table = EscalationRollup._meta.db_table
    orgs = Organization._meta.db_table
    pieces = _pieces(start, end)
    period = " OR ".join("(r.grain = %s AND r.day BETWEEN %s AND %s)" for _ in pieces)
    params = [org_path + "%"] + [v for piece in pieces for v in piece]
    grid_sql = ""
    if grid_ids is not None:
        ids = list(grid_ids) or [-1]
        grid_sql = f" AND r.grid_id IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    sql = (
        f"SELECT r.level, r.level_label, SUM(r.n) FROM {table} r "
        f"JOIN {orgs} o ON o.id = r.organization_id WHERE o.path LIKE %s AND ({period})"
        f"{grid_sql} GROUP BY r.level, r.level_label HAVING SUM(r.n) > 0 "
        "ORDER BY r.level, r.level_label"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [{"level": lv, "level_label": lb, "n": int(n)} for lv, lb, n in cursor.fetchall()]


# ---------------------------------------------------------------- deletes


def on_request_deleted(sender, instance, **kwargs):
    before = getattr(instance, "_rollup_before", None) or snapshot(instance)
    if before is not None:
        apply_change(before, None)


def on_grid_deleted(sender, instance, **kwargs):
    """A deleted grid leaves its requests without one (SET NULL in SQL, no save): recount
    the organizations whose rows name it."""
    from xianfeng.orgs.models import Organization

    from .models import RequestRollup

    orgs = RequestRollup.objects.filter(grid_id=instance.pk).values("organization_id")
    paths = list(Organization.objects.filter(pk__in=orgs).values_list("path", flat=True))
    if paths:
        drift(paths, fix=True)
        escalation_drift(paths, fix=True)
        now_drift(paths, fix=True)


# ---------------------------------------------------------------- check_rollups


def _register():
    from xianfeng.core.rollups import Drift, rollup_checker

    @rollup_checker("requests")
    def check_requests(org_paths, *, fix=False):
        return [Drift("requests", *row) for row in drift(org_paths, fix=fix)]

    @rollup_checker("escalations")
    def check_escalations(org_paths, *, fix=False):
        return [Drift("escalations", *row) for row in escalation_drift(org_paths, fix=fix)]

    @rollup_checker("requests_now")
    def check_now(org_paths, *, fix=False):
        return [Drift("requests_now", *row) for row in now_drift(org_paths, fix=fix)]
