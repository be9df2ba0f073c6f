"""The grid demo reproduces the reports' numbers (seeds 001 and 002) and loads idempotently."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from xianfeng.accounts.models import User
from xianfeng.grid.figures import grid_figures
from xianfeng.grid.models import (
    CentralHousehold,
    Grid,
    GridStaff,
    Household,
    ServiceActivity,
    Visit,
    ZoneResponsibility,
)
from xianfeng.grid.scoping import scope_grids
from xianfeng.grid.services import responsible_chain
from xianfeng.orgs.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded, db):
    return None


def counts():
    models = (Grid, GridStaff, CentralHousehold, Household, Visit, ServiceActivity)
    return {m.__name__: m.objects.count() for m in models}


def test_tianqiao_figures_match_the_report(demo):
    district = Organization.objects.get(code="370105")
    base = Grid.objects.filter(scope_org__path__startswith=district.path)
    today = timezone.localdate()
    year = today.year if today >= date(today.year, 4, 1) else today.year - 1
    fig = grid_figures(base, date(year, 3, 1), today)
    assert dict(fig.grids_by_kind)["网格"] == 1153
    assert (fig.staff, fig.party_staff, fig.party_share) == (9097, 5207, 57)
    assert (fig.activities, fig.problems_solved) == (15404, 577)
    assert [name for name, _t, _p in fig.staff_by_role][:3] == [
        "网格长",
        "专职网格员",
        "网格助理员",
    ]


def test_ruixiang_four_levels_and_the_wang_kui_case(demo):
    community = Grid.objects.get(code="RX")
    subtree = Grid.objects.subtree_of(community)
    assert subtree.filter(kind="grid").count() == 4
    assert subtree.filter(kind="building").count() == 12
    assert CentralHousehold.objects.filter(grid__path__startswith=community.path).count() == 51
    wang = Household.objects.get(head_name="王魁")
    chain = responsible_chain(wang.grid)
    assert [(s.label, s.name) for s in chain][:2] == [
        ("党员中心户", "赵美菊"),
        ("楼栋党小组", "1号楼栋党小组"),
    ]
    assert [s.label for s in chain][2:] == ["网格党支部", "社区党总支", "街道党工委"]
    jiang = GridStaff.objects.get(name="姜君", role__name="网格助理员")
    assert jiang.user.username == "wangge" and jiang.member.name == "姜君"
    visible = set(scope_grids(User.objects.get(username="wangge")).values_list("code", flat=True))
    assert visible == {"RX-01", "RX-01-01", "RX-01-02", "RX-01-03"}


def test_zhanglaogou_zone(demo):
    duty = ZoneResponsibility.objects.get(member__name="荆广伦")
    assert duty.households == 72 and duty.grid.households.count() == 72
    assert Visit.objects.filter(household__head_name="荆永义", found__contains="漏水").exists()


def test_loading_twice_changes_nothing(demo):
    first = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == first
    assert Grid.objects.find_problems() == ([], [], [], [], [])
