from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "xianfeng.assessment"
    verbose_name = "考核与评星定级"

    def ready(self):
        # Register this app's computed indicators and member inputs.
        from . import indicators, members  # noqa: F401
