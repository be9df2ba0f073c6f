from django.apps import AppConfig


class ResidentRequestsConfig(AppConfig):
    name = "xianfeng.resident_requests"
    label = "resident_requests"
    verbose_name = "诉求"

    def ready(self):
        from xianfeng.core.events import calendar_changed

        # register the indicator, the search by 查询码 and the workbench
        from . import figures, finders, workbench  # noqa: F401
        from .tasks import on_calendar_changed

        calendar_changed.connect(on_calendar_changed, dispatch_uid="requests.recount_deadlines")
