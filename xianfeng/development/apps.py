from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "xianfeng.development"
    verbose_name = "发展党员"

    def ready(self):
        from . import workbench  # noqa: F401  (registers the workbench items)
