"""Re-encrypt every 身份证号 / phone under the current XIANFENG_FIELD_KEY (docs/operations.md)."""

from django.apps import apps
from django.core.management.base import BaseCommand

from xianfeng.core import crypto


class Command(BaseCommand):
    help = (
        "把所有加密字段(身份证号、手机号)改用当前密钥 XIANFENG_FIELD_KEY 重新加密并重算盲索引；"
        "分批提交，中断后重新运行即从中断处继续。旧密钥须保留在 XIANFENG_FIELD_KEYS_PREVIOUS 中直到完成。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        key = crypto.current_key()
        self.stdout.write(f"当前密钥 {key.kid}（{key.cipher}）")
        total = 0
        for model in apps.get_models():
            if not crypto.encrypted_fields(model):
                continue
            done = crypto.reencrypt_rows(model, batch_size=batch_size)
            total += done
            self.stdout.write(f"{model._meta.label}: 重新加密 {done} 行")
        self.stdout.write(self.style.SUCCESS(f"完成：共 {total} 行改用密钥 {key.kid}"))
