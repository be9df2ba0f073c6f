"""Campaign benchmark (issue 21): `.venv/bin/python -m bench.campaigns --households 20000`.

Against the database DATABASE_URL points at (PostgreSQL for the numbers that count): creates a
throwaway street with a 回迁 campaign, imports N households from a generated xlsx through
`imports.import_cases` (target: 20,000 in < 30 s), moves a third of them on through the batch
service, then times the progress board (`progress.board`) and the screen's
`services.progress_for_org` (target: < 100 ms each), with their query counts. Everything it
created is removed at the end.
"""

import argparse
import os
import statistics
import tempfile
import time


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianfeng.settings")
    os.environ.setdefault("SECRET_KEY", "xianfeng-benchmark-key-" + "b" * 40)
    import django

    django.setup()


def generate(path, rows, groups):
    from openpyxl import Workbook

    from xianfeng.campaigns.imports import CASE_SPEC

    book = Workbook(write_only=True)
    ws = book.create_sheet(CASE_SPEC.sheet)
    ws.append([c.title for c in CASE_SPEC.columns])
    for i in range(rows):
        ws.append(
            [
                f"B-{i:06d}",
                f"第{i % 10 + 1}村",
                f"户主{i}",
                None,
                f"138{i:08d}",
                1 + i % 6,
                f"原宅基地{i}号",
                60 + i % 90,
                None,
                groups[i % len(groups)],
                None,
            ]
        )
    book.save(path)


def timed(fn, reps):
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.campaigns")
    parser.add_argument("--households", type=int, default=20000)
    parser.add_argument("--reps", type=int, default=30)
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from xianfeng.campaigns import imports, services
    from xianfeng.campaigns.models import Campaign, Case
    from xianfeng.campaigns.progress import board
    from xianfeng.orgs.models import Organization, OrgKind

    today = timezone.localdate()
    code = f"BENCH-C{int(time.time())}"
    root = Organization.objects.add_root(
        {"code": code, "name": "基准测试区委", "kind": OrgKind.COMMITTEE}
    )
    try:
        street = Organization.objects.add_child(
            root, {"code": f"{code}-S", "name": "基准测试街道", "kind": OrgKind.COMMITTEE}
        )
        campaign = services.create_campaign(
            street,
            actor=None,
            name="基准回迁",
            kind="resettlement",
            starts_on=today,
            ends_on=today,
            branch_code=f"{code}-T",
            groups=[(f"第{n}组", f"组长{n}", None) for n in range(1, 11)],
        )
        groups = [f"第{n}组" for n in range(1, 11)]
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "households.xlsx")
            generate(path, args.households, groups)
            started = time.perf_counter()
            outcome = imports.import_cases(campaign, path, actor=None)
            seconds = time.perf_counter() - started
        assert outcome.ok, outcome.errors[:5]
        print(f"import: {outcome.created} households in {seconds:.1f} s (target < 30 s)")
        ids = list(Case.objects.filter(campaign=campaign).values_list("pk", flat=True))
        started = time.perf_counter()
        services.change_stages(campaign, ids[: len(ids) // 3], "checked", actor=None, on=today)
        print(f"batch stage change: {len(ids) // 3} in {time.perf_counter() - started:.1f} s")
        campaign = Campaign.objects.get(pk=campaign.pk)
        for label, fn in (
            ("progress board", lambda: board(campaign)),
            ("progress_for_org(street)", lambda: services.progress_for_org(street)),
        ):
            with CaptureQueriesContext(connection) as queries:
                fn()
            median, p95 = timed(fn, args.reps)
            print(
                f"{label}: median {median:.1f} ms, p95 {p95:.1f} ms, "
                f"{len(queries)} queries (target < 100 ms)"
            )
    finally:
        with transaction.atomic():
            mine = Campaign.objects.filter(street__path__startswith=root.path)
            Case.objects.filter(campaign__in=mine).delete()  # classes and groups are PROTECTed
            mine.delete()
            Organization.objects.filter(path__startswith=root.path).delete()


if __name__ == "__main__":
    main()
