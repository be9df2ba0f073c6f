from django.apps import AppConfig


class StandingConfig(AppConfig):
    name = "xianfeng.standing"
    verbose_name = "党籍管理"

    def ready(self):
        from . import workbench  # noqa: F401  (registers the workbench items)
