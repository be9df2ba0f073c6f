from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "xianfeng.tasks"
    verbose_name = _("重点任务与党建品牌")
