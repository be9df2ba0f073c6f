from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "xianfeng.archives"
    verbose_name = "党员档案"

    def ready(self):
        from . import indicators, workbench  # noqa: F401  (register the indicator and the workbench)
