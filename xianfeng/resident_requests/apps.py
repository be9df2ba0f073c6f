from django.apps import AppConfig


class ResidentRequestsConfig(AppConfig):
    name = "xianfeng.resident_requests"
    label = "resident_requests"
    verbose_name = "诉求"

    def ready(self):
        from . import figures  # noqa: F401  registers the assessment indicator
