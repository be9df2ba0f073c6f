from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "xianfeng.grid"
    verbose_name = "网格治理"

    def ready(self):
        from . import breadcrumbs, figures, finders, locate, workbench  # noqa: F401

        locate.connect()
