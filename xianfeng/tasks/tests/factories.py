from datetime import date

from xianfeng.tasks import services
from xianfeng.tasks.models import TaskKind


def task(world, org=None, *, starts_on=date(2026, 1, 1), due_on=date(2026, 12, 31), **fields):
    fields = {
        "kind": TaskKind.KEY_TASK,
        "title": "老旧小区改造",
        "lead_unit": "街道城管办",
        "lead_person": "王强",
        "starts_on": starts_on,
        "due_on": due_on,
        **fields,
    }
    return services.create_task(org or world.branch, actor=world.users["admin"], **fields)


def brand(world, org=None, **fields):
    fields = {"name": "红色驿站", "year": 2026, "goals": "建成15分钟服务圈", **fields}
    return services.create_brand_plan(org or world.branch, actor=world.users["admin"], **fields)
