"""The 企业服务 categories with their time limits and checklists (一次性告知).

Sources: report 004 (崮云湖街道: 协助办理工商注册和税务登记, 项目辅导, 政策解读, 送人才, 资金对接),
report 003 (舜玉路 企业服务办公室 "七个一"), and the house defaults in shared/RULES.md (respond
within 1 working day, urgent 2 hours; finish within 7, complex 15 working days). Re-running
updates limits and replaces checklists (update_or_create by code).
"""

from django.db import migrations

H, D = "work_hours", "workdays"
GROUP = "企业服务"
CATEGORIES = (
    (
        "ent_registration",
        "工商注册与税务登记",
        (4, H),
        (3, D),
        ("法定代表人身份证", "企业名称预先核准或自主申报结果", "住所使用证明（租赁合同或产权证明）"),
    ),
    (
        "ent_license",
        "证照办理",
        (4, H),
        (5, D),
        ("营业执照副本", "法定代表人身份证", "许可事项申请表", "经营场所证明"),
    ),
    (
        "ent_project",
        "项目审批代办",
        (1, D),
        (15, D),
        ("项目建议书或可行性研究报告", "用地或规划证明材料", "环境影响评价文件（如需）", "授权委托书"),
    ),
    (
        "ent_recruitment",
        "用工招聘",
        (1, D),
        (10, D),
        ("岗位需求表（岗位、人数、条件、薪资）", "营业执照复印件", "联系人及面试地点"),
    ),
    (
        "ent_policy",
        "政策咨询",
        (4, H),
        (3, D),
        ("企业基本情况（行业、规模、成立时间）", "咨询的政策名称或文件号"),
    ),
    (
        "ent_financing",
        "融资对接",
        (1, D),
        (15, D),
        ("近两年财务报表", "融资需求说明（金额、期限、用途）", "营业执照复印件"),
    ),
    (
        "ent_utilities",
        "水电气暖报装",
        (1, D),
        (10, D),
        ("报装申请表", "产权证明或租赁合同", "用量需求（用电负荷、用水量等）", "营业执照复印件"),
    ),
)
ORDER_BASE = 100  # after the resident categories


def forward(apps, schema_editor):
    Category = apps.get_model("resident_requests", "Category")
    ChecklistItem = apps.get_model("resident_requests", "ChecklistItem")
    for order, (code, name, respond, finish, checklist) in enumerate(CATEGORIES):
        category, _ = Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "group": GROUP,
                "respond_within": respond[0],
                "respond_unit": respond[1],
                "finish_within": finish[0],
                "finish_unit": finish[1],
                "is_active": True,
                "order": ORDER_BASE + order,
            },
        )
        category.checklist.all().delete()
        ChecklistItem.objects.bulk_create(
            ChecklistItem(category=category, text=text, order=i) for i, text in enumerate(checklist)
        )


def backward(apps, schema_editor):
    Category = apps.get_model("resident_requests", "Category")
    Category.objects.filter(code__in=[c[0] for c in CATEGORIES], requests__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("enterprise", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
