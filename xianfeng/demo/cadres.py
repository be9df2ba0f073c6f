"""后备干部 in 天桥: 193 in the pools (the 2020 report: 培养储备193名后备干部), village first.

Pools sit at the village branches; when the villages run short the rest sit at the street
committees, drawn from their communities. Each cadre has training and yearly evaluations;
a few older entries are closed (appointed or removed). Keyed on (member, pool organization).
"""

from datetime import timedelta

from xianfeng.cadres.models import (
    CadreStatus,
    Evaluation,
    EvaluationResult,
    ReserveCadre,
    TrainingRecord,
)
from xianfeng.members.models import Member
from xianfeng.orgs.models import Domain, Organization, OrgKind

DISTRICT = "370105"  # 天桥区委
POOL_SIZE = 193
VILLAGE_SHARE = 0.5  # at most half of a village's members stand in its pool
CLOSED = 12
VILLAGE_POSTS = ("村党支部副书记", "村委会委员", "村务监督委员会主任", "村妇联主席", "村会计")
STREET_POSTS = ("社区党委委员", "社区居委会委员", "网格长", "社区工作者")
COURSES = (
    ("天桥区村级后备干部培训班", "天桥区委组织部", 24),
    ("乡村振兴专题培训", "天桥区委党校", 16),
    ("基层治理能力提升班", "街道党工委", 8),
    ("党务工作者培训", "街道党工委", 12),
)
RESULTS = (
    EvaluationResult.EXCELLENT,
    EvaluationResult.COMPETENT,
    EvaluationResult.COMPETENT,
    EvaluationResult.COMPETENT,
    EvaluationResult.BASIC,
)


def load(ctx):
    rng = ctx.rng("cadres")
    district = ctx.orgs[DISTRICT]
    pools = choose(rng, district)
    have = set(ReserveCadre.objects.values_list("member_id", "organization_id"))
    cadres = []
    for n, (org, member, post) in enumerate(pools):
        if (member.pk, org.pk) in have:
            continue
        entered = ctx.today - timedelta(days=rng.randrange(30, 3 * 365))
        status, status_on = CadreStatus.ACTIVE, None
        if n >= POOL_SIZE:
            status = rng.choice((CadreStatus.APPOINTED, CadreStatus.REMOVED))
            entered -= timedelta(days=3 * 365)
            status_on = entered + timedelta(days=rng.randrange(400, 900))
        cadres.append(
            ReserveCadre(
                member=member,
                organization=org,
                intended_post=post,
                entered_on=entered,
                status=status,
                status_on=status_on,
            )
        )
    ReserveCadre.objects.bulk_create(cadres)
    trainings, evaluations = [], []
    for cadre in cadres:
        for course, organizer, hours in rng.sample(COURSES, rng.randint(1, 3)):
            start = cadre.entered_on + timedelta(days=rng.randrange(10, 300))
            if start <= (cadre.status_on or ctx.today):
                trainings.append(
                    TrainingRecord(
                        cadre=cadre,
                        course=course,
                        organizer=organizer,
                        started_on=start,
                        ended_on=start + timedelta(days=max(hours // 8 - 1, 0)),
                        hours=hours,
                    )
                )
        last = (cadre.status_on or ctx.today).year - 1
        for year in range(cadre.entered_on.year, last + 1):
            evaluations.append(
                Evaluation(
                    cadre=cadre,
                    year=year,
                    result=rng.choice(RESULTS),
                    evaluator="街道党工委",
                    comment="政治过硬，群众基础较好",
                )
            )
    TrainingRecord.objects.bulk_create(trainings)
    Evaluation.objects.bulk_create(evaluations)


def choose(rng, district):
    """(pool organization, member, intended post): 193 active entries, then CLOSED older ones."""
    orgs = Organization.objects.filter(path__startswith=district.path)
    villages = list(orgs.filter(kind=OrgKind.BRANCH, domain=Domain.RURAL).order_by("path"))
    picks = []
    for village in villages:
        people = list(Member.objects.active().filter(organization=village).order_by("id_number"))
        take = rng.sample(people, int(len(people) * VILLAGE_SHARE))
        picks.extend((village, m, rng.choice(VILLAGE_POSTS)) for m in take)
    streets = list(orgs.filter(kind=OrgKind.COMMITTEE, depth=district.depth + 1).order_by("path"))
    for street in streets:
        if len(picks) >= POOL_SIZE + CLOSED:
            break
        people = list(
            Member.objects.active()
            .filter(
                organization__path__startswith=street.path, organization__domain=Domain.COMMUNITY
            )
            .order_by("id_number")[:200]
        )
        take = rng.sample(people, min(len(people), 12))
        picks.extend((street, m, rng.choice(STREET_POSTS)) for m in take)
    return picks[: POOL_SIZE + CLOSED]
