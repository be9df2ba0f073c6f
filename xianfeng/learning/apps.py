from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "xianfeng.learning"
    verbose_name = _("学习")

    def ready(self):
        from . import services, workbench  # noqa: F401  (point codes, workbench items)
