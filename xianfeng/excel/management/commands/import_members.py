from ._importing import ImportCommand


class Command(ImportCommand):
    help = "从 xlsx 文件导入党员(全部通过检查才写入)"
    kind = "members"
