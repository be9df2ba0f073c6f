"""Resident requests at scale (issue 4): `python -m bench.resident_requests [--rows N]`.

1. Figures for a district: `request_figures` against the same statements sent raw by psycopg.
2. The escalation job with 0.1% and 1% of the rows due: its cost follows the due rows.
3. Public intake through gunicorn on loopback, beside a hello-world view and a "floor" (one
   raw INSERT behind the CSRF check) on the same server; then the routing job's backlog.

Database: `requests_bench` (or DATABASE_URL); 2,000,000 requests are generated once in SQL.
"""

import argparse
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from urllib.parse import urlencode

from . import database
from .timing import HEADER, compare, row

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/requests_bench"
BRANCHES = 400  # 4 streets × 100 branches under one district, one grid per branch
PORT = 0  # chosen free at run time


def setup_tree():
    from xianfeng.grid.models import Grid
    from xianfeng.orgs.models import Organization, OrgKind
    from xianfeng.resident_requests.testing import make_category

    district = Organization.objects.filter(code="RB-D").first()
    if district is None:
        district = Organization.add_root(code="RB-D", name="基准区委", kind=OrgKind.COMMITTEE)
        for s in range(4):
            street = district.add_child(
                code=f"RB-S{s}", name=f"基准街道{s}", kind=OrgKind.COMMITTEE
            )
            for b in range(BRANCHES // 4):
                branch = street.add_child(
                    code=f"RB-B{s}-{b}", name=f"基准支部{s}-{b}", kind=OrgKind.BRANCH
                )
                grid = Grid.add_root(code=f"RBG{s}-{b}", name=f"基准网格{s}-{b}", kind="community")
                Grid.objects.filter(pk=grid.pk).update(organization=branch, scope_org=branch)
            district.refresh_from_db()
    for code, name in (
        ("lamp", "路灯维修"),
        ("health_pass", "健康通行证"),
        ("sanitation", "环境卫生"),
    ):
        make_category(code=code, name=name)
    return district


GENERATE = """
INSERT INTO resident_requests_residentrequest (
  tracking_code, secret, category_id, description, attributes, channel, grid_id,
  organization_id, address, resident_name, resident_phone, status, level, level_code,
  level_label, holder_org_id, owner_name, checklist, respond_due, finish_due, next_due,
  calendar_warning, responded_at, solved_at, closed_at, escalation_count, rating,
  rating_comment, created_at, updated_at, routed_at)
SELECT 'B' || lpad(g::text, 10, '0'), md5(g::text), cats[1 + g %% 3], '基准诉求', '{}', 'public',
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
  '', created, created, created
FROM (SELECT g, now() - (g %% 365) * interval '1 day' - (g %% 480) * interval '1 minute' AS created
      FROM generate_series(%(first)s, %(last)s) g) s,
     (SELECT %(cats)s::bigint[] AS cats, %(grids)s::bigint[] AS grids, %(orgs)s::bigint[] AS orgs) a
"""
EVENTS = """
INSERT INTO resident_requests_requestevent (request_id, at, actor_name, action, status, level,
  level_label, note)
SELECT id, created_at + interval '3 hours', '系统', 'escalated', 'escalated', 1, '街道党工委', ''
FROM resident_requests_residentrequest WHERE escalation_count = 1
"""


def ensure_rows(rows):
    from django.db import connection

    from xianfeng.grid.models import Grid
    from xianfeng.orgs.models import Organization
    from xianfeng.resident_requests.models import Category, ResidentRequest

    have = ResidentRequest.objects.count()
    if have >= rows:
        return have
    grids = list(
        Grid.objects.filter(code__startswith="RBG")
        .order_by("pk")
        .values_list("pk", "organization_id")
    )
    params = {
        "cats": list(Category.objects.order_by("pk").values_list("pk", flat=True)),
        "grids": [g for g, _ in grids],
        "orgs": [o for _, o in grids],
    }
    print(f"generating {rows - have:,} requests …", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for first in range(have + 1, rows + 1, 250_000):
            last = min(first + 249_999, rows)
            cursor.execute(GENERATE, {**params, "first": first, "last": last})
        cursor.execute(EVENTS)
        cursor.execute("ANALYZE")
    print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    _ = Organization
    return rows


# ---------------------------------------------------------------- 1. figures


def figures_case(raw, district, reps):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from xianfeng.resident_requests.figures import request_figures, requests_in

    today = timezone.localdate()
    start = today.replace(year=today.year - 1)

    def ours():
        return request_figures(requests_in(district.path, start, today))

    with CaptureQueriesContext(connection) as captured:
        ours()
    statements = [q["sql"] for q in captured.captured_queries]

    def floor():
        for sql in statements:
            raw.fetch(sql, None)

    return compare(
        "figures · district (1 year)", ours, floor, reps=reps, note=f"{len(statements)} statements"
    )


# ---------------------------------------------------------------- 2. escalation


RESET_DUE = """
UPDATE resident_requests_residentrequest SET status = 'new', level = 0, level_code = 'community',
  level_label = '社区', holder_org_id = organization_id, escalation_count = 0,
  next_due = CASE WHEN %(all)s OR substr(tracking_code, 9, 1) = '0'
                  THEN now() - interval '1 hour' ELSE now() + interval '30 days' END
WHERE tracking_code ~ '^B[0-9]{10}$' AND right(tracking_code, 2) = '00'
"""


def escalation_case(share_per_mille):
    """Escalate with `share_per_mille`/1000 of the rows due; returns (due, seconds)."""
    from django.db import connection

    from xianfeng.resident_requests.escalation import escalate_due

    with connection.cursor() as cursor:
        # 1% of the rows are candidates; for 0.1%, those whose hundreds digit is 0.
        cursor.execute(RESET_DUE, {"all": share_per_mille == 10})
        cursor.execute("ANALYZE resident_requests_residentrequest")
        cursor.execute(
            "EXPLAIN SELECT id FROM resident_requests_residentrequest WHERE next_due <= now() "
            "ORDER BY next_due LIMIT 1000"
        )
        plan = " / ".join(r[0].strip() for r in cursor.fetchall()[:3])
    started = time.perf_counter()
    done = escalate_due()
    return done, time.perf_counter() - started, plan


# ---------------------------------------------------------------- 3. intake through gunicorn


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_server(limit=60):
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        try:
            hello_job(_conn(), None)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def _conn():
    return http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)


def _get_token(conn, path):
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read().decode()
    cookie = response.getheader("Set-Cookie", "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    return cookie.split(";")[0], token


def _load(seconds, threads, job):
    counts = []
    stop = time.perf_counter() + seconds

    def run():
        conn = _conn()
        state = job(conn, None)
        n = 0
        while time.perf_counter() < stop:
            job(conn, state)
            n += 1
        counts.append(n)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(counts) / seconds, sum(counts)


def hello_job(conn, state):
    conn.request("GET", "/bench/hello/")
    response = conn.getresponse()
    response.read()
    assert response.status == 200


def intake_job(grid_code, created, path=None):
    path = path or f"/r/{grid_code}/"

    def job(conn, state):
        if state is None:
            return _get_token(conn, path)
        cookie, token = state
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "category": created["category"],
                "description": "基准：楼道灯不亮",
                "idempotency_key": uuid.uuid4().hex,
            }
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        conn.request("POST", path, body, headers)
        response = conn.getresponse()
        response.read()
        if response.status == 302:
            created["ok"] += 1
        else:
            created["bad"] += 1
        return state

    return job


def intake_case(url, args):
    """Hello-world, then intake, on one gunicorn set up as docs/operations.md runs it."""
    from xianfeng.resident_requests.models import Category, ResidentRequest

    global PORT
    PORT = _free_port()
    _flush_redis(args.redis)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": args.redis,
        "DJANGO_SETTINGS_MODULE": "bench.requests_site",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.worker_threads),
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            "xianfeng.wsgi:application",
        ],
        env=env,
    )
    try:
        _wait_for_server()
        hello, _ = _load(args.seconds, args.threads, hello_job)
        before = ResidentRequest.objects.count()
        created = {"ok": 0, "bad": 0, "category": Category.objects.get(code="lamp").pk}
        intake, _ = _load(args.seconds, args.threads, intake_job("RBG0-0", created))
        stored = ResidentRequest.objects.count() - before
        floored = {"ok": 0, "bad": 0, "category": created["category"]}
        floor, _ = _load(
            args.seconds, args.threads, intake_job("RBG0-0", floored, "/bench/floor/RBG0-0/")
        )
    finally:
        server.send_signal(signal.SIGQUIT)  # quick shutdown; the counts are taken
        server.wait(timeout=60)
    return hello, intake, created, stored, floor


def _flush_redis(redis_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def routing_case(redis_url):
    """Route the backlog the intake left (the worker's job, run here in one process)."""
    from xianfeng.resident_requests.models import ResidentRequest
    from xianfeng.resident_requests.services import route_pending

    started = time.perf_counter()
    routed = route_pending()
    seconds = time.perf_counter() - started
    left = ResidentRequest.objects.filter(routed_at__isnull=True).count()
    _flush_redis(redis_url)  # the queued jobs would find their requests routed already
    return routed, seconds, left


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.resident_requests")
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-threads", type=int, default=2)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--only", choices=("figures", "escalation", "intake"), action="append")
    args = parser.parse_args(argv)
    url = database.configure(os.environ.get("DATABASE_URL") or DEFAULT_URL)
    database.create_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    from .cases import Raw

    call_command("migrate", verbosity=0)
    district = setup_tree()
    rows = ensure_rows(args.rows)
    only = set(args.only or ("figures", "escalation", "intake"))
    print(f"{rows:,} requests in {BRANCHES} branches / 4 streets / 1 district")
    if "intake" in only:
        hello, intake, created, stored, floor = intake_case(url, args)
        print(
            f"gunicorn --workers {args.workers} --threads {args.worker_threads}, "
            f"{args.threads} client threads, {args.seconds} s each:\n"
            f"  hello-world {hello:.0f} req/s; intake {intake:.0f} req/s "
            f"({intake / hello:.0%} of hello); {created['ok']} redirects, {created['bad']} errors, "
            f"{stored} stored ({'nothing lost' if stored == created['ok'] else 'MISMATCH'})\n"
            f"  floor (CSRF-checked POST, one raw INSERT) {floor:.0f} req/s "
            f"({floor / hello:.0%} of hello); intake is {intake / floor:.0%} of the floor"
        )
        routed, seconds, left = routing_case(args.redis)
        print(
            f"  routing the backlog: {routed} in {seconds:.1f} s "
            f"({seconds / max(routed, 1) * 1000:.1f} ms each); {left} left unrouted",
            flush=True,
        )
    if "figures" in only:
        print(HEADER)
        print(row(figures_case(Raw(url), district, args.reps)), flush=True)
    if "escalation" in only:
        for per_mille in (1, 10):
            done, seconds, plan = escalation_case(per_mille)
            print(
                f"escalation job, {per_mille / 10:.1f}% due: {done:,} escalated in {seconds:.1f} s "
                f"({seconds / max(done, 1) * 1000:.2f} ms each)\n  plan: {plan}",
                flush=True,
            )


if __name__ == "__main__":
    main()
