from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "xianfeng.members"
    verbose_name = "党员"
