"""舜玉路街道's co-building as report 003 tells it: the 38-unit 石榴花红色联盟 with 60+ projects
claimed both ways, the 39-firm 企业家联盟 (银丰集团, 舜耕山庄集团, 中国银行舜耕支行 first), the
studios of cartoonist 吴国梁 (“花样爷爷”漫画工作室) and composer 孙福增 (红色课堂), and 双报到
with its services and yearly reviews. Other unit names are plausible, not quoted."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from xianfeng.members.models import Member
from xianfeng.orgs.models import Domain, Organization
from xianfeng.service import services, volunteering
from xianfeng.service.models import (
    Alliance,
    AllianceEvent,
    AllianceMember,
    Claim,
    ClaimStatus,
    CommunityCheckIn,
    MutualReview,
    PartnerUnit,
    ServiceProject,
    ServiceRecord,
    Studio,
    Volunteer,
)

REGIONAL_KINDS = (
    ("山东省", "厅", "organ"),
    ("济南市", "局", "organ"),
    ("市中区", "局", "organ"),
    ("山东", "研究院", "institution"),
    ("济南", "中学", "institution"),
    ("济南", "医院", "institution"),
)
REGIONAL_WORDS = (
    "教育",
    "文化和旅游",
    "卫生健康",
    "自然资源",
    "生态环境",
    "交通运输",
    "农业科学",
    "实验",
    "第七",
    "中心",
)
FIRST_FIRMS = ("银丰集团", "舜耕山庄集团", "中国银行舜耕支行")
FIRM_WORDS = (
    "鲁信",
    "泉城",
    "舜华",
    "汇玉",
    "千佛山",
    "历山",
    "玉函",
    "英雄山",
    "七里山",
    "八里洼",
)
FIRM_TAILS = ("置业有限公司", "科技有限公司", "物业服务有限公司", "餐饮管理有限公司")
NEEDS = (
    "独居老人助餐",
    "楼道照明维修",
    "四点半课堂辅导",
    "老年智能手机培训",
    "垃圾分类宣传",
    "义诊进社区",
)
OFFERS = ("法律咨询进社区", "青少年科普课堂", "免费体检", "红色观影", "口腔义诊", "书香阅读角")


def load(ctx):
    street = Organization.objects.get(name="舜玉路街道党工委")
    if Alliance.objects.filter(organization=street).exists():
        return
    rng = ctx.rng("service")
    today = ctx.today
    below = Organization.objects.get_descendants(street)
    communities = list(
        below.filter(domain=Domain.COMMUNITY, depth=street.depth + 1).order_by("path")
    )
    regional = _units(_regional_names(), "organ")
    firms = _units(_firm_names(rng), "enterprise")
    lianmeng = _alliance(street, "石榴花红色联盟", "regional", regional, today)
    _alliance(street, "舜玉路街道企业家联盟", "entrepreneurs", firms, today)
    _events(rng, lianmeng, regional, today)
    studios = _studios(communities)
    _projects(rng, street, communities, regional, studios, today)
    _check_ins(ctx, rng, communities, regional, street, today)
    _volunteers(ctx, ctx.rng("volunteers"), today)
    _member_claims(ctx, ctx.rng("service.claims"), communities)


def _volunteers(ctx, rng, today):
    """郭店街道: 150 volunteers on duty (report 000), half of them members, a few past activities
    with sign-ins and some coming ones open for sign-up."""
    street = Organization.objects.get(name="郭店街道党工委")
    members = list(Member.objects.active().filter(organization__path__startswith=street.path)[:75])
    volunteers = Volunteer.objects.bulk_create(
        Volunteer(
            organization=street,
            member=members[n] if n < len(members) else None,
            name=members[n].name if n < len(members) else f"居民志愿者{n + 1:03d}",
            phone=f"136{53100000 + n:08d}",
            skills=rng.choice(("理发", "家电维修", "助老", "文艺", "法律咨询", "医疗")),
            registered_on=today - timedelta(days=rng.randrange(30, 900)),
        )
        for n in range(150)
    )
    now = timezone.now()
    for n in range(8):
        starts = now + timedelta(days=(n - 5) * 14, hours=rng.randrange(-3, 3))
        picked = rng.sample(volunteers, rng.randrange(12, 30))
        came = [rng.random() < 0.9 for _ in picked]
        fields = {
            "title": rng.choice(("清洁家园", "敬老助餐", "文明交通劝导", "便民理发", "义务维修")),
            "place": "郭店街道新时代文明实践站",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "capacity": 30,
        }
        publish = _publish(street, fields, picked)
        if starts >= now:  # coming: published and signed up today
            publish()
            continue
        held = {}
        ctx.at(starts - timedelta(days=10), lambda p=publish, h=held: h.update(signups=p()))
        # held: who came signed in at the door (volunteer.hours, per hour)
        ctx.at(
            starts + timedelta(minutes=rng.randrange(0, 20)),
            lambda h=held, c=came: [
                volunteering.sign_in(s, actor=None)
                for s, ok in zip(h["signups"], c, strict=True)
                if ok
            ],
        )


MEMBER_NEEDS = 24  # communities' needs over the year, claimed by members registered there


def _member_claims(ctx, rng, communities):
    """Needs the communities publish over the year, each claimed by a member registered there
    under 双报到 and, two times in three, finished (`project.finished` from its sender); all
    through the services on the demo clock."""
    by_community = {}
    for check_in in CommunityCheckIn.objects.filter(
        community__in=communities, member__isnull=False, ended_on__isnull=True
    ).select_related("member", "community"):
        by_community.setdefault(check_in.community_id, []).append(check_in.member)
    places = [c for c in communities if by_community.get(c.pk)]
    for n in range(MEMBER_NEEDS if places else 0):
        community = places[n % len(places)]
        published = ctx.today - timedelta(days=rng.randrange(40, 360))
        fields = {
            "title": f"{community.name[:4]}{NEEDS[n % len(NEEDS)]}",
            "description": "社区发布需求，双报到党员认领。",
            "slots": 2,
            "claim_by": published + timedelta(days=30),
        }
        member = rng.choice(by_community[community.pk])
        claimed = published + timedelta(days=rng.randrange(1, 20))
        done = claimed + timedelta(days=rng.randrange(3, 25)) if rng.random() < 0.67 else None
        if done is not None and done >= ctx.today:
            done = None  # still being done
        held = {}

        def publish(community=community, fields=fields, held=held):
            held["project"] = services.publish_project(
                community, actor=None, direction="need", **fields
            )

        def claim(member=member, held=held):
            held["claim"] = services.claim_project(held["project"], actor=None, member=member)

        ctx.at(_nine(published), publish)
        ctx.at(_nine(claimed), claim)
        if done is not None:
            ctx.at(
                _nine(done),
                lambda held=held, done=done: services.complete_claim(
                    held["claim"], actor=None, completed_on=done
                ),
            )


def _nine(day):
    return timezone.make_aware(datetime.combine(day, time(9)))


def _publish(street, fields, picked):
    def run():
        activity = volunteering.publish_activity(street, actor=None, **fields)
        return [volunteering.sign_up(activity, v, actor=None) for v in picked]

    return run


def _regional_names():
    names = [
        f"{place}{word}{tail}" for place, tail, _k in REGIONAL_KINDS for word in REGIONAL_WORDS
    ]
    return names[:38]


def _firm_names(rng):
    names = list(FIRST_FIRMS)
    for word in FIRM_WORDS:
        for tail in FIRM_TAILS:
            names.append(f"济南{word}{tail}")
    return names[:39]


def _units(names, default_kind):
    kinds = {tail: kind for _p, tail, kind in REGIONAL_KINDS}
    units = []
    for n, name in enumerate(names):
        kind = next((k for tail, k in kinds.items() if name.endswith(tail)), default_kind)
        unit, _ = PartnerUnit.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "contact": "党建联络员", "phone": f"0531-8{n:03d}{n:04d}"[:13]},
        )
        units.append(unit)
    return units


def _alliance(street, name, kind, units, today):
    founded = today.replace(year=today.year - 3, month=7, day=1)
    alliance = Alliance.objects.create(
        organization=street,
        name=name,
        kind=kind,
        founded_on=founded,
        charter="组织圈、活动圈、服务圈、宣传圈四圈联动，资源共享、活动共办、服务共抓。",
    )
    AllianceMember.objects.bulk_create(
        AllianceMember(
            alliance=alliance, unit=u, role="chair" if i == 0 else "member", joined_on=founded
        )
        for i, u in enumerate(units)
    )
    return alliance


def _events(rng, alliance, units, today):
    for m in range(1, 13, 2):
        held = today - timedelta(days=30 * m)
        event = AllianceEvent.objects.create(
            alliance=alliance,
            title=rng.choice(("校际党建联盟活动", "联合主题党日", "共建座谈会")),
            held_on=held,
            place="舜玉路街道党群服务中心",
            summary="四圈联动，共商共建事项。",
        )
        event.units.set(rng.sample(units, 8))


def _studios(communities):
    shunyuan = next(c for c in communities if c.name.startswith("舜园"))
    return [
        Studio.objects.create(
            community=shunyuan, name="“花样爷爷”漫画工作室", holder="吴国梁", speciality="漫画"
        ),
        Studio.objects.create(
            community=shunyuan, name="红色课堂", holder="孙福增", speciality="作曲、红色歌曲教唱"
        ),
    ]


def _projects(rng, street, communities, units, studios, today):
    """64 projects, half needs claimed by units, half offers claimed by communities."""
    for n in range(64):
        community = communities[n % len(communities)]
        unit = units[n % len(units)]
        if n % 2 == 0:
            project = ServiceProject.objects.create(
                organization=community,
                direction="need",
                title=f"{community.name[:4]}{NEEDS[n % len(NEEDS)]}",
                description="社区发布需求，共建单位和党员认领。",
                slots=2,
                claim_by=today + timedelta(days=rng.randrange(-60, 60)),
                studio=studios[n // 2 % 2] if n < 4 else None,
            )
            claims = [Claim(project=project, unit=unit)]
        else:
            project = ServiceProject.objects.create(
                organization=street,
                direction="offer",
                offered_by=unit,
                title=f"{OFFERS[n % len(OFFERS)]}（{unit.name[:6]}）",
                description="单位发布资源，社区认领。",
                slots=3,
                claim_by=today + timedelta(days=rng.randrange(-60, 60)),
            )
            claims = [Claim(project=project, community=community)]
        for claim in claims:
            if rng.random() < 0.5:
                claim.status = ClaimStatus.DONE
                claim.completed_on = today - timedelta(days=rng.randrange(1, 90))
        Claim.objects.bulk_create(claims)


def _check_ins(ctx, rng, communities, units, street, today):
    members = list(Member.objects.active().filter(organization__path__startswith=street.path)[:60])
    check_ins = []
    for i, unit in enumerate(units[:20]):
        check_ins.append(
            CommunityCheckIn(
                community=communities[i % len(communities)],
                kind="unit",
                unit=unit,
                reason="结对共建",
                registered_on=today - timedelta(days=rng.randrange(100, 900)),
            )
        )
    for i, member in enumerate(members):
        check_ins.append(
            CommunityCheckIn(
                community=communities[i % len(communities)],
                kind="member",
                member=member,
                reason="居住地报到",
                registered_on=today - timedelta(days=rng.randrange(100, 900)),
            )
        )
    CommunityCheckIn.objects.bulk_create(check_ins)
    saved = CommunityCheckIn.objects.filter(community__in=communities)
    # Units' service is written down as it was reported; members' service (paid per hour,
    # volunteer.hours) is recorded through the service on its day.
    for c in saved.order_by("pk"):
        for _ in range(rng.randrange(1, 4)):
            served_on = today - timedelta(days=rng.randrange(1, 90))
            fields = {
                "served_on": served_on,
                "content": rng.choice(("楼院清扫", "政策宣讲", "为老服务", "文明劝导")),
                "hours": rng.choice((1, 2, 3)),
                "residents_served": rng.randrange(5, 60),
            }
            if c.member_id is None:
                ServiceRecord.objects.create(check_in=c, **fields)
                continue
            ctx.at(
                timezone.make_aware(datetime.combine(served_on, time(17))),
                lambda c=c, f=fields: services.record_service(c, actor=None, **f),
            )
    MutualReview.objects.bulk_create(
        MutualReview(
            check_in=c,
            year=today.year - 1,
            direction=d,
            grade=rng.choice(("excellent", "excellent", "good", "fair")),
        )
        for c in saved
        for d in ("by_community", "of_community")
    )
