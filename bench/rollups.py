"""Dashboards on rollups (issue 19 §3): `python -m bench.rollups [--small] [--requests N]`.

Side by side, in one run, for each dashboard figure:
  - "rollup": what the page now runs (the rollup read, plus its small live reads),
  - "raw": the same statements sent bare by psycopg (the floor of the rollup read),
  - "scan": what the page ran before (the grouped scan over the source rows).

Cases: a district's request figures for the last year (`figures_from_rollup` against
`request_figures(requests_in(…))`), and the org page's charts for the district and the city
(`subtree_breakdowns` on the breakdown rows against the conditional aggregate over members),
and the workbench's dues arrears item for the district and the city (`behind_counts` on the
dues month rows against `behind_counts_scan`, the EXISTS over every member).

Database: `DATABASE_URL` or `rollup_bench` (`rollup_bench_small` with --small): the bench city
from `gen_city` (1,000,000 / 60,000, or 100,000 / 6,000), then N requests (default 2,000,000)
generated in SQL batches inside the largest district (one grid per branch, up to 400), the
way bench/resident_requests.py does for its own district; the rollups are then built by the
app's own `rollups.rebuild()` and checked equal to the source (`check_rollups`).
"""

import argparse
import os
import time

from . import database
from .timing import compare

GRIDS = 400
GENERATE = """
INSERT INTO resident_requests_residentrequest (
  tracking_code, secret, category_id, description, attributes, channel, grid_id,
  organization_id, address, resident_name, resident_phone, status, level, level_code,
  level_label, holder_org_id, owner_name, checklist, respond_due, finish_due, next_due,
  calendar_warning, responded_at, solved_at, closed_at, escalation_count, rating,
  rating_comment, created_at, updated_at, routed_at, waited_hours, media_url)
SELECT 'R' || lpad(g::text, 10, '0'), md5(g::text), cats[1 + g %% 3], '基准诉求', '{}', 'public',
  grids[1 + g %% cardinality(grids)], orgs[1 + g %% cardinality(orgs)], '', '', '',
  CASE WHEN g %% 100 = 0 THEN 'new' WHEN g %% 100 < 10 THEN 'accepted'
       WHEN g %% 100 < 90 THEN 'solved' ELSE 'closed_unsolved' END,
  0, 'community', '社区', orgs[1 + g %% cardinality(orgs)], '', '[]',
  created + interval '2 hours', created + interval '7 days',
  CASE WHEN g %% 100 = 0 THEN now() - interval '1 hour'
       WHEN g %% 100 < 10 THEN now() + interval '3 days' END,
  '', CASE WHEN g %% 100 > 0 THEN created + (g %% 20) * interval '1 hour' END,
  CASE WHEN g %% 100 BETWEEN 10 AND 89 THEN created + (g %% 10) * interval '1 day' END,
  CASE WHEN g %% 100 >= 10 THEN created + (g %% 10) * interval '1 day' END,
  (g %% 17 = 0)::int, CASE WHEN g %% 100 BETWEEN 10 AND 79 THEN 1 + g %% 5 END,
  '', created, created, created, 0, ''
FROM (SELECT g, now() - (g %% 365) * interval '1 day' - (g %% 480) * interval '1 minute' AS created
      FROM generate_series(%(first)s, %(last)s) g) s,
     (SELECT %(cats)s::bigint[] AS cats, %(grids)s::bigint[] AS grids, %(orgs)s::bigint[] AS orgs) a
"""
EVENTS = """
INSERT INTO resident_requests_requestevent (request_id, at, actor_name, action, status, level,
  level_label, note)
SELECT id, created_at + interval '3 hours', '系统', 'escalated', 'escalated', 1, '街道党工委', ''
FROM resident_requests_residentrequest WHERE escalation_count = 1 AND tracking_code LIKE 'R%%'
"""


def ensure_requests(district, rows, out=print):
    """Grids for the district's first branches and `rows` requests among them (once)."""
    from django.db import connection

    from xianfeng.grid.models import Grid
    from xianfeng.orgs.models import Organization, OrgKind
    from xianfeng.resident_requests import rollups
    from xianfeng.resident_requests.models import Category, ResidentRequest
    from xianfeng.resident_requests.testing import make_category

    have = ResidentRequest.objects.filter(tracking_code__startswith="R").count()
    if have >= rows:
        return have, {}
    timings = {}
    started = time.perf_counter()
    branches = list(
        Organization.objects.filter(path__startswith=district.path, kind=OrgKind.BRANCH)
        .order_by("path")
        .values_list("pk", flat=True)[:GRIDS]
    )
    for i, org in enumerate(branches):
        if not Grid.objects.filter(code=f"RLG{i}").exists():
            grid = Grid.add_root(code=f"RLG{i}", name=f"基准网格{i}", kind="community")
            Grid.objects.filter(pk=grid.pk).update(organization_id=org, scope_org_id=org)
    for code, name in (
        ("lamp", "路灯维修"),
        ("health_pass", "健康通行证"),
        ("sanitation", "环境卫生"),
    ):
        make_category(code=code, name=name)
    grids = list(
        Grid.objects.filter(code__startswith="RLG").order_by("pk").values_list("pk", "scope_org_id")
    )
    params = {
        "cats": list(
            Category.objects.filter(code__in=("lamp", "health_pass", "sanitation"))
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        "grids": [g for g, _ in grids],
        "orgs": [o for _, o in grids],
    }
    out(f"generating {rows - have:,} requests in {len(grids)} branches of {district.name} …")
    with connection.cursor() as cursor:
        for first in range(have + 1, rows + 1, 250_000):
            last = min(first + 249_999, rows)
            cursor.execute(GENERATE, {**params, "first": first, "last": last})
            out(f"  {last:,}", flush=True)
        cursor.execute(EVENTS)
        cursor.execute("VACUUM ANALYZE resident_requests_residentrequest")
        cursor.execute("VACUUM ANALYZE resident_requests_requestevent")
    timings["generate requests"] = time.perf_counter() - started
    started = time.perf_counter()
    written = rollups.rebuild([district.path])
    written += rollups.rebuild_escalations([district.path])
    written += rollups.rebuild_now([district.path])
    timings["rebuild rollups (rollups.rebuild, Python)"] = time.perf_counter() - started
    out(f"  rollup rows written: {written:,}")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE resident_requests_requestrollup")
        cursor.execute("VACUUM ANALYZE resident_requests_escalationrollup")
        cursor.execute("VACUUM ANALYZE resident_requests_requestnow")
    return rows, timings


def _statements(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return [q["sql"] for q in captured.captured_queries]


def _floor(raw, statements):
    def run():
        for sql in statements:
            raw.fetch(sql, None)

    return run


def figures_cases(raw, district, reps, scan_reps):
    from django.utils import timezone

    from xianfeng.resident_requests.figures import (
        figures_from_rollup,
        request_figures,
        requests_in,
    )

    today = timezone.localdate()
    start = today.replace(year=today.year - 1)

    def ours():
        return figures_from_rollup(district, start, today)

    def scan():
        return request_figures(requests_in(district.path, start, today))

    rollup = compare(
        "request figures · district, 1 year · rollup",
        ours,
        _floor(raw, _statements(ours)),
        reps=reps,
        note=f"{len(_statements(ours))} statements",
    )
    scanned = compare(
        "request figures · district, 1 year · scan",
        scan,
        _floor(raw, _statements(scan)),
        reps=scan_reps,
        warmup=1,
        note=f"{len(_statements(scan))} statements",
    )
    year_start = today.replace(month=1, day=1)

    def year_to_date():
        return figures_from_rollup(district, year_start, today)

    ytd = compare(
        "request figures · district, year to date (the page's default) · rollup",
        year_to_date,
        _floor(raw, _statements(year_to_date)),
        reps=reps,
        note=f"{year_start} – {today}",
    )
    return rollup, scanned, ytd


def chart_cases(raw, orgs, reps, scan_reps):
    from xianfeng.orgs.stats import subtree_breakdowns, subtree_breakdowns_scan

    for label in ("district", "city"):
        org = orgs[label]
        ours = lambda org=org: subtree_breakdowns(org)  # noqa: E731
        scan = lambda org=org: subtree_breakdowns_scan(org)  # noqa: E731
        assert ours() == scan(), "the rollup and the scan disagree"
        yield compare(
            f"org charts · {label} · rollup",
            ours,
            _floor(raw, _statements(ours)),
            reps=reps,
            note=f"{org.name}",
        )
        yield compare(
            f"org charts · {label} · scan",
            scan,
            _floor(raw, _statements(scan)),
            reps=scan_reps,
            warmup=1,
            note=f"{org.name}",
        )


def dues_cases(raw, orgs, reps, scan_reps):
    """The workbench's dues item (members behind last month / three months in a row): the
    rollup rows against the EXISTS over every member it replaced."""
    from django.utils import timezone

    from xianfeng.dues.workbench import behind_counts, behind_counts_scan

    today = timezone.localdate()
    for label in ("district", "city"):
        paths = (orgs[label].path,)
        ours = lambda paths=paths: behind_counts(paths, today)  # noqa: E731
        scan = lambda paths=paths: behind_counts_scan(paths, today)  # noqa: E731
        assert ours() == scan(), "the dues rollup and the scan disagree"
        yield compare(
            f"dues arrears · {label} · rollup",
            ours,
            _floor(raw, _statements(ours)),
            reps=reps,
            note=f"{orgs[label].name}",
        )
        yield compare(
            f"dues arrears · {label} · scan",
            scan,
            _floor(raw, _statements(scan)),
            reps=scan_reps,
            warmup=1,
            note=f"{orgs[label].name}",
        )


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.rollups")
    parser.add_argument("--small", action="store_true", help="100,000 members / 6,000 orgs")
    parser.add_argument("--requests", type=int, default=2_000_000)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--scan-reps", type=int, default=5)
    parser.add_argument("--prepare", action="store_true", help="generate, then stop")
    parser.add_argument("--skip-check", action="store_true", help="no check_rollups of requests")
    args = parser.parse_args(argv)
    members, orgs = (100_000, 6_000) if args.small else (1_000_000, 60_000)
    default = "postgres://postgres@127.0.0.1:5432/rollup_bench" + ("_small" if args.small else "")
    url = database.configure(os.environ.get("DATABASE_URL") or default)
    database.create_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from xianfeng.core.rollups import check_all

    from .__main__ import machine
    from .cases import Raw, targets
    from .timing import HEADER, row

    started = time.perf_counter()
    city = database.ensure_city(members, orgs)
    print(f"city ready in {time.perf_counter() - started:.0f} s")
    places = targets(city)
    count, timings = ensure_requests(places["district"], args.requests)
    for label, seconds in timings.items():
        print(f"  {label}: {seconds:.0f} s")
    started = time.perf_counter()
    drifted = (
        []
        if args.skip_check
        else check_all([places["district"].path], only=("requests", "escalations"))
    )
    print(
        f"check_rollups --org {places['district'].code} (requests, escalations): "
        f"{len(drifted)} rows differ, {time.perf_counter() - started:.0f} s"
    )
    if args.prepare:
        return
    # gen_city bulk-loads members and dues past the services
    call_command("check_rollups", "--fix", only=["breakdowns", "dues"])
    database.analyze()
    info = {**machine(connection), "requests": f"{count:,}", "district": places["district"].name}
    print("  ".join(f"{k}: {v}" for k, v in info.items()))
    raw = Raw(url)
    results = [*figures_cases(raw, places["district"], args.reps, args.scan_reps)]
    results += list(chart_cases(raw, places, args.reps, args.scan_reps))
    results += list(dues_cases(raw, places, args.reps, args.scan_reps))
    print(f"\nrollup {args.reps} / scan {args.scan_reps} repetitions after warm-up; ms\n{HEADER}")
    for result in results:
        print(row(result), flush=True)
    print("\ntargets:")
    by_name = {r.name: r for r in results}
    for name, scan_name, limit in (
        (
            "request figures · district, 1 year · rollup",
            "request figures · district, 1 year · scan",
            50,
        ),
        ("org charts · city · rollup", "org charts · city · scan", 50),
        ("org charts · district · rollup", "org charts · district · scan", 50),
        ("dues arrears · city · rollup", "dues arrears · city · scan", 50),
        ("dues arrears · district · rollup", "dues arrears · district · scan", 50),
    ):
        r, s = by_name[name], by_name[scan_name]
        ok = r.ours_p95 < limit
        print(
            f"  {'OK  ' if ok else 'MISS'} {name}: p95 {r.ours_p95:.1f} ms (<{limit}); "
            f"{r.ratio:.2f}× its raw floor; the scan it replaced {s.ours_median:.0f} ms "
            f"({s.ours_median / r.ours_median:.0f}× slower)"
        )


if __name__ == "__main__":
    main()
