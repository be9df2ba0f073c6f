"""`make bench`: ours against the raw-SQL floor on PostgreSQL, side by side, in one run.

    python -m bench                  # 1,000,000 members / 60,000 orgs (generated once)
    python -m bench --small          # 100,000 / 6,000 in its own database
    python -m bench --reps 50 --only stats
    python -m bench --with-import    # also run bench.import_members (100,000 xlsx rows)

Targets (issue 3): subtree stats within 1.3x the raw floor with p95 < 100 ms; a list page
costs the same for a branch and for the city. Issue 5: meeting compliance of the whole city
for one quarter within 1.3x the raw SQL, p95 < 200 ms for a district (bench/meetings.py).
Issue 6: the monthly points TOP10 of a branch, street, district and the city on ~24M ledger
events, within 1.3x the raw floor, p95 < 100 ms (bench/points.py). Issue 4: `--with-requests`
runs bench/resident_requests.py. Issue 19: `--pages` requests every GET URL pattern through
gunicorn as three roles (bench/pages.py) and exits non-zero on any MISS. Results go to docs/benchmarks.md by hand.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import datetime

from . import database


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--small", action="store_true", help="100k members / 6k orgs")
    parser.add_argument("--members", type=int)
    parser.add_argument("--orgs", type=int)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument(
        "--only", choices=("stats", "list", "search", "meetings", "points"), action="append"
    )
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--pages", action="store_true", help="every GET page and API through gunicorn (issue 19)"
    )
    parser.add_argument("--pages-only", help="with --pages: only routes matching this regex")
    parser.add_argument("--workers", type=int, default=3, help="with --pages: gunicorn workers")
    parser.add_argument("--with-import", action="store_true", help="run bench.import_members")
    parser.add_argument(
        "--with-requests", action="store_true", help="run bench.resident_requests (issue 4)"
    )
    return parser.parse_args(argv)


def machine(connection):
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    with open("/proc/meminfo") as meminfo:
        kb = int(meminfo.readline().split()[1])
    return {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        "ram": f"{kb / 1024**2:.0f} GiB",
        "postgresql": pg,
        "python": platform.python_version(),
        "load average": f"{os.getloadavg()[0]:.1f}",
    }


def main(argv=None):
    args = parse_args(argv)
    members = args.members or (100_000 if args.small else 1_000_000)
    orgs = args.orgs or (6_000 if args.small else 60_000)
    url = os.environ.get("DATABASE_URL") or (
        database.DEFAULT_URL + "_small" if args.small else database.DEFAULT_URL
    )
    url = database.configure(url)
    database.create_database(url)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from xianfeng.accounts.models import User

    from . import cases
    from .timing import HEADER, row

    city = database.ensure_city(members, orgs)
    database.analyze()
    if args.pages:
        from . import pages

        print("  ".join(f"{k}: {v}" for k, v in machine(connection).items()))
        reps = args.reps if args.reps != 30 else 10
        sys.exit(pages.main(city, reps, only=args.pages_only, workers=args.workers))
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(admin)
    raw = cases.Raw(url)
    info = {**machine(connection), **cases.data_size(city)}
    print("  ".join(f"{k}: {v}" for k, v in info.items()))
    orgs_ = cases.targets(city)
    only = set(args.only or ("stats", "list", "search", "meetings", "points"))
    groups = []
    if "stats" in only:
        groups.append(cases.stats_cases(raw, orgs_, args.reps))
    if "list" in only:
        groups.append(cases.list_cases(raw, orgs_, client, admin, args.reps))
    if "search" in only:
        groups.append(cases.search_cases(raw, admin, args.reps))
    if "meetings" in only:
        from . import meetings

        count, took = meetings.ensure_meetings(city)
        print(f"meetings {meetings.YEAR}: {count:,} (generated in {took:.1f} s)")
        groups.append(meetings.compliance_cases(raw, orgs_, args.reps))
    if "points" in only:
        from . import points

        points.ensure_events()
        print(f"points: {points.event_count():,} ledger events")
        groups.append(points.top10_cases(raw, orgs_, args.reps))
    print(f"\n{args.reps} repetitions each after warm-up; milliseconds\n{HEADER}")
    results = []
    for group in groups:
        for result in group:
            results.append(result)
            print(row(result), flush=True)
    verdicts = judge(results)
    for line in verdicts:
        print(line)
    if args.json:
        dump(args.json, info, results, verdicts)
    if args.with_import:
        subprocess.run([sys.executable, "-m", "bench.import_members"], check=False)
    if args.with_requests:
        subprocess.run([sys.executable, "-m", "bench.resident_requests"], check=False)


def judge(results):
    lines = ["", "targets:"]
    for r in results:
        if r.name.startswith(("subtree stats", "points TOP10")):
            ok = r.ratio <= 1.3 and r.ours_p95 < 100
            lines.append(
                f"  {'OK  ' if ok else 'MISS'} {r.name}: ratio {r.ratio:.2f} (≤1.3), "
                f"p95 {r.ours_p95:.1f} ms (<100)"
            )
        if r.name.startswith("meeting compliance"):
            ok = r.ratio <= 1.3 and (r.ours_p95 < 200 or "city" in r.name)
            lines.append(
                f"  {'OK  ' if ok else 'MISS'} {r.name}: ratio {r.ratio:.2f} (≤1.3), "
                f"p95 {r.ours_p95:.1f} ms (<200 for a district)"
            )
    pages = {r.name: r for r in results if "page ·" in r.name}
    for which in ("first page", "last page"):
        for kind in ("queryset", "HTTP page"):
            branch = pages.get(f"{which} · branch ({kind})")
            city = pages.get(f"{which} · city ({kind})")
            if branch and city:
                factor = city.ours_median / branch.ours_median
                ok = factor <= 1.5
                lines.append(
                    f"  {'OK  ' if ok else 'MISS'} {which} ({kind}): city/branch {factor:.2f} (≈1)"
                )
    return lines


def dump(path, info, results, verdicts):
    data = {
        "machine": info,
        "results": [
            {
                "name": r.name,
                "ours_median_ms": r.ours_median,
                "raw_median_ms": r.raw_median,
                "ratio": r.ratio,
                "ours_p95_ms": r.ours_p95,
                "raw_p95_ms": r.raw_p95,
                "note": r.note,
            }
            for r in results
        ],
        "verdicts": verdicts,
    }
    with open(path, "w") as out:
        json.dump(data, out, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
