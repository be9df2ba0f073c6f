import shutil

from django.core.management.base import BaseCommand, CommandError

from xianfeng.excel.exporters import export_members
from xianfeng.members.models import Member
from xianfeng.orgs.models import Organization


class Command(BaseCommand):
    help = "把一个组织(含下级)的党员导出为 xlsx(与导入模板格式相同)"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="组织代码")
        parser.add_argument("file", help="输出文件路径")
        parser.add_argument("--unmasked", action="store_true", help="不脱敏身份证号和手机号")

    def handle(self, *args, org, file, unmasked=False, **options):
        root = Organization.objects.filter(code=org).first()
        if root is None:
            raise CommandError(f"组织代码“{org}”不存在")
        members = Member.objects.filter(organization__path__startswith=root.path)
        out, count = export_members(
            members, actor=None, masked=not unmasked, filters={"org": org, "command": True}
        )
        with out, open(file, "wb") as target:
            shutil.copyfileobj(out, target)
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 名党员到 {file}"))
