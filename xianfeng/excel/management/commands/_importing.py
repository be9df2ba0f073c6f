"""Shared body of import_orgs / import_members: run the import, print the Chinese error table."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from xianfeng.excel.models import ImportMode, JobStatus
from xianfeng.excel.services import import_file


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="xlsx 文件路径")
        parser.add_argument("--user", help="以该账号的权限范围导入(默认不限范围)")
        parser.add_argument(
            "--mode",
            choices=ImportMode.values,
            default=ImportMode.CREATE,
            help="create 只新增 / update 只更新已有记录 / both 新增并更新",
        )

    def handle(self, *args, file, user=None, mode=ImportMode.CREATE, **options):
        actor = self._actor(user)
        job = import_file(file, self.kind, actor=actor, mode=mode)
        if job.status != JobStatus.DONE:
            self._print_errors(job)
            raise CommandError(f"导入失败：发现 {job.error_count} 个问题，未写入任何数据")
        self.stdout.write(
            self.style.SUCCESS(
                f"导入成功：新增 {job.result['created']} 条，修改 {job.result['updated']} 条，"
                f"{job.result['unchanged']} 条未变(任务 #{job.pk})"
            )
        )

    def _actor(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"账号“{username}”不存在") from exc

    def _print_errors(self, job):
        self.stderr.write("工作表\t行\t列\t值\t原因")
        for e in job.errors:
            column = f"{e['column']} {e['header']}".strip()
            self.stderr.write(
                f"{e['sheet'] or '—'}\t{e['row'] or '—'}\t{column or '—'}\t{e['value']}\t{e['reason']}"
            )
