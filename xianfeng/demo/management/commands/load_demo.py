"""manage.py load_demo: the demo streets of the five reports, idempotent (run it any number of times)."""

import time
import unicodedata
from contextlib import contextmanager

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from xianfeng.demo import PASSWORD, Context, load_all
from xianfeng.orgs.models import Organization, OrgKind


class Command(BaseCommand):
    help = "载入演示数据(郭店、天桥、大季家、舜玉路、崮云湖)；可重复运行，不会重复创建"

    def handle(self, *args, **options):
        started = time.monotonic()
        with no_query_log(), transaction.atomic():
            ctx = load_all(Context(progress=self.progress))
        self.summary(ctx)
        self.stdout.write(f"\n用时 took {time.monotonic() - started:.1f} s")

    def progress(self, name, seconds):
        self.stdout.write(f"  {name:<12} {seconds:6.1f} s")
        self.stdout.flush()

    def summary(self, ctx):
        self.stdout.write("\n演示数据 Demo data")
        heads = (
            "街道 street",
            "支部 branches",
            "党小组 groups",
            "党员 members",
            "预备 probationary",
        )
        self.stdout.write(pad(heads[0], 26) + "".join(pad(h, 20, right=True) for h in heads[1:]))
        for code in ctx.streets:
            street = ctx.orgs[code]
            row = Organization.objects.filter(path__startswith=street.path).aggregate(
                branches=Count("pk", filter=Q(kind=OrgKind.BRANCH)),
                groups=Count("pk", filter=Q(kind=OrgKind.GROUP)),
                members=Sum("member_count"),
                probationary=Sum("probationary_member_count"),
            )
            cells = (row["branches"], row["groups"], f"{row['members']:,}", row["probationary"])
            self.stdout.write(pad(street.name, 26) + "".join(pad(c, 20, right=True) for c in cells))
        self.stdout.write(f"\n演示账号 Demo logins (密码 password: {PASSWORD})")
        for username, label, org in ctx.logins:
            self.stdout.write(f"  {username:<10} {pad(label, 40)} {org}")


@contextmanager
def no_query_log():
    """Under DEBUG every query's SQL is kept for the debug toolbar (on SQLite with one more
    query per query, to quote its parameters): a tenth of the load's time for a log of the
    last 9,000 queries nobody reads. The loader's cursors skip it."""
    connection.make_debug_cursor = connection.make_cursor
    try:
        yield
    finally:
        del connection.make_debug_cursor


def pad(value, width, *, right=False):
    """Pad to `width` terminal columns; CJK characters take two."""
    text = str(value)
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    fill = " " * max(0, width - used)
    return fill + text if right else text + fill
