from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "xianfeng.notices"
    verbose_name = "通知中心"

    def ready(self):
        from . import tasks  # noqa: F401  (register the delivery job and the sweep)
