from django.core.management.base import BaseCommand, CommandError

from xianfeng.orgs.models import Organization
from xianfeng.resident_requests.open311 import create_key


class Command(BaseCommand):
    help = "Open311 api_key：create NAME [--org CODE] 生成新密钥（只保存其哈希）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create"])
        parser.add_argument("name")
        parser.add_argument("--org", help="未给出网格编码时承办的党组织代码（通常为街道）")

    def handle(self, *args, action, name, org=None, **options):
        organization = None
        if org:
            organization = Organization.objects.filter(code=org).first()
            if organization is None:
                raise CommandError(f"组织代码 {org} 不存在")
        _row, key = create_key(name, organization)
        self.stdout.write(key)
