from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "xianfeng.grid"
    verbose_name = "网格治理"

    def ready(self):
        from . import figures, finders, locate, workbench  # noqa: F401  (indicator, search, 工作台)

        locate.connect()
