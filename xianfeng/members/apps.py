from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "xianfeng.members"
    verbose_name = "党员"

    def ready(self):
        from . import finders  # noqa: F401  (registers the member search)
