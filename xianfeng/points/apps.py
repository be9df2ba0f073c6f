from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "xianfeng.points"
    verbose_name = "积分"

    def ready(self):
        from xianfeng.core.events import point_event

        from . import indicators, workbench  # noqa: F401  (register points.per_member, workbench)
        from .receivers import on_point_event

        point_event.connect(on_point_event, dispatch_uid="points.on_point_event")
