from django.apps import AppConfig


class EnterpriseConfig(AppConfig):
    name = "xianfeng.enterprise"
    label = "enterprise"
    verbose_name = "企业服务"

    def ready(self):
        from . import finders, workbench  # noqa: F401  (register the search and the workbench)
