"""manage.py gen_city --members N --orgs M: a synthetic city for scale tests and benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError

from xianfeng.archives import rollups as archive_rollups
from xianfeng.demo.city import CityPlan, generate_city, peak_mb
from xianfeng.demo.city_modules import fill_modules
from xianfeng.dues import rollups as dues_rollups
from xianfeng.orgs import breakdowns
from xianfeng.orgs.models import Organization
from xianfeng.resident_requests import rollups


class Command(BaseCommand):
    help = "生成模拟城市(组织树与党员)，用于规模测试和基准测试"

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=100_000)
        parser.add_argument("--orgs", type=int, default=6_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--prefix", default="GC", help="组织代码前缀")
        parser.add_argument(
            "--bare", action="store_true", help="只生成组织和党员，不填充各业务模块"
        )
        parser.add_argument(
            "--modules-only",
            action="store_true",
            help="为已有的模拟城市(按前缀)补充各业务模块数据",
        )

    def handle(self, *args, members, orgs, seed, prefix, bare, modules_only, **options):
        if orgs < 10 or members < 0:
            raise CommandError("--orgs 至少为 10，--members 不能为负")
        started = time.monotonic()
        plan = CityPlan(members=members, orgs=orgs, seed=seed, prefix=prefix, out=self.stdout)
        if modules_only:
            root = Organization.objects.filter(code=f"{prefix}0000001").first()
            if root is None:
                raise CommandError(f"没有前缀为 {prefix} 的模拟城市")
        else:
            try:
                root = generate_city(plan)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        if not bare:
            fill_modules(root, log=self.stdout.write)
            # The modules are written in SQL, past the services: build the figures' rollups.
            rollups.rebuild()
            rollups.rebuild_escalations()
            dues_rollups.refresh_all()
            archive_rollups.refresh_all()
        breakdowns.refresh_all()
        self.stdout.write(
            f"模拟城市 city {root.name} ({root.code}): {orgs:,} 个组织, {members:,} 名党员, "
            f"{time.monotonic() - started:.1f} s, peak {peak_mb():.0f} MB"
        )
