from django.apps import AppConfig


class InstructorsConfig(AppConfig):
    name = "xianfeng.instructors"
    verbose_name = "党建指导员"

    def ready(self):
        from . import services, workbench  # noqa: F401  (point codes, workbench items)
