from django.apps import AppConfig


class EnterpriseConfig(AppConfig):
    name = "xianfeng.enterprise"
    label = "enterprise"
    verbose_name = "企业服务"

    def ready(self):
        from . import workbench  # noqa: F401  (registers the workbench items)
