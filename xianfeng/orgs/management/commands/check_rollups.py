"""Recompute the dashboards' rollup rows of a subtree (or everything) from the source rows
and report drift; exit 1 when any is found, unless --fix rewrote it.

Every app's rollup registers its checker in xianfeng.core.rollups (request figures, escalations,
the org charts' member breakdowns); docs/decisions/0004-dashboard-rollups.md.
"""

from django.core.management.base import BaseCommand, CommandError

from xianfeng.core.rollups import CHECKERS, check_all
from xianfeng.orgs.models import Organization


class Command(BaseCommand):
    help = "核对统计汇总表(诉求统计、组织图表)与源数据是否一致；--fix 修正"

    def add_arguments(self, parser):
        parser.add_argument("--org", help="只核对该组织代码及其下级")
        parser.add_argument("--fix", action="store_true", help="按源数据重写不一致的汇总行")
        parser.add_argument("--only", action="append", choices=sorted(CHECKERS) or None)

    def handle(self, *args, org=None, fix=False, only=None, **options):
        paths = None
        if org:
            root = Organization.objects.filter(code=org).first()
            if root is None:
                raise CommandError(f"组织代码 {org} 不存在")
            paths = [root.path]
        found = check_all(paths, fix=fix, only=only)
        for drift in found[:50]:
            self.stdout.write(
                f"{drift.rollup} org={drift.organization_id} {drift.key}: "
                f"记录 stored {drift.stored} → 实际 actual {drift.actual}"
            )
        if len(found) > 50:
            self.stdout.write(f"… 另有 {len(found) - 50} 处")
        names = ", ".join(sorted(only or CHECKERS))
        verb = "已修正 fixed" if fix else "不一致 drifted"
        self.stdout.write(f"核对 {names}：{verb} {len(found):,} 处")
        if found and not fix:
            raise SystemExit(1)
