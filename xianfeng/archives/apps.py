from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "xianfeng.archives"
    verbose_name = "党员档案"

    def ready(self):
        from . import indicators, rollups, workbench  # noqa: F401  (register the indicator and the workbench)

        rollups._register()  # check_rollups 'archives'; re-counted on member writes
