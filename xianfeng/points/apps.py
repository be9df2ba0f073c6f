from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "xianfeng.points"
    verbose_name = "积分"

    def ready(self):
        from xianfeng.core.events import point_event, point_withdrawn

        from . import checks, indicators, tasks, workbench  # noqa: F401  (register them)
        from .receivers import on_point_event, on_point_withdrawn

        point_event.connect(on_point_event, dispatch_uid="points.on_point_event")
        point_withdrawn.connect(on_point_withdrawn, dispatch_uid="points.on_point_withdrawn")
