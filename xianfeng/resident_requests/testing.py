"""Factories for request tests (and other apps' tests that need a request)."""

from xianfeng.accounts.roles import Role
from xianfeng.testing import make_user

from .models import Category, ChecklistItem, TimeUnit
from .services import submit_request


def make_category(code="health", name="健康通行证", *, checklist=("身份证",), **fields):
    fields.setdefault("respond_within", 2)
    fields.setdefault("respond_unit", TimeUnit.WORK_HOURS)
    fields.setdefault("finish_within", 1)
    fields.setdefault("finish_unit", TimeUnit.WORKDAYS)
    category, created = Category.objects.get_or_create(code=code, defaults={"name": name, **fields})
    if created:
        ChecklistItem.objects.bulk_create(
            ChecklistItem(category=category, text=text, order=i) for i, text in enumerate(checklist)
        )
    return category


def make_request(*, grid=None, organization=None, category=None, **fields):
    fields.setdefault("description", "需要办理健康通行证")
    fields.setdefault("channel", "public")
    fields.setdefault("address", "1号楼1单元")
    req, _ = submit_request(
        category=category or make_category(), grid=grid, organization=organization, **fields
    )
    return req


def central_login(gw, username="zhaomeiju"):
    """A login for the 中心户 赵美菊 of the grid test world."""
    return make_user(username, member=gw.central.member)


def dispatcher(world, username="dispatcher"):
    return make_user(username, role=Role.COMMITTEE_SECRETARY, org=world.street)
