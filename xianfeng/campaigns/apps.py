from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "xianfeng.campaigns"
    verbose_name = _("专项工作")

    def ready(self):
        from . import breadcrumbs, workbench  # noqa: F401  (registers trails and workbench items)
