from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "xianfeng.service"
    verbose_name = _("服务与共建")

    def ready(self):
        # Declares the point codes this app sends, so the points check sees them at start-up.
        from . import services, volunteering  # noqa: F401
