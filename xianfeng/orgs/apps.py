from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "xianfeng.orgs"
    verbose_name = "党组织"

    def ready(self):
        from . import breadcrumbs, breakdowns, finders, workbench  # noqa: F401  (trail, search, workbench)

        breakdowns._register()
