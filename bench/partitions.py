"""Issue 19 §5: the same reads on plain and on year-partitioned ledgers, side by side.

    python -m bench.partitions postgres://…/PLAIN postgres://…/PARTED [--reps 30]

Both databases hold the same generated city (`gen_city`): PLAIN before migration core 0005,
PARTED a copy of it (CREATE DATABASE … TEMPLATE PLAIN) after `migrate`, which partitions the
ledgers. Each database is measured in its own process (settings read DATABASE_URL once);
the reads alternate between the two runs only by process, so run it on a quiet machine or
read the medians with the load in mind. Cases:

- TOP10 of a month for the city and a district, as the points page reads it (the rollup),
  and the same TOP10 as a GROUP BY over that month of the ledger (the scan that partition
  pruning helps);
- a district's request figures (`request_figures`, which reads the escalation steps);
- a member's latest ledger rows (the points page of one member) and an object's audit rows.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

LEDGER_TOP10 = """
SELECT e.member_id, SUM(e.points) AS total FROM points_pointevent e
JOIN orgs_organization o ON o.id = e.organization_id
WHERE o.path LIKE %s AND e.booked_on >= %s AND e.booked_on < %s
GROUP BY e.member_id ORDER BY total DESC, e.member_id LIMIT 10
"""


def timed(fn, reps):
    fn()  # warm-up
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "p50": statistics.median(samples),
        "p95": samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))],
    }


def measure(reps):
    """Run inside one database (DATABASE_URL): {case: {p50, p95}} as JSON on stdout."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianfeng.settings")
    import django

    django.setup()
    from datetime import date

    from django.db import connection

    from xianfeng.core.models import AuditLog
    from xianfeng.orgs.models import Organization
    from xianfeng.points import rankings
    from xianfeng.points.models import PointEvent
    from xianfeng.resident_requests.figures import request_figures
    from xianfeng.resident_requests.models import ResidentRequest

    city = Organization.objects.filter(depth=1).order_by("code").first()
    district = Organization.objects.filter(depth=2, path__startswith=city.path).order_by("code")[0]
    last = PointEvent.objects.order_by("-booked_on").values_list("booked_on", flat=True)[0]
    month = date(last.year, last.month, 1)
    first = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)  # month before
    following = month
    key = f"{first:%Y-%m}"
    member_id = (
        PointEvent.objects.filter(organization__path__startswith=district.path)
        .values_list("member_id", flat=True)
        .first()
    )
    target = AuditLog.objects.exclude(target_id="").values("target_type", "target_id").first()

    def ledger_top10(org):
        with connection.cursor() as cursor:
            cursor.execute(LEDGER_TOP10, [org.path + "%", first, following])
            return cursor.fetchall()

    cases = {
        "TOP10 city (rollup)": lambda: rankings.top(city, key, 10),
        "TOP10 district (rollup)": lambda: rankings.top(district, key, 10),
        "TOP10 city (ledger GROUP BY)": lambda: ledger_top10(city),
        "TOP10 district (ledger GROUP BY)": lambda: ledger_top10(district),
        "district request figures": lambda: request_figures(
            ResidentRequest.objects.filter(organization__path__startswith=district.path)
        ),
        "member's latest 20 ledger rows": lambda: list(
            PointEvent.objects.filter(member_id=member_id).order_by("-booked_on", "-id")[:20]
        ),
    }
    if target:
        cases["object's audit rows"] = lambda: list(
            AuditLog.objects.filter(**target).order_by("-at", "-id")[:20]
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM points_pointevent")
        events = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM resident_requests_requestevent")
        steps = cursor.fetchone()[0]
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table "
            "WHERE partrelid = 'points_pointevent'::regclass)"
        )
        parted = cursor.fetchone()[0]
    results = {name: timed(fn, reps) for name, fn in cases.items()}
    json.dump(
        {
            "partitioned": parted,
            "events": events,
            "steps": steps,
            "month": key,
            "district": district.name,
            "results": results,
        },
        sys.stdout,
        ensure_ascii=False,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.partitions")
    parser.add_argument("plain")
    parser.add_argument("parted")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        return measure(args.reps)
    runs = {}
    for label, url in (("plain", args.plain), ("partitioned", args.parted)):
        env = {**os.environ, "DATABASE_URL": url}
        done = subprocess.run(
            [sys.executable, "-m", "bench.partitions", "--measure", "--reps", str(args.reps)]
            + [args.plain, args.parted],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        runs[label] = json.loads(done.stdout)
    plain, parted = runs["plain"], runs["partitioned"]
    assert not plain["partitioned"] and parted["partitioned"], "PLAIN/PARTED swapped?"
    print(
        f"{plain['events']:,} point events, {plain['steps']:,} request steps; "
        f"month {plain['month']}, district {plain['district']}; load {os.getloadavg()[0]:.1f}"
    )
    print("| case | plain p50 / p95 ms | partitioned p50 / p95 ms | ratio (p50) |")
    print("|---|---:|---:|---:|")
    for name, a in plain["results"].items():
        b = parted["results"][name]
        print(
            f"| {name} | {a['p50']:.1f} / {a['p95']:.1f} | {b['p50']:.1f} / {b['p95']:.1f} "
            f"| {b['p50'] / a['p50']:.2f} |"
        )


if __name__ == "__main__":
    main()
