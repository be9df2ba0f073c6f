"""回迁 allocation: the order of choosing (a lottery from a published seed, or a published rule),
each household's choice of unit, and the published result.

`choosing_order` is a pure function of the households, the rule and the seed: anyone holding
the published seed and the list of 户号 can redo the draw and get the same order."""

import hashlib
import random

from django.db import transaction
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.core.errors import DomainError

from .models import Campaign, Case, HousingUnit
from .rules import AllocationRule, CampaignKind
from .services import _require_active, change_stage, change_stages

ELIGIBLE_FROM = "checked"  # 资料已审核: a household takes part in the draw from this stage


def choosing_order(cases, rule, seed=""):
    """[case, …] in the order they choose. Lottery: the 户号 sorted, shuffled by a PRNG seeded
    with SHA-256 of the seed; the other rules are sorts with the 户号 as tie-break."""
    cases = sorted(cases, key=lambda c: c.number)
    if rule == AllocationRule.LOTTERY:
        if not seed:
            raise DomainError("抽签须填写公开的种子", field="seed")
        digest = hashlib.sha256(seed.encode()).hexdigest()
        random.Random(int(digest, 16)).shuffle(cases)
        return cases
    if rule == AllocationRule.AREA_DESC:
        return sorted(cases, key=lambda c: (-c.area, c.number))
    if rule == AllocationRule.SIGNED_FIRST:
        return sorted(cases, key=lambda c: (c.signed_on is None, c.signed_on, c.number))
    raise DomainError("请选择选房顺序规则", field="rule")


def _eligible(campaign):
    return Case.objects.filter(campaign=campaign, stage=ELIGIBLE_FROM)


def draw_order(campaign, *, actor, rule, seed=""):
    """Fix the order of choosing for every household whose documents are checked."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _require_active(campaign)
        if campaign.kind != CampaignKind.RESETTLEMENT:
            raise DomainError("只有回迁工作需要排定选房顺序")
        if HousingUnit.objects.filter(campaign=campaign, case__isnull=False).exists():
            raise DomainError("已开始选房，不能重新排定顺序")
        cases = list(_eligible(campaign).only("pk", "number", "area", "signed_on"))
        if not cases:
            raise DomainError("没有资料已审核的户，无法排定顺序")
        ordered = choosing_order(cases, rule, seed)
        Case.objects.filter(campaign=campaign).update(choose_order=None)
        for position, case in enumerate(ordered, 1):
            case.choose_order = position
        Case.objects.bulk_update(ordered, ["choose_order"], batch_size=2000)
        campaign.allocation_rule = rule
        campaign.allocation_seed = seed if rule == AllocationRule.LOTTERY else ""
        campaign.save(update_fields=["allocation_rule", "allocation_seed"])
        audit.record(
            "campaign.draw", campaign, actor=actor, rule=rule, seed=seed, households=len(ordered)
        )
    return ordered


def choose_unit(case, unit, *, actor, on=None):
    """The household takes `unit`: in its turn (everyone ahead has chosen), the unit free."""
    on = on or timezone.localdate()
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("campaign").get(pk=case.pk)
        unit = HousingUnit.objects.select_for_update().get(pk=unit.pk)
        campaign = case.campaign
        _require_active(campaign)
        if unit.campaign_id != campaign.pk:
            raise DomainError("该房源不属于本次回迁", field="unit")
        if case.choose_order is None:
            raise DomainError("该户还没有选房顺序号", field="case")
        if unit.case_id is not None:
            raise DomainError(f"房号 {unit.code} 已被选定", field="unit")
        if HousingUnit.objects.filter(case=case).exists():
            raise DomainError("该户已选过房", field="case")
        waiting = Case.objects.filter(
            campaign=campaign, choose_order__lt=case.choose_order, unit__isnull=True
        ).count()
        if waiting:
            raise DomainError(f"前面还有 {waiting} 户未选房，请按顺序选房", field="case")
        unit.case, unit.chosen_on = case, on
        unit.save(update_fields=["case", "chosen_on"])
        audit.record("campaign.choose", case, actor=actor, unit=unit.code, on=on)
        change_stage(case, "allocated", actor=actor, on=on, note=f"选定 {unit.code}")
    return unit


def choose_units(campaign, pairs, *, actor, on=None):
    """A day of choosing recorded from the session's sheet: (case, unit) pairs in the order the
    households chose. The same rules as choose_unit: in turn, each unit once."""
    on = on or timezone.localdate()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _require_active(campaign)
        ids = [case.pk for case, _unit in pairs]
        cases = Case.objects.select_for_update().in_bulk(ids)
        units = HousingUnit.objects.select_for_update().in_bulk([u.pk for _c, u in pairs])
        orders = [cases[pk].choose_order for pk in ids if pk in cases]
        if (
            len(orders) != len(ids)
            or None in orders
            or any(c.campaign_id != campaign.pk for c in cases.values())
        ):
            raise DomainError("有户没有选房顺序号或不属于本次回迁", field="cases")
        first = min(orders)
        if orders != list(range(first, first + len(orders))):
            raise DomainError("请按选房顺序号依次登记", field="cases")
        waiting = Case.objects.filter(
            campaign=campaign, choose_order__lt=first, unit__isnull=True
        ).count()
        if waiting:
            raise DomainError(f"前面还有 {waiting} 户未选房，请按顺序选房", field="cases")
        if len(units) != len(pairs) or any(
            u.case_id is not None or u.campaign_id != campaign.pk for u in units.values()
        ):
            raise DomainError("有房源已被选定或不属于本次回迁", field="units")
        chosen = []
        for case, unit in pairs:
            unit = units[unit.pk]
            unit.case_id, unit.chosen_on = case.pk, on
            chosen.append(unit)
        HousingUnit.objects.bulk_update(chosen, ["case", "chosen_on"], batch_size=2000)
        audit.record_many(
            [("campaign.choose", cases[u.case_id], {"unit": u.code, "on": on}) for u in chosen],
            actor=actor,
        )
        change_stages(campaign, ids, "allocated", actor=actor, on=on, note="选房")
    return chosen


def result_rows(campaign):
    """(order, 户号, 户主, 房号) of every household with an order, in order."""
    return list(
        Case.objects.filter(campaign=campaign, choose_order__isnull=False)
        .order_by("choose_order")
        .values_list("choose_order", "number", "head_name", "unit__code")
    )


def publish_allocation(campaign, *, actor):
    """Publish the result: each household is told its order and unit (outreach)."""
    from .outreach import send_notice

    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not campaign.allocation_rule:
            raise DomainError("还没有排定选房顺序")
        if campaign.allocation_published_at:
            raise DomainError("分房结果已公布")
        campaign.allocation_published_at = timezone.now()
        campaign.save(update_fields=["allocation_published_at"])
        rule = AllocationRule(campaign.allocation_rule).label
        seed = f"，种子 {campaign.allocation_seed}" if campaign.allocation_seed else ""
        units = dict(
            HousingUnit.objects.filter(campaign=campaign, case__isnull=False).values_list(
                "case_id", "code"
            )
        )

        def text(case):
            unit = units.get(case.pk, "未选房")
            return f"{campaign.name}分房结果：户号{case.number}，选房顺序{case.choose_order}，房号{unit}。"

        notice = send_notice(
            campaign,
            actor=actor,
            title=f"{campaign.name}分房结果公布",
            body=f"选房顺序按“{rule}”{seed}排定，结果见各户短信。",
            text_for=text,
            cases=Case.objects.filter(campaign=campaign, choose_order__isnull=False),
        )
        audit.record("campaign.publish", campaign, actor=actor, notice=notice.pk)
    return notice
