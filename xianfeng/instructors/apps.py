from django.apps import AppConfig


class InstructorsConfig(AppConfig):
    name = "xianfeng.instructors"
    verbose_name = "党建指导员"
