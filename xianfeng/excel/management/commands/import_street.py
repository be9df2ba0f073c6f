"""manage.py import_street FILE [--parent CODE]: load an export_street archive, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from xianfeng.excel.street import ArchiveError, import_street
from xianfeng.orgs.models import Organization


class Command(BaseCommand):
    help = "载入 export_street 导出的数据包：导入到空的系统，或用 --parent 放在某个组织之下；全部成功或全部不写入"

    def add_arguments(self, parser):
        parser.add_argument("file", help="数据包路径(.zip)")
        parser.add_argument("--parent", help="上级组织代码(不填则作为顶级组织导入)")

    def handle(self, *args, file, parent=None, **options):
        above = None
        if parent:
            above = Organization.objects.filter(code=parent).first()
            if above is None:
                raise CommandError(f"上级组织代码“{parent}”不存在")
        try:
            done = import_street(file, parent=above)
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        except FileNotFoundError as exc:
            raise CommandError(f"找不到文件：{file}") from exc
        matched = sum(done.matched.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入“{done.root.name}”：{sum(done.counts.values())} 行，{done.files} 个文件；"
                f"{matched} 条目录数据(标签、类别、积分规则等)与本系统已有的相同，沿用"
            )
        )
