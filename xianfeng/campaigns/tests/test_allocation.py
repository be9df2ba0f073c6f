from decimal import Decimal

import pytest

from xianfeng.campaigns import allocation, services
from xianfeng.campaigns.models import Case, HousingUnit, NoticeReach
from xianfeng.campaigns.rules import AllocationRule, CampaignKind
from xianfeng.core.errors import DomainError

from .factories import campaign, case

pytestmark = pytest.mark.django_db


def _ready(world, n=12):
    c = campaign(world, kind=CampaignKind.RESETTLEMENT)
    actor = world.users["admin"]
    for i in range(n):
        extra = {"phone": ""} if i == 0 else {}
        h = case(c, f"R{i:03d}", area=Decimal(80 + (i * 7) % 50), **extra)
        services.change_stage(h, "checked", actor=actor)
    HousingUnit.objects.bulk_create(
        HousingUnit(campaign=c, code=f"1-{i:03d}", building="1号楼", area=90) for i in range(n)
    )
    return c


def _order(c):
    return list(
        Case.objects.filter(campaign=c).order_by("choose_order").values_list("number", flat=True)
    )


def test_the_lottery_is_reproducible_from_its_seed(world):
    c = _ready(world)
    actor = world.users["admin"]
    allocation.draw_order(c, actor=actor, rule=AllocationRule.LOTTERY, seed="20200810-公证-7391")
    first = _order(c)
    allocation.draw_order(c, actor=actor, rule=AllocationRule.LOTTERY, seed="20200810-公证-7391")
    assert _order(c) == first
    # Anyone with the seed and the list of 户号 redoes it without the database.
    cases = [Case(number=n) for n in sorted(first)]
    redone = allocation.choosing_order(cases, AllocationRule.LOTTERY, "20200810-公证-7391")
    assert [x.number for x in redone] == first
    allocation.draw_order(c, actor=actor, rule=AllocationRule.LOTTERY, seed="another")
    assert _order(c) != first
    assert first != sorted(first)


def test_the_published_rule_orders_by_area_then_number(world):
    c = _ready(world)
    allocation.draw_order(c, actor=world.users["admin"], rule=AllocationRule.AREA_DESC)
    rows = list(Case.objects.filter(campaign=c).order_by("choose_order"))
    keys = [(-r.area, r.number) for r in rows]
    assert keys == sorted(keys)


def test_households_choose_in_their_turn_and_the_result_is_published(world):
    c = _ready(world, n=3)
    actor = world.users["admin"]
    allocation.draw_order(c, actor=actor, rule=AllocationRule.LOTTERY, seed="s")
    first, second, third = Case.objects.filter(campaign=c).order_by("choose_order")
    units = list(HousingUnit.objects.filter(campaign=c))
    with pytest.raises(DomainError, match="按顺序"):
        allocation.choose_unit(second, units[0], actor=actor)
    allocation.choose_unit(first, units[0], actor=actor)
    with pytest.raises(DomainError, match="已被选定"):
        allocation.choose_unit(second, units[0], actor=actor)
    allocation.choose_unit(second, units[1], actor=actor)
    with pytest.raises(DomainError, match="已开始选房"):
        allocation.draw_order(c, actor=actor, rule=AllocationRule.LOTTERY, seed="t")
    first.refresh_from_db()
    assert first.stage == "allocated"
    notice = allocation.publish_allocation(c, actor=actor)
    reaches = NoticeReach.objects.filter(notice=notice)
    assert reaches.count() == 3
    assert (
        reaches.filter(delivery__isnull=False).count() + reaches.filter(missing__gt="").count() == 3
    )
    with pytest.raises(DomainError, match="已公布"):
        allocation.publish_allocation(c, actor=actor)
