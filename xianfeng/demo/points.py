"""A year of 积分 for every demo street, and 舜玉路街道's closed monthly TOP10 (seeds/003).

Events are what the other apps would send (the six automatic codes), booked over the twelve
months before the current one, within each rule's monthly and yearly caps. They are written
with bulk_create together with their rollup rows (computed here from the same list, so the
rollup equals the ledger); then each month of 舜玉路街道 is closed through the service.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from xianfeng.members.models import Member
from xianfeng.points.catalogue import SEED
from xianfeng.points.models import EventKind, PointEvent, PointRule, PointTotal
from xianfeng.points.periods import keys_for, month_key
from xianfeng.points.rankings import close_month, snapshot

SOURCE = "demo.event"
SHUNYULU = "舜玉路街道党工委"
AUTO = ("meeting.attend", "request.solved", "service.activity", "project.finished")
AUTO += ("study.hours", "volunteer.hours")
WEIGHTS = (5, 2, 3, 1, 4, 2)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def months_before(today, count=12):
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return months[::-1]


def load(ctx):
    if not PointEvent.objects.filter(source_type=SOURCE).exists():
        rules = {r.code: r for r in PointRule.objects.filter(code__in=AUTO, version=1)}
        caps = {code: (cap_m, cap_y) for code, _, _, cap_m, cap_y, _ in SEED}
        events = list(generate(ctx, rules, caps))
        PointEvent.objects.bulk_create(events, batch_size=2000)
        PointTotal.objects.bulk_create(totals(events), batch_size=2000)
        close_shunyulu(ctx)


def street_members(ctx):
    for code in ctx.streets:
        street = ctx.orgs[code]
        yield from (
            Member.objects.filter(organization__path__startswith=street.path)
            .active()
            .values_list("pk", "organization_id")
            .order_by("pk")
        )


def generate(ctx, rules, caps):
    rng = ctx.rng("points")
    months = months_before(ctx.today)
    codes = list(AUTO)
    for member_id, org_id in street_members(ctx):
        activity = rng.choice((0, 1, 1, 2, 2, 3, 4))  # some members earn nothing
        spent = {}
        for month in months:
            for n in range(rng.randint(0, activity)):
                rule = rules[rng.choices(codes, WEIGHTS)[0]]
                if not within_caps(spent, rule, caps[rule.code], month):
                    continue
                day = month.replace(day=rng.randint(1, 28))
                at = datetime.combine(day, time(rng.randint(8, 20), rng.randint(0, 59)))
                yield PointEvent(
                    member_id=member_id,
                    rule=rule,
                    rule_code=rule.code,
                    points=rule.points,
                    kind=EventKind.AUTO,
                    booked_on=day,
                    occurred_on=day,
                    source_type=SOURCE,
                    source_id=f"{member_id}-{month:%Y%m}-{n}",
                    organization_id=org_id,
                    created_at=at.replace(tzinfo=SHANGHAI),
                )


def within_caps(spent, rule, caps, month):
    """Count the rule's points for the month and year unless a cap would be crossed."""
    keys = ((rule.code, month_key(month)), (rule.code, month.year))
    for key, cap in zip(keys, caps, strict=True):
        if cap is not None and spent.get(key, 0) + rule.points > cap:
            return False
    for key in keys:
        spent[key] = spent.get(key, 0) + rule.points
    return True


def totals(events):
    rows = {}
    for e in events:
        for key in keys_for(e.booked_on):
            row = rows.get((e.member_id, key))
            if row is None:
                row = rows[e.member_id, key] = PointTotal(
                    member_id=e.member_id, period=key, total=0, reached_at=e.created_at
                )
            row.total += e.points
            row.deducted += max(-e.points, 0)
            row.reached_at = max(row.reached_at, e.created_at)
    return list(rows.values())


def close_shunyulu(ctx):
    """Close the generated months (a later run, on another day, generates and closes nothing)."""
    street = next(ctx.orgs[c] for c in ctx.streets if ctx.orgs[c].name == SHUNYULU)
    for month in months_before(ctx.today):
        if snapshot(street, month_key(month)) is None:
            close_month(street, month_key(month), actor=None)
