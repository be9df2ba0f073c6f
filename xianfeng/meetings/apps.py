from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "xianfeng.meetings"
    verbose_name = "组织生活"

    def ready(self):
        from . import indicators, tasks  # noqa: F401  (register the indicator and the reminder task)
