import pytest

from xianfeng.accounts.roles import Role
from xianfeng.resident_requests.models import Category
from xianfeng.testing import make_user

from ..testing import make_enterprise


@pytest.fixture
def specialist(world):
    return make_user("zhuanyuan", role=Role.GRID_WORKER, org=world.branch2)


@pytest.fixture
def enterprise(world, specialist):
    return make_enterprise(world.branch, specialist=specialist)


@pytest.fixture
def project(db):
    """项目审批代办 from migration 0002: 1 workday to respond, 15 to finish."""
    return Category.objects.get(code="ent_project")
