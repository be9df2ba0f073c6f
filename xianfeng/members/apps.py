from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "xianfeng.members"
    verbose_name = "党员"

    def ready(self):
        from . import breadcrumbs, finders  # noqa: F401  (the trail, the member search)
