from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "xianfeng.venues"
    verbose_name = _("党群服务阵地")

    def ready(self):
        from . import tasks, workbench  # noqa: F401  (periodic sweep, workbench provider)
