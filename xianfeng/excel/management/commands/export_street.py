"""manage.py export_street CODE FILE: a street (or any subtree) in one versioned archive."""

from django.core.management.base import BaseCommand, CommandError

from xianfeng.excel.street import ArchiveError, export_street
from xianfeng.orgs.models import Organization


class Command(BaseCommand):
    help = (
        "把一个组织及其下级的全部数据(组织、党员、网格、诉求、组织生活、积分、档案、党费、"
        "组织关系转接、服务、学习、考评)导出为一个数据包(zip)；格式见 docs/street-format.md"
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="组织代码(街道党工委或任何组织)")
        parser.add_argument("file", help="输出文件路径(.zip)")
        parser.add_argument(
            "--personal-data",
            action="store_true",
            help="写入完整的身份证号和手机号(明文，记入审计日志)；不加时这些字段留空",
        )
        parser.add_argument("--reason", default="", help="导出完整个人信息的原因(记入审计日志)")

    def handle(self, *args, code, file, personal_data=False, reason="", **options):
        root = Organization.objects.filter(code=code).first()
        if root is None:
            raise CommandError(f"组织代码“{code}”不存在")
        if personal_data and not reason.strip():
            raise CommandError("导出完整的身份证号和手机号须用 --reason 说明原因(记入审计日志)")
        try:
            done = export_street(root, file, personal_data=personal_data, reason=reason.strip())
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(done.counts.values())
        note = "含完整个人信息" if personal_data else "身份证号、手机号未导出"
        self.stdout.write(
            self.style.SUCCESS(
                f"已导出“{root.name}”：{len([c for c in done.counts.values() if c])} 张表 "
                f"{rows} 行，{done.files} 个文件({note})到 {file}"
            )
        )
