from django.db import migrations

# The standard member tags; codes are stable identifiers used by filters (?tag=mobile),
# the Excel templates and the demo data. Re-running never duplicates (keyed by code).
STANDARD_TAGS = [
    ("mobile", "流动党员"),
    ("hardship", "困难党员"),
    ("fifty_years", "光荣在党50年"),
    ("veteran", "老党员"),
    ("central_household", "党员中心户"),
    ("veteran_soldier", "退役军人"),
    ("in_service", "在职党员"),
    ("retired", "离退休党员"),
]


def add_tags(apps, schema_editor):
    MemberTag = apps.get_model("members", "MemberTag")
    for code, name in STANDARD_TAGS:
        MemberTag.objects.update_or_create(code=code, defaults={"name": name})


def remove_tags(apps, schema_editor):
    MemberTag = apps.get_model("members", "MemberTag")
    MemberTag.objects.filter(code__in=[code for code, _ in STANDARD_TAGS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_member_version"),
    ]

    operations = [migrations.RunPython(add_tags, remove_tags)]
