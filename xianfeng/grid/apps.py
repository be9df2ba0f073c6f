from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "xianfeng.grid"
    verbose_name = "网格治理"
