from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "xianfeng.grid"
    verbose_name = "网格治理"

    def ready(self):
        from . import breadcrumbs, figures, finders, locate, services_people, workbench  # noqa: F401

        locate.connect()
        from xianfeng.excel.services import register_importer

        from .imports import HOUSEHOLD_SPEC, import_households

        register_importer(HOUSEHOLD_SPEC, import_households)
