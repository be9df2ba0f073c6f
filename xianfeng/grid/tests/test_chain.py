from datetime import date, timedelta

from django.utils import timezone

from xianfeng.grid.models import CentralHousehold, ZoneResponsibility
from xianfeng.grid.services import responsible_chain
from xianfeng.testing import make_member


def _levels(chain):
    return [(s.level, s.label, s.name) for s in chain]


def test_full_chain_from_a_building(world, gw, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        chain = responsible_chain(gw.building1)
    assert _levels(chain) == [
        ("central_household", "党员中心户", "赵美菊"),
        ("building", "楼栋党小组", "1号楼党小组"),
        ("grid", "网格党支部", "瑞祥社区第一网格党支部"),
        ("community", "社区党总支", "瑞祥社区党总支"),
        ("street", "街道党工委", "北坦街道党工委"),
    ]
    assert chain[0].member == gw.central.member
    assert chain[0].grid == gw.building1


def test_unlinked_building_inherits_upward(world, gw):
    chain = responsible_chain(gw.building2)
    # No 中心户 on 2号楼 or above it, no 党小组: the chain starts at the 网格党支部.
    assert [s.level for s in chain] == ["grid", "community", "street"]


def test_zone_responsibility_when_no_central(world, gw):
    officer = make_member(world.branch, "刘书记")
    ZoneResponsibility.objects.create(
        member=officer, grid=gw.grid1, households=72, started_on=date(2024, 1, 1)
    )
    chain = responsible_chain(gw.building2)
    assert chain[0].level == "zone_responsibility"
    assert chain[0].member == officer
    assert chain[0].grid == gw.grid1


def test_inactive_and_ended_are_skipped(world, gw):
    CentralHousehold.objects.filter(pk=gw.central.pk).update(is_active=False)
    officer = make_member(world.branch, "刘书记")
    yesterday = timezone.localdate() - timedelta(days=1)
    ZoneResponsibility.objects.create(
        member=officer, grid=gw.building1, started_on=date(2024, 1, 1), ended_on=yesterday
    )
    chain = responsible_chain(gw.building1)
    assert chain[0].level == "building"


def test_top_grid_has_street_only_above_its_org(world, gw):
    chain = responsible_chain(gw.community)
    assert [s.level for s in chain] == ["community", "street"]


def test_other_street_chain(world, gw):
    chain = responsible_chain(gw.other_community)
    assert [(s.level, s.name) for s in chain] == [
        ("village", "十里堡村党支部"),
        ("street", "郭店街道党工委"),
    ]
