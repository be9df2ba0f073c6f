from django.apps import AppConfig


class InstructorsConfig(AppConfig):
    name = "xianfeng.instructors"
    verbose_name = "党建指导员"

    def ready(self):
        from . import workbench  # noqa: F401  (registers the workbench items)
