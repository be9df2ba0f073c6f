from django.apps import AppConfig


class ExcelConfig(AppConfig):
    name = "xianfeng.excel"
    verbose_name = "Excel 导入导出"
