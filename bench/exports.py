"""City-wide exports, streamed (issue 19): time, queries, rows and Python's peak memory.

    DATABASE_URL=postgres://…/xf_small python -m bench.exports [--only NAME] [--trace]

Each export is requested through django.test.Client as the city administrator of the
generated city (bench/pages.py's World) and its body read to the end, as a browser would.
"CPU s" is this process's CPU time (on a loaded machine the wall clock mostly measures the
other processes), "max RSS MB" the process's peak resident size so far (it only grows: an
export that held its rows would raise it), "peak MB" with --trace tracemalloc's peak over the
request (Python objects only; it slows the run several times). Target: memory flat in rows,
the city's export no bigger in memory than a branch's.
"""

import argparse
import resource
import sys
import time
import tracemalloc


def export_urls(world):
    from xianfeng.grid.models import Grid

    city, branch = world.city, world.branch
    year = 2026
    grid = Grid.objects.filter(depth=1).order_by("pk").values_list("pk", flat=True).first()
    return [
        ("members", "branch", f"/excel/export/members/?org={branch.pk}"),
        ("members", "city", "/excel/export/members/"),
        ("members unmasked", "city", "/excel/export/members/?unmasked=1&reason=bench"),
        ("orgs", "city", "/excel/export/orgs/"),
        ("meeting ledger", "branch", f"/meetings/org/{branch.pk}/ledger.xlsx?year={year}"),
        ("meeting ledger", "city", f"/meetings/org/{city.pk}/ledger.xlsx?year={year}"),
        ("dues ledger", "branch", f"/dues/org/{branch.pk}/ledger.xlsx?year={year}"),
        ("households", "city", f"/grid/{grid}/households.xlsx"),
        ("tasks", "city", "/tasks/export/"),
        ("cadres", "city", "/cadres/export/"),
    ]


def run(client, url, trace):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if trace:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        size = sum(len(block) for block in response.streaming_content)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = 0
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    streamed = not response.has_header("Content-Length")
    return seconds, cpu, len(ctx.captured_queries), size, peak, streamed


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.exports")
    parser.add_argument("--only", help="only exports whose name contains this")
    parser.add_argument("--trace", action="store_true", help="tracemalloc's peak (slow)")
    args = parser.parse_args(argv)

    from . import database

    database.configure()
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from xianfeng.orgs.models import Organization

    from .__main__ import machine
    from .pages import World

    city = Organization.objects.get(code=database.CITY_ROOT_CODE)
    world = World.build(city)
    client = Client()
    client.force_login(world.users["admin"])
    print("  ".join(f"{k}: {v}" for k, v in machine(connection).items()))
    print(
        f"{'export':<28}{'wall s':>8}{'CPU s':>8}{'queries':>8}{'KB':>8}"
        f"{'max RSS MB':>11}{'peak MB':>8}  streamed"
    )
    for name, scope, url in export_urls(world):
        if args.only and args.only not in name:
            continue
        seconds, cpu, queries, size, peak, streamed = run(client, url, args.trace)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{name + ' · ' + scope:<28}{seconds:>8.1f}{cpu:>8.1f}{queries:>8}{size / 1024:>8.0f}"
            f"{rss:>11.0f}{peak / 2**20:>8.1f}  {'yes' if streamed else 'NO'}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
