from django.apps import AppConfig


class EnterpriseConfig(AppConfig):
    name = "xianfeng.enterprise"
    label = "enterprise"
    verbose_name = "企业服务"
