from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "xianfeng.cadres"
    verbose_name = "后备干部"
