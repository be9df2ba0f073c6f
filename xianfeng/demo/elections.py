"""换届 of 崮云湖街道 (../shared/seeds/004_…): its 25 village and 8 community branches renew their
committees in one round. Most results are approved by the street (new committee dated the
meeting, seats from the approval date, the old committee ended that day); the last ones are
still voted, nominating or planned, and one result was sent back and is being redone, so every
state shows on the overview. Written with bulk_create, in the shape the services leave."""

from datetime import timedelta

from xianfeng.core.dates import add_years
from xianfeng.elections.models import (
    APPROVED_POSTS,
    Election,
    ElectionStatus,
    Nomination,
    ResultStatus,
)
from xianfeng.elections.rules import count_votes
from xianfeng.members.models import Category, Member
from xianfeng.orgs.models import (
    Committee,
    CommitteeSeat,
    CommitteeStatus,
    Domain,
    OrgKind,
    SeatPost,
)

STREET = "崮云湖街道党工委"
POSTS = (
    SeatPost.SECRETARY,
    SeatPost.DEPUTY_SECRETARY,
    SeatPost.ORGANIZATION,
    SeatPost.PROPAGANDA,
    SeatPost.DISCIPLINE,
)
S = ElectionStatus
# Position from the end of the round (by code) → how far it got; all others are approved.
PENDING = {-1: S.PLANNED, -2: S.NOMINATING, -3: S.NOMINATING, -4: S.VOTED, -5: S.VOTED}
REJECTED_AT = -6
PLAN = (
    "两推一选：党员推荐和群众推荐，支部委员会研究确定候选人，报街道党工委审查后召开党员大会选举。"
)
SENT_BACK = "候选人资格审查材料不全，请补充后重新选举"


def load(ctx):
    street = next(o for o in ctx.orgs.values() if o.name == STREET)
    orgs = sorted(
        (
            o
            for o in ctx.orgs.values()
            if o.path.startswith(street.path)
            and o.kind == OrgKind.BRANCH
            and not o.is_temporary
            and o.domain in (Domain.RURAL, Domain.COMMUNITY)
        ),
        key=lambda o: o.code,
    )
    if Election.objects.filter(organization__in=orgs).exists():
        return
    rng = ctx.rng("elections")
    current = make_due(rng, orgs, ctx.today)
    full = full_members(orgs)
    held = ctx.today - timedelta(days=60)
    plans = []
    for n, org in enumerate(orgs):
        state = PENDING.get(n - len(orgs), S.APPROVED)
        if n - len(orgs) == REJECTED_AT:
            state = S.REJECTED
        plans.append(plan(rng, org, state, held + timedelta(days=n % 10), full[org.pk]))
    approve(plans, current)
    elections = Election.objects.bulk_create(
        Election(organization=p["org"], committee=current.get(p["org"].pk), **p["fields"])
        for p in plans
    )
    redo = [
        Election(
            organization=e.organization,
            committee=e.committee,
            planned_on=e.decided_on + timedelta(days=20),
            seats=e.seats,
            plan=PLAN,
        )
        for e in elections
        if e.status == S.REJECTED
    ]
    Election.objects.bulk_create(redo)
    Nomination.objects.bulk_create(
        Nomination(election=e, **n)
        for e, p in zip(elections, plans, strict=True)
        for n in p["nominees"]
    )


def make_due(rng, orgs, today):
    """This round renews every committee: move its term so that it ends around now."""
    current = {
        c.organization_id: c
        for c in Committee.objects.filter(organization__in=orgs, status=CommitteeStatus.CURRENT)
    }
    for committee in current.values():
        committee.ends_on = today + timedelta(days=rng.randint(-30, 90))
        committee.elected_on, committee.term_years = add_years(committee.ends_on, -5), 5
    Committee.objects.bulk_update(current.values(), ["elected_on", "ends_on", "term_years"])
    seats = list(CommitteeSeat.objects.filter(committee__in=current.values()))
    by_pk = {c.pk: c for c in current.values()}
    for seat in seats:
        seat.started_on = by_pk[seat.committee_id].elected_on
    CommitteeSeat.objects.bulk_update(seats, ["started_on"])
    return current


def full_members(orgs):
    found = {org.pk: [] for org in orgs}
    rows = Member.objects.active().filter(organization__in=orgs, category=Category.FULL)
    for member in rows.order_by("id"):
        found[member.organization_id].append(member)
    return found


def plan(rng, org, state, held_on, full):
    seats = 5 if len(full) >= 15 else 3
    fields = {"planned_on": held_on, "seats": seats, "plan": PLAN, "status": state}
    result = {"org": org, "fields": fields, "nominees": [], "elected": []}
    if state == S.PLANNED:
        return result
    candidates = rng.sample(full, seats + 1)
    result["nominees"] = [
        {
            "member": member,
            "post": POSTS[i] if i < seats else SeatPost.MEMBER,
            "source": rng.choice(("members", "public")),
        }
        for i, member in enumerate(candidates)
    ]
    if state == S.NOMINATING:
        return result
    eligible = len(full)
    present = eligible - rng.randint(0, eligible // 10)
    votes = [present - i for i in range(seats)] + [present // 3]
    outcome = count_votes(dict(enumerate(votes)), present, seats)
    decided_on = held_on + timedelta(days=12) if state != S.VOTED else None
    for i, nominee in enumerate(result["nominees"]):
        nominee["votes"], nominee["elected"] = votes[i], i in outcome.elected
        if nominee["elected"]:
            nominee["result"], nominee["result_on"] = result_of(nominee["post"], state), decided_on
    fields.update(held_on=held_on, eligible=eligible, present=present)
    if state != S.VOTED:
        fields["decided_on"] = decided_on
    if state == S.REJECTED:
        fields["decision_note"] = SENT_BACK
    return result


def result_of(post, state):
    """The report path's outcome (委员 备案, 书记/副书记 批准), as decide_election leaves it."""
    needs_approval = post in APPROVED_POSTS
    if state == S.VOTED:
        return ResultStatus.AWAITING_APPROVAL if needs_approval else ResultStatus.AWAITING_FILING
    if not needs_approval:
        return ResultStatus.FILED
    return ResultStatus.APPROVED if state == S.APPROVED else ResultStatus.REJECTED


def approve(plans, current):
    """New committees (dated the meeting) with seats from the approval date; old ones end."""
    approved = [p for p in plans if p["fields"]["status"] == S.APPROVED]
    old = [current[p["org"].pk] for p in approved if p["org"].pk in current]
    decided = {p["org"].pk: p["fields"]["decided_on"] for p in approved}
    old_seats = list(CommitteeSeat.objects.filter(committee__in=old, ended_on__isnull=True))
    for seat in old_seats:
        seat.ended_on = decided[next(c.organization_id for c in old if c.pk == seat.committee_id)]
    CommitteeSeat.objects.bulk_update(old_seats, ["ended_on"])
    Committee.objects.filter(pk__in=[c.pk for c in old]).update(status=CommitteeStatus.ENDED)
    new = Committee.objects.bulk_create(
        Committee(
            organization=p["org"],
            elected_on=p["fields"]["held_on"],
            term_years=5,
            ends_on=add_years(p["fields"]["held_on"], 5),
            note=f"换届选举，{p['fields']['decided_on']}批复",
        )
        for p in approved
    )
    CommitteeSeat.objects.bulk_create(
        CommitteeSeat(
            committee=committee,
            member=n["member"],
            post=n["post"],
            started_on=p["fields"]["decided_on"],
        )
        for p, committee in zip(approved, new, strict=True)
        for n in p["nominees"]
        if n["elected"]
    )
    for p, committee in zip(approved, new, strict=True):
        p["fields"]["new_committee"] = committee
