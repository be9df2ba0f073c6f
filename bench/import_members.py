"""Import benchmark: `.venv/bin/python -m bench.import_members --rows 100000`.

Generates a valid member xlsx of N rows (in a child process, so its memory is not
counted), imports it into the database DATABASE_URL points at, under a throwaway
org subtree it creates and removes, and prints rows, seconds, rows/s and peak RSS.
Target (issue 3): 100,000 rows in under 60 s with peak memory under 500 MB.
`--update`: then the same file with 10% of the rows changed, imported in update mode
(issue 18: under 90 s), preview and write timed separately.
"""

import argparse
import multiprocessing
import os
import resource
import tempfile
import time
from datetime import date, timedelta

BRANCHES = 50
REGION = "990101"  # not a real region code, so generated IDs never collide with real data


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianfeng.settings")
    os.environ.setdefault("SECRET_KEY", "xianfeng-benchmark-key-" + "b" * 40)
    import django

    django.setup()


def generate(path, rows, codes):
    setup_django()
    from openpyxl import Workbook

    from xianfeng.excel.columns import MEMBER_SPEC
    from xianfeng.members.idcard import make_id_number

    book = Workbook(write_only=True)
    ws = book.create_sheet(MEMBER_SPEC.sheet)
    ws.append([c.title for c in MEMBER_SPEC.columns])
    for n in range(rows):
        born = date(1950, 1, 1) + timedelta(days=n // 500)
        male = n % 2
        ws.append(
            [
                f"测试{'张王李赵刘陈杨黄'[n % 8]}{'伟芳娜敏静丽强磊'[n // 8 % 8]}",
                make_id_number(REGION, born, n % 500 * 2 + male),
                "男" if male else "女",
                "汉族",
                born,
                f"139{n:08d}",
                "大学本科",
                "先锋科技有限公司",
                "职员",
                "济南市历城区郭店街道",
                "济南市历城区郭店街道",
                born + timedelta(days=365 * 25),
                born + timedelta(days=365 * 26),
                "正式党员",
                "正常",
                codes[n % len(codes)],
                None,
            ]
        )
    book.save(path)


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def make_subtree(stamp):
    from xianfeng.orgs.models import Organization, OrgKind

    root = Organization.objects.add_root(
        {"code": f"BENCH{stamp}", "name": "基准测试党委", "kind": OrgKind.COMMITTEE}
    )
    codes = []
    for i in range(BRANCHES):
        code = f"BENCH{stamp}-{i:03d}"
        Organization.objects.add_child(
            root, {"code": code, "name": f"基准测试第{i}党支部", "kind": OrgKind.BRANCH}
        )
        codes.append(code)
    return root, codes


def remove_subtree(root, job):
    from django.db import transaction

    from xianfeng.members.models import Member, Membership
    from xianfeng.orgs.models import Organization, OrgChange

    under = {"organization__path__startswith": root.path}
    with transaction.atomic():
        Membership.objects.filter(**under).delete()
        Member.tags.through.objects.filter(
            member__organization__path__startswith=root.path
        ).delete()
        member_ids = Member.objects.filter(**under).values_list("pk", flat=True)
        Member.objects.filter(pk__in=list(member_ids))._raw_delete(Member.objects.db)
        OrgChange.objects.filter(**under).delete()
        Organization.objects.filter(path__startswith=root.path).delete()
        if job is not None:
            # The job's audit rows stay: the audit chain is append-only (issue 13 §3).
            job.file.delete(save=False)
            job.delete()


def path_of_export(root):
    """The subtree's members exported unmasked, every 10th row's 工作单位 changed."""
    from openpyxl import load_workbook

    from xianfeng.excel.exporters import export_members
    from xianfeng.members.models import Member

    out, _count = export_members(
        Member.objects.filter(organization__path__startswith=root.path), actor=None, masked=False
    )
    path = tempfile.mktemp(suffix=".xlsx")
    book = load_workbook(out.name, read_only=True)
    from openpyxl import Workbook

    copy = Workbook(write_only=True)
    ws = copy.create_sheet("党员")
    employer = 7  # 0-based column of 工作单位
    for n, row in enumerate(book["党员"].iter_rows(values_only=True)):
        row = list(row)
        if n and n % 10 == 0:
            row[employer] = "基准测试新单位"
        ws.append(row)
    copy.save(path)
    return path


def update_case(path, root):
    from xianfeng.excel.importers import import_members

    for commit in (False, True):
        started, cpu_started = time.perf_counter(), cpu_seconds()
        outcome = import_members(path, actor=None, mode="update", commit=commit)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
        plan = outcome.plan
        print(
            f"update {'write  ' if commit else 'preview'} {seconds:.1f} s "
            f"(cpu {cpu:.1f} s, load average {os.getloadavg()[0]:.1f}): "
            f"{len(plan.changes) if plan else '-'} changed, {plan.unchanged if plan else '-'} "
            f"unchanged, {outcome.updated} written, errors {outcome.errors[:2]}"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS   {peak_mb:.0f} MB (whole run)")
    os.unlink(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the imported data")
    parser.add_argument("--update", action="store_true", help="also re-import with 10% changed")
    parser.add_argument(
        "--debug-query-log",
        action="store_true",
        help="keep Django's DEBUG query log (development only; it holds every INSERT's SQL)",
    )
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection

    if not args.debug_query_log:
        # With DEBUG=1 (needed for manage.py in development) Django keeps the text of the
        # last 9,000 statements; the import's 150 bulk INSERTs of 2,000 rows, with their
        # ciphertexts and blind indexes, are ~110 MB of it at 100,000 rows. Production runs
        # with DEBUG off, so that is what is measured.
        settings.DEBUG = False
    print(f"query log  {'on (DEBUG)' if settings.DEBUG else 'off, as in production'}")

    from xianfeng.excel.services import import_file

    stamp = str(int(time.time()))
    root, codes = make_subtree(stamp)
    job = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "members.xlsx")
            child = multiprocessing.get_context("spawn").Process(
                target=generate, args=(path, args.rows, codes)
            )
            child.start()
            child.join()
            size = os.path.getsize(path)
            started, cpu_started = time.perf_counter(), cpu_seconds()
            job = import_file(path, "members", actor=None)
            seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"database   {connection.vendor} {connection.settings_dict['NAME']}")
        print(f"file       {size / 1e6:.1f} MB")
        print(f"status     {job.status} ({job.error_count} errors, {job.result})")
        print(f"rows       {args.rows}")
        print(f"seconds    {seconds:.1f}")
        print(f"rows/s     {args.rows / seconds:.0f}")
        print(f"cpu s      {cpu:.1f} (this process; load average {os.getloadavg()[0]:.1f})")
        print(f"peak RSS   {peak_mb:.0f} MB")
        for e in job.errors[:5]:
            print("error", e)
        if args.update:
            update_case(path_of_export(root), root)
    finally:
        if not args.keep:
            remove_subtree(root, job)


if __name__ == "__main__":
    main()
