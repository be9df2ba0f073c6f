from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "xianfeng.service"
    verbose_name = _("服务与共建")
