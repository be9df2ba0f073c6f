from ._importing import ImportCommand


class Command(ImportCommand):
    help = "从 xlsx 文件导入党组织(全部通过检查才写入)"
    kind = "orgs"
