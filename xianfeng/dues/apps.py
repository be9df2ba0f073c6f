from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "xianfeng.dues"
    verbose_name = "党费"

    def ready(self):
        from . import services, workbench  # noqa: F401  (point codes, workbench items)
