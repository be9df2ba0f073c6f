from django.apps import AppConfig


class ResidentRequestsConfig(AppConfig):
    name = "xianfeng.resident_requests"
    label = "resident_requests"
    verbose_name = "诉求"

    def ready(self):
        # register the indicator, the search by 查询码 and the workbench
        from . import figures, finders, workbench  # noqa: F401
