from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xianfeng.core"
    verbose_name = "基础"
