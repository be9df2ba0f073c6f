import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from huey.contrib.djhuey import HUEY

from xianfeng.demo.scheduler import run_forever


class Command(BaseCommand):
    help = "演示：运行开发服务器，并在同一进程中按时执行定时任务（诉求超时上报、会议提醒、月度积分结账等）"

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        threading.Thread(target=run_forever, args=(HUEY,), daemon=True, name="demo-jobs").start()
        self.stdout.write("定时任务已在本进程中启动（每分钟检查一次）")
        # One process only: the reloader would start the jobs twice.
        call_command("runserver", addrport, use_reloader=False)
