"""The big screen (issue 21 §1): `python -m bench.screen [--small] [--requests N]`.

For the district with the most children of the bench city (gen_city, every module filled by
city_modules.py) plus N generated requests (bench/rollups.py's generator: one grid per branch,
up to 400, the rollups rebuilt by the app), side by side with the bare SQL the same code sends
(psycopg, the floor):

  - the whole screen: GET /screen/<district>/ through Django's test client, logged in
    (middleware, session, every panel, templates);
  - one refresh: GET /screen/<district>/panel/requests/ (the panel polled most, every 30 s)
    and GET …/panel/feed/ (every 15 s);
  - each panel's data function alone, with its number of statements.

Target (issue 21): the whole screen < 200 ms on the 1M-member city, each refresh less.
Database: `DATABASE_URL` or `screen_bench` (`screen_bench_small` with --small).
"""

import argparse
import os
import time
from datetime import timedelta

from . import database
from .rollups import _statements, ensure_requests
from .timing import compare

TARGET_MS = 200


def _floor(raw, statements):
    """The same statements sent bare; those that return no rows (the compliance row's
    upsert, BEGIN/COMMIT around it) are sent too, their rows not fetched."""

    def run():
        for sql in statements:
            with raw.conn.cursor() as cursor:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()

    return run


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.screen")
    parser.add_argument("--small", action="store_true", help="100,000 members / 6,000 orgs")
    parser.add_argument("--requests", type=int, default=2_000_000)
    parser.add_argument("--reps", type=int, default=30)
    args = parser.parse_args(argv)
    members, orgs = (100_000, 6_000) if args.small else (1_000_000, 60_000)
    default = "postgres://postgres@127.0.0.1:5432/screen_bench" + ("_small" if args.small else "")
    url = database.configure(os.environ.get("DATABASE_URL") or default)
    database.create_database(url)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from xianfeng.accounts.models import User
    from xianfeng.screen.models import MonthlyFigure
    from xianfeng.screen.panels import PANELS, At
    from xianfeng.screen.services import record_month_figures

    from .__main__ import machine
    from .cases import Raw, targets
    from .timing import HEADER, row

    settings.ALLOWED_HOSTS = ["*"]
    started = time.perf_counter()
    city = database.ensure_city(members, orgs)
    print(f"city ready in {time.perf_counter() - started:.0f} s")
    district = targets(city)["district"]
    count, timings = ensure_requests(district, args.requests)
    for label, seconds in timings.items():
        print(f"  {label}: {seconds:.0f} s")
    if not MonthlyFigure.objects.filter(organization=district).exists():
        day = timezone.localdate().replace(day=1)
        for _ in range(12):  # a year of month rows for the trend (today's totals each)
            day = (day - timedelta(days=1)).replace(day=1)
            record_month_figures(day, orgs=[district])
    call_command("check_rollups", "--fix", only=["breakdowns"])  # gen_city bulk-loads members
    database.analyze()
    info = {**machine(connection), "requests": f"{count:,}", "district": district.name}
    print("  ".join(f"{k}: {v}" for k, v in info.items()))

    user = User.objects.filter(is_superuser=True, username="screen_bench").first()
    if user is None:
        user = User.objects.create_superuser("screen_bench", password=None)
    client = Client()
    client.force_login(user)
    raw = Raw(url)

    def page(path):
        def get():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        return get

    whole = reverse("screen:org", args=[district.pk])
    results = []
    for label, path in (
        ("whole screen · district", whole),
        ("refresh · requests panel", reverse("screen:panel", args=[district.pk, "requests"])),
        ("refresh · feed panel", reverse("screen:panel", args=[district.pk, "feed"])),
        ("refresh · map panel", reverse("screen:panel", args=[district.pk, "map"])),
    ):
        get = page(path)
        statements = _statements(get)
        results.append(
            compare(
                label,
                get,
                _floor(raw, statements),
                reps=args.reps,
                note=f"{len(statements)} statements, {len(get().content) // 1024} KB",
            )
        )
    for code, panel in PANELS.items():

        def data(panel=panel):
            now = timezone.now()
            return panel.fn(district, At(timezone.localdate(now), now))

        statements = _statements(data)
        results.append(
            compare(
                f"panel data · {code}",
                data,
                _floor(raw, statements),
                reps=args.reps,
                note=f"{len(statements)} statements",
            )
        )
    from xianfeng.meetings import compliance_cache

    def meetings_first_of_the_day():
        compliance_cache.forget(district.pk)  # as after a meeting written in the district
        now = timezone.now()
        return PANELS["meetings"].fn(district, At(timezone.localdate(now), now))

    statements = _statements(meetings_first_of_the_day)
    results.append(
        compare(
            "panel data · meetings, day's first read",
            meetings_first_of_the_day,
            _floor(raw, statements),
            reps=args.reps,
            note=f"{len(statements)} statements",
        )
    )
    print(f"\n{args.reps} repetitions after warm-up; ms\n{HEADER}")
    for result in results:
        print(row(result), flush=True)
    by_name = {r.name: r for r in results}
    screen = by_name["whole screen · district"]
    refresh = by_name["refresh · requests panel"]
    print("\ntargets:")
    print(
        f"  {'OK  ' if screen.ours_p95 < TARGET_MS else 'MISS'} whole screen: "
        f"p95 {screen.ours_p95:.1f} ms (<{TARGET_MS})"
    )
    print(
        f"  {'OK  ' if refresh.ours_p95 < screen.ours_median else 'MISS'} a refresh costs less: "
        f"requests panel p95 {refresh.ours_p95:.1f} ms against the screen's median "
        f"{screen.ours_median:.1f} ms"
    )


if __name__ == "__main__":
    main()
