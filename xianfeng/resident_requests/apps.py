from django.apps import AppConfig


class ResidentRequestsConfig(AppConfig):
    name = "xianfeng.resident_requests"
    label = "resident_requests"
    verbose_name = "诉求"

    def ready(self):
        from xianfeng.core.events import calendar_changed

        # register the indicator, the search by 查询码 and the workbench
        from . import figures, finders, services, workbench  # noqa: F401  (services: point codes)
        from .tasks import on_calendar_changed

        calendar_changed.connect(on_calendar_changed, dispatch_uid="requests.recount_deadlines")

        from django.db.models.signals import post_delete, pre_delete

        from xianfeng.grid.models import Grid

        from . import rollups
        from .models import ResidentRequest

        pre_delete.connect(rollups.on_request_deleting, sender=ResidentRequest)
        post_delete.connect(rollups.on_request_deleted, sender=ResidentRequest)
        post_delete.connect(rollups.on_grid_deleted, sender=Grid)
        rollups._register()
