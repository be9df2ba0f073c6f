from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreenConfig(AppConfig):
    name = "xianfeng.screen"
    verbose_name = _("指挥中心大屏")

    def ready(self):
        # The panels of the domain apps this app reads (screen sits above them); another app
        # may register its own panel from its ready() through the same seam (panels.screen_panel).
        from .panels import register_builtin

        register_builtin()
