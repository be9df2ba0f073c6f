from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "xianfeng.transfers"
    verbose_name = "组织关系转接"

    def ready(self):
        from . import workbench  # noqa: F401  (registers the workbench items)
