"""Branch committees (支委) and their seats, with terms spread so 换届 reminders have work to do:
some overdue, some ending within 90 days, most later; a few big branches left without one."""

from datetime import timedelta

from xianfeng.members.models import Category, Member
from xianfeng.orgs.models import Committee, CommitteeSeat, CommitteeStatus, OrgKind, SeatPost
from xianfeng.orgs.rules import term_years_for

from .people import add_years

SEATS = (
    SeatPost.SECRETARY,
    SeatPost.DEPUTY_SECRETARY,
    SeatPost.ORGANIZATION,
    SeatPost.PROPAGANDA,
    SeatPost.DISCIPLINE,
)
COMMITTEE_FROM = 7  # full members; 中国共产党支部工作条例 第九条
SKIP_EVERY = 17  # every 17th eligible branch has no committee, so the warning shows


def load(ctx):
    rng = ctx.rng("committees")
    eligible = [code for code in ctx.members if ctx.orgs[code].kind == OrgKind.BRANCH]
    by_number = members_by_number(ctx, eligible)
    has_committee = set(
        Committee.objects.filter(
            organization__in=[ctx.orgs[c] for c in eligible], status=CommitteeStatus.CURRENT
        ).values_list("organization_id", flat=True)
    )
    seats = []
    n = 0
    for code in eligible:
        full = [
            by_number[number]
            for number in ctx.members[code]
            if number in by_number and by_number[number].category == Category.FULL
        ]
        if len(full) < COMMITTEE_FROM:
            continue
        n += 1
        org = ctx.orgs[code]
        term = term_years_for(org)
        days_left = pick_days_left(rng, term)
        skipped = n % SKIP_EVERY == 0 and not ctx.units[code].named
        if skipped or org.pk in has_committee:
            continue
        ends = ctx.today + timedelta(days=days_left)
        elected = add_years(ends, -term)
        committee = Committee.objects.create(
            organization=org, elected_on=elected, term_years=term, ends_on=ends
        )
        size = 5 if len(full) >= 15 else 3
        posts = SEATS[:size] if size == 5 else (SeatPost.SECRETARY,) + SEATS[2:4]
        seats += [
            CommitteeSeat(committee=committee, member=member, post=post, started_on=elected)
            for member, post in zip(full, posts, strict=False)
        ]
    CommitteeSeat.objects.bulk_create(seats)


def pick_days_left(rng, term):
    """Days until the term ends: ~10% overdue, ~15% within 90 days, the rest spread out."""
    roll = rng.random()
    if roll < 0.10:
        return -int(rng.uniform(10, 400))
    if roll < 0.25:
        return int(rng.uniform(5, 90))
    return int(rng.uniform(91, term * 365 - 30))


def members_by_number(ctx, codes):
    numbers = [n for code in codes for n in ctx.members[code]]
    found = {}
    for i in range(0, len(numbers), 900):
        for member in Member.objects.filter(id_number__in=numbers[i : i + 900]):
            found[member.id_number] = member
    return found
