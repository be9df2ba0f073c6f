"""manage.py gen_city --members N --orgs M: a synthetic city for scale tests and benchmarks.

Sizes: `--small` is 100,000 members / 6,000 organizations (the default), `--tiny` 1,000 / 60
(tests); `--members` / `--orgs` override either. The benchmarks' full city is
`--members 1000000 --orgs 60000`."""

import time

from django.core.management.base import BaseCommand, CommandError

from xianfeng.archives import rollups as archive_rollups
from xianfeng.core import partitions
from xianfeng.core.management.commands.ledger_partitions import ensure_partitions
from xianfeng.demo.city import CityPlan, generate_city, peak_mb
from xianfeng.demo.city_modules import fill_modules
from xianfeng.dues import rollups as dues_rollups
from xianfeng.orgs import breakdowns
from xianfeng.orgs.models import Organization
from xianfeng.resident_requests import rollups

SIZES = {"small": (100_000, 6_000), "tiny": (1_000, 60)}


class Command(BaseCommand):
    help = "生成模拟城市(组织树与党员)，用于规模测试和基准测试"

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int)
        parser.add_argument("--orgs", type=int)
        size = parser.add_mutually_exclusive_group()
        size.add_argument("--small", action="store_true", help="100,000 名党员 / 6,000 个组织")
        size.add_argument("--tiny", action="store_true", help="1,000 名党员 / 60 个组织(测试用)")
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

    def handle(self, *args, members, orgs, seed, prefix, bare, modules_only, tiny, **options):
        default_members, default_orgs = SIZES["tiny" if tiny else "small"]
        members = default_members if members is None else members
        orgs = default_orgs if orgs is None else orgs
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
            rollups.rebuild_now()
            dues_rollups.refresh_all()
            archive_rollups.refresh_all()
        breakdowns.refresh_all()
        # PostgreSQL: the generated past years get partitions of their own (decision 0005).
        if partitions.enabled():
            self.stdout.write(ensure_partitions())
        self.stdout.write(
            f"模拟城市 city {root.name} ({root.code}): {orgs:,} 个组织, {members:,} 名党员, "
            f"{time.monotonic() - started:.1f} s, peak {peak_mb():.0f} MB"
        )
