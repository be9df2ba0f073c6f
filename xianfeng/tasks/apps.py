from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "xianfeng.tasks"
    verbose_name = _("重点任务与党建品牌")

    def ready(self):
        from . import workbench  # noqa: F401  (registers the workbench items)
