from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "xianfeng.orgs"
    verbose_name = "党组织"

    def ready(self):
        from . import workbench  # noqa: F401  (registers the workbench items)
