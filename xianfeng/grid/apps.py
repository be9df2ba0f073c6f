from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "xianfeng.grid"
    verbose_name = "网格治理"

    def ready(self):
        from . import figures, finders  # noqa: F401  (register the indicator and the search)
