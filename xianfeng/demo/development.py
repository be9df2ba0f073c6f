"""发展党员 in 郭店: people at every one of the 25 steps, with reports, reviews and a few flags.

Applicants up to 上级党委派人谈话 are new people; from 上级党委审批 on, the development belongs
to one of the street's probationary members (its branch meeting is the member's joined date),
and two full members show finished, archived developments. Loaded once per street.
"""

from datetime import date, timedelta

from xianfeng.development.models import (
    ActivistReview,
    Development,
    DevelopmentPlan,
    DevelopmentStatus,
    DevelopmentStep,
    ReviewResult,
    ThoughtReport,
)
from xianfeng.development.rules import MEETING_VOTE_STEPS, STEP_CODES, months_later, quarter_of
from xianfeng.members.idcard import make_id_number
from xianfeng.members.models import Category, Member
from xianfeng.orgs.models import Organization, OrgKind

from .names import make_name

STREET = "370112-01"  # 郭店街道党工委
REGION = "370124"  # applicants are registered in 平阴县: no demo member has this prefix
# Days from the previous step, chosen so a development that keeps to them breaks no rule.
# The branch meetings that admit and confirm (细则 第二十、二十一、三十三条): a valid vote.
MEETING_VOTE = {"voters_entitled": 18, "voters_present": 15, "votes_for": 15}
GAPS = {
    "s02": 20, "s03": 60, "s04": 10, "s05": 10, "s06": 30, "s07": 336, "s08": 10, "s09": 10,
    "s10": 20, "s11": 20, "s12": 15, "s13": 15, "s14": 10, "s15": 12, "s16": 20, "s17": 30,
    "s18": 10, "s19": 5, "s20": 10, "s21": 30, "s22": 260, "s23": 35, "s24": 30, "s25": 10,
}  # fmt: skip
NEW_PEOPLE_UNTIL = ("s01", "s01", "s02", "s03", "s03", "s04", "s05", "s06", "s06", "s07",
                    "s08", "s09", "s10", "s11", "s12", "s13", "s14", "s15", "s16")  # fmt: skip
FINISHED_BEFORE = date(2023, 1, 1)
LATE_TALK, NO_REVIEWS = 1, 8  # positions in NEW_PEOPLE_UNTIL that break a rule on purpose


def load(ctx):
    rng = ctx.rng("development")
    street = ctx.orgs[STREET]
    branches = list(
        Organization.objects.filter(path__startswith=street.path, kind=OrgKind.BRANCH).order_by(
            "path"
        )
    )
    if Development.objects.filter(organization__in=branches).exists():
        return  # loaded before: which steps are done depends on the day, so never top up
    if not DevelopmentPlan.objects.filter(organization__in=branches).exists():
        plans = ctx.rng("development:plans")
        DevelopmentPlan.objects.bulk_create(
            DevelopmentPlan(organization=b, year=ctx.today.year, planned=plans.randint(0, 2))
            for b in branches
        )
    rows = new_people(ctx, rng, branches) + members_in_probation(ctx, rng, street)
    devs, steps, reports, reviews = [], [], [], []
    for dev, dates, rules in rows:
        devs.append(dev)
        steps.extend(
            DevelopmentStep(
                development=dev,
                step=code,
                done_on=day,
                hours=24 if code == "s11" else None,
                end_on=day + timedelta(days=3) if code == "s11" else None,
                **(MEETING_VOTE if code in MEETING_VOTE_STEPS else {}),
            )
            for code, day in dates.items()
        )
        reports.extend(thought_reports(dev, dates, ctx.today))
        if rules.get("reviews", True):
            reviews.extend(activist_reviews(rng, dev, dates, ctx.today))
    Development.objects.bulk_create(devs)
    DevelopmentStep.objects.bulk_create(steps)
    ThoughtReport.objects.bulk_create(reports)
    ActivistReview.objects.bulk_create(reviews)


def forward(start, until):
    dates, day = {"s01": start}, start
    for code in STEP_CODES[1 : STEP_CODES.index(until) + 1]:
        day += timedelta(days=GAPS[code])
        dates[code] = day
    return dates


def new_people(ctx, rng, branches):
    rows, used = [], set()
    for n, until in enumerate(NEW_PEOPLE_UNTIL):
        span = sum(GAPS[c] for c in STEP_CODES[1 : STEP_CODES.index(until) + 1])
        start = ctx.today - timedelta(days=span + rng.randrange(5, 40))
        if n == NO_REVIEWS:
            start -= timedelta(days=200)  # an activist for eight months without a review
        dates = forward(start, until)
        if n == LATE_TALK:
            dates = {"s01": start - timedelta(days=50)}  # no talk within a month: overdue
        gender = "M" if rng.random() < 0.55 else "F"
        born = date(1994, 1, 1) + timedelta(days=rng.randrange(0, 3650))
        while True:
            number = make_id_number(
                "370112", born, rng.randrange(500, 1000) // 2 * 2 + (gender == "M")
            )
            if number not in used:
                used.add(number)
                break
        dev = Development(
            name=make_name(rng, gender),
            id_number=number,
            gender=gender,
            birth_date=born,
            phone=f"135{rng.randrange(10**8):08d}",
            organization=branches[n % len(branches)],
        )
        rows.append((dev, dates, {"reviews": n != NO_REVIEWS}))
    return rows


def members_in_probation(ctx, rng, street):
    """Probationary members, and two recently confirmed ones, with their finished steps."""
    inside = Member.objects.active().filter(organization__path__startswith=street.path)
    probationary = list(inside.filter(category=Category.PROBATIONARY).order_by("id_number")[:12])
    # A fixed cutoff (not today) so a later run picks the same two finished developments.
    full = inside.filter(category=Category.FULL, joined_on__lt=FINISHED_BEFORE)
    full = list(full.order_by("-joined_on", "id_number")[:2])
    rows = []
    for member in probationary + full:
        back = sum(GAPS[c] for c in STEP_CODES[1 : STEP_CODES.index("s15") + 1])
        dates = {
            c: d
            for c, d in forward(member.joined_on - timedelta(days=back), "s25").items()
            if d <= ctx.today
        }
        if dates.get("s17") is None:
            continue  # the member exists, so the committee has approved: keep only those
        dev = Development(
            name=member.name,
            id_number=member.id_number,
            gender=member.gender,
            birth_date=member.birth_date,
            phone=member.phone,
            organization=member.organization,
            member=member,
            status=DevelopmentStatus.DONE if "s25" in dates else DevelopmentStatus.ACTIVE,
        )
        rows.append((dev, dates, {}))
    return rows


def thought_reports(dev, dates, today):
    if "s03" not in dates:
        return []
    end = dates.get("s15", today)
    year, quarter = quarter_of(dates["s03"])
    found = []
    while (year, quarter) < quarter_of(end):
        found.append(
            ThoughtReport(
                development=dev,
                year=year,
                quarter=quarter,
                submitted_on=date(year, quarter * 3, 15),
            )
        )
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found


def activist_reviews(rng, dev, dates, today):
    if "s03" not in dates:
        return []
    end = dates.get("s07", today)
    found, day = [], dates["s03"]
    while True:
        day = months_later(day, 5)
        if day > end:
            return found
        result = rng.choice((ReviewResult.GOOD, ReviewResult.GOOD, ReviewResult.FAIR))
        found.append(
            ActivistReview(
                development=dev,
                reviewed_on=day,
                result=result,
                comment="思想积极，能按时递交思想汇报",
            )
        )
