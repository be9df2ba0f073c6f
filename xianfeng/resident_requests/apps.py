from django.apps import AppConfig


class ResidentRequestsConfig(AppConfig):
    name = "xianfeng.resident_requests"
    label = "resident_requests"
    verbose_name = "诉求"

    def ready(self):
        from . import figures, workbench  # noqa: F401  register the indicator and the workbench
