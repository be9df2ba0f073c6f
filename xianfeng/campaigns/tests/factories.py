from datetime import timedelta

from django.utils import timezone

from xianfeng.campaigns import services
from xianfeng.campaigns.rules import CampaignKind

_seq = iter(range(1, 10**6))


def campaign(world, *, kind=CampaignKind.DEMOLITION, groups=2, street=None, leader=None, **kw):
    today = timezone.localdate()
    n = next(_seq)
    return services.create_campaign(
        street or world.street,
        actor=world.users["admin"],
        name=kw.pop("name", f"测试专项{n}"),
        kind=kind,
        starts_on=kw.pop("starts_on", today - timedelta(days=30)),
        ends_on=kw.pop("ends_on", today + timedelta(days=70)),
        branch_code=kw.pop("branch_code", f"TMP{n:04d}"),
        groups=[(f"第{i}党小组", f"组长{i}", None) for i in range(1, groups + 1)],
        leader=leader,
        **kw,
    )


def case(c, number=None, *, actor=None, **fields):
    fields.setdefault("head_name", "王书章")
    fields.setdefault("phone", "13912345678")
    return services.add_case(
        c,
        actor=actor,
        number=number or f"H{next(_seq):05d}",
        on=fields.pop("on", c.starts_on),
        **fields,
    )


def recount(c):
    """The counts the table should hold, from the cases themselves."""
    from collections import Counter

    return Counter((x.group_id or 0, x.case_class_id or 0, x.stage) for x in c.cases.all())


def table(c):
    return {(r.group_key, r.class_key, r.stage): r.n for r in c.counts.filter(day=None) if r.n}


def matrix_objects(world):
    """A 回迁 of the world's street with one household (包户: the `member` login), one unit and
    one assignment owned by the branch secretary."""
    from xianfeng.campaigns.models import HousingUnit
    from xianfeng.campaigns.rules import DispatchKind

    c = campaign(world, kind=CampaignKind.RESETTLEMENT, name="北坦回迁", branch_code="TMPM")
    h = case(c, "M001", responsible=world.users["member"])
    HousingUnit.objects.create(campaign=c, code="1-1-101", building="1号楼", area=90)
    meeting = services.record_dispatch(
        c,
        actor=None,
        held_on=timezone.localdate(),
        kind=DispatchKind.MORNING,
        assignments=[("入户核实", world.users["branch_secretary"], timezone.localdate(), h)],
    )
    return {"campaign": c.pk, "case": h.pk, "campaign_task": meeting.assignments.get().pk}
