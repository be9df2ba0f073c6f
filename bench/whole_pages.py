"""Whole pages against their own SQL (issue 19 §4), side by side in one run.

    DATABASE_URL=postgres://…/xf_small python -m bench.whole_pages [--reps 15] [--profile NAME]

Each page is requested through django.test.Client (every middleware, the session and auth
lookups, the context processors, the templates) as the city administrator and as a branch
secretary of the generated city (bench/pages.py's World: it only adds the bench logins). An
execute wrapper times every query the page sends, so "SQL ms" is the page's own database
round trips (execute plus transfer) and "page ms" the whole request; the ratio is what the
Python side costs over the database. Target: page ≤ 3× its SQL.

--profile NAME runs that page under cProfile and prints the top functions by cumulative time.
"""

import argparse
import statistics
import sys
import time

TARGET = 3.0


class SqlTimer:
    def __init__(self):
        self.ms = 0.0
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms += (time.perf_counter() - started) * 1000
            self.count += 1


def page_urls(world):
    """(name, role, url) of the most used pages: issue 19 §4's, then member detail, a grid,
    the notices and a branch's dues sheet."""
    from xianfeng.grid.models import Grid
    from xianfeng.meetings.models import Meeting
    from xianfeng.resident_requests.models import ResidentRequest

    city, branch = world.city, world.branch
    req = (
        ResidentRequest.objects.filter(organization__path__startswith=world.street.path)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    meeting = (
        Meeting.objects.filter(organization__path__startswith=branch.path)
        .values_list("pk", flat=True)
        .first()
    )
    member = branch.members.order_by("pk").values_list("pk", flat=True).first()
    grid = (
        Grid.objects.filter(organization__path__startswith=branch.path)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    ) or Grid.objects.order_by("pk").values_list("pk", flat=True).first()
    urls = [
        ("member list", "city", f"/members/?org={city.pk}"),
        ("member list", "branch", f"/members/?org={branch.pk}"),
        ("workbench", "city", "/"),
        ("workbench", "branch", "/"),
        ("request list", "city", "/requests/"),
        ("request list", "branch", "/requests/"),
        ("request detail", "city", f"/requests/{req}/"),
        ("org page", "city", f"/orgs/{city.pk}/"),
        ("org page", "branch", f"/orgs/{branch.pk}/"),
        ("meeting list", "city", f"/meetings/?org={city.pk}"),
        ("meeting list", "branch", f"/meetings/?org={branch.pk}"),
        ("meeting detail", "branch", f"/meetings/{meeting}/"),
        ("points page", "city", f"/points/org/{city.pk}/"),
        ("points page", "branch", f"/points/org/{branch.pk}/"),
        ("member detail", "city", f"/members/{member}/"),
        ("member detail", "branch", f"/members/{member}/"),
        ("grid page", "city", f"/grid/{grid}/"),
        ("notices", "city", "/notices/"),
        ("notices", "branch", "/notices/"),
        ("dues org page", "city", f"/dues/org/{branch.pk}/"),
        ("dues org page", "branch", f"/dues/org/{branch.pk}/"),
    ]
    return urls


def measure(client, url, reps):
    from django.db import connection

    pages, sqls, counts = [], [], []
    for i in range(reps + 2):
        timer = SqlTimer()
        started = time.perf_counter()
        with connection.execute_wrapper(timer):
            response = client.get(url)
        took = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        if i >= 2:  # two warm-up requests
            pages.append(took)
            sqls.append(timer.ms)
            counts.append(timer.count)
    return statistics.median(sqls), statistics.median(pages), counts[-1]


def profile(client, url, top=40):
    import cProfile
    import pstats

    for _ in range(2):
        client.get(url)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(5):
        client.get(url)
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats("xianfeng|templatetags|loader_tags", top)
    stats.sort_stats("tottime").print_stats(top)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.whole_pages")
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--only", help="only pages whose name contains this")
    parser.add_argument("--profile", help="cProfile the first page whose name contains this")
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
    clients = {}
    for role in ("city", "branch"):
        clients[role] = Client()
        clients[role].force_login(world.users[role])
    urls = page_urls(world)
    if args.profile:
        name, role, url = next(u for u in urls if args.profile in f"{u[0]} · {u[1]}")
        print(f"profiling {name} · {role}: {url}")
        profile(clients[role], url)
        return 0
    print("  ".join(f"{k}: {v}" for k, v in machine(connection).items()))
    print(f"\n{args.reps} requests each after two warm-ups; medians in milliseconds")
    print(f"{'page':<26}{'url':<30}{'queries':>8}{'SQL ms':>9}{'page ms':>9}{'ratio':>7}")
    misses = 0
    for name, role, url in urls:
        if args.only and args.only not in name:
            continue
        sql, page, count = measure(clients[role], url, args.reps)
        ratio = page / sql if sql else float("inf")
        ok = ratio <= TARGET
        misses += not ok
        print(
            f"{name + ' · ' + role:<26}{url[:29]:<30}{count:>8}{sql:>9.1f}{page:>9.1f}"
            f"{ratio:>6.1f}×{'' if ok else '  MISS'}",
            flush=True,
        )
    print(f"\ntarget: whole page ≤ {TARGET:.0f}× its SQL; {misses} over")
    return 0


if __name__ == "__main__":
    sys.exit(main())
