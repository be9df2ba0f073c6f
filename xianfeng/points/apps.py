from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "xianfeng.points"
    verbose_name = "积分"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from xianfeng.core.events import point_event, point_withdrawn

        from . import checks, indicators, tasks, workbench  # noqa: F401  (register them)
        from .models import PointRule
        from .receivers import on_point_event, on_point_withdrawn
        from .services import forget_rules

        point_event.connect(on_point_event, dispatch_uid="points.on_point_event")
        point_withdrawn.connect(on_point_withdrawn, dispatch_uid="points.on_point_withdrawn")
        # The rule lookup is cached per process; a rule written here clears it at once.
        post_save.connect(forget_rules, sender=PointRule, dispatch_uid="points.forget_rules")
        post_delete.connect(forget_rules, sender=PointRule, dispatch_uid="points.forget_rules_d")
