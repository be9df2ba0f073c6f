from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "xianfeng.meetings"
    verbose_name = "组织生活"

    def ready(self):
        # register the indicator, the reminder task and the workbench items
        from . import compliance_cache, indicators, services, tasks, workbench  # noqa: F401

        compliance_cache.connect()  # meetings, plan items, overrides: forget the day's counts
