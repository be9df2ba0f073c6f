from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "xianfeng.dues"
    verbose_name = "党费"

    def ready(self):
        from . import workbench  # noqa: F401  (registers the workbench items)
