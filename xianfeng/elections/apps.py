from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "xianfeng.elections"
    verbose_name = "换届选举"

    def ready(self):
        from . import tasks  # noqa: F401  (register the term reminder job)
