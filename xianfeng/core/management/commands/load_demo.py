"""manage.py load_demo: the demo streets of the five reports, idempotent (run it any number of times)."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, Q, Sum

from xianfeng.core.demo import PASSWORD, Context, load_all
from xianfeng.orgs.models import Organization, OrgKind


class Command(BaseCommand):
    help = "载入演示数据(郭店、天桥、大季家、舜玉路、崮云湖)；可重复运行，不会重复创建"

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            ctx = load_all(Context())
        self.summary(ctx)
        self.stdout.write(f"\n用时 took {time.monotonic() - started:.1f} s")

    def summary(self, ctx):
        self.stdout.write("\n演示数据 Demo data")
        self.stdout.write(
            f"{'街道 street':<24}{'支部 branches':>14}{'党小组 groups':>14}"
            f"{'党员 members':>13}{'预备 probationary':>19}"
        )
        for code in ctx.streets:
            street = ctx.orgs[code]
            row = Organization.objects.filter(path__startswith=street.path).aggregate(
                branches=Count("pk", filter=Q(kind=OrgKind.BRANCH)),
                groups=Count("pk", filter=Q(kind=OrgKind.GROUP)),
                members=Sum("member_count"),
                probationary=Sum("probationary_member_count"),
            )
            self.stdout.write(
                f"{street.name:<24}{row['branches']:>14}{row['groups']:>14}"
                f"{row['members']:>13,}{row['probationary']:>19}"
            )
        self.stdout.write(f"\n演示账号 Demo logins (密码 password: {PASSWORD})")
        for username, label, org in ctx.logins:
            self.stdout.write(f"  {username:<10} {label:<34} {org}")
