from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "xianfeng.development"
    verbose_name = "发展党员"
