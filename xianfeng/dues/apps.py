from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "xianfeng.dues"
    verbose_name = "党费"
