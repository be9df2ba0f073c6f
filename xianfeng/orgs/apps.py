from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "xianfeng.orgs"
    verbose_name = "党组织"

    def ready(self):
        from . import breakdowns, finders, workbench  # noqa: F401  (register the search and the workbench)

        breakdowns._register()
