from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "xianfeng.elections"
    verbose_name = "换届选举"
