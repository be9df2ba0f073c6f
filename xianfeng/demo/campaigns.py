"""Two campaigns of the reports, lived through the campaign services on the demo clock.

- 东辛村拆迁 (崮云湖 report): the street's 东辛村拆迁临时党支部 with its four 党小组, each led by a
  分管领导; 91 properties sorted into six classes; 100 days of 早碰头、午调度、晚研判 with their
  assignments; households moving from 摸底 to 拆除, the 钉子户 last. A 包户 cadre login
  (`baohu`, no role) holds twelve of the households.
- 郭店十村整合回迁 (郭店 report): ten villages, 2,732 households and 12,889 people, documents
  checked, a public lottery for the order of choosing, the choice over 10 days, keys and moving
  in; the result published to every household. The campaign is over: its temporary branch is
  dissolved (the link stays).

The households are written in bulk (static rows, with their counts); every stage change, the
draw, each choice and the publication go through the services. Loading twice adds nothing.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xianfeng.accounts.models import User
from xianfeng.campaigns import allocation, services
from xianfeng.campaigns.imports import write_cases
from xianfeng.campaigns.models import Campaign, Case, HousingUnit
from xianfeng.campaigns.rules import AllocationRule, CampaignKind, DispatchKind
from xianfeng.orgs.models import Organization

from . import password_hash
from .clock import at
from .names import make_name
from .streets import GUODIAN_VILLAGES

DONGXIN = "东辛村拆迁"
GUODIAN = "郭店十村整合回迁"
# How many of 东辛's 91 properties fell in each class (the report gives six classes, not sizes).
DONGXIN_CLASSES = (("积极配合", 34), ("基本配合", 24), ("观望等待", 14), ("诉求较多", 10))
DONGXIN_CLASSES += (("矛盾突出", 6), ("钉子户", 3))
GUODIAN_HOUSEHOLDS, GUODIAN_PEOPLE = 2732, 12889
SAYINGS = (
    ("补偿标准是否和西辛村一样", "老人担心过渡期住处", "讲解补偿政策和过渡费标准"),
    ("宅基地面积测量有出入", "要求重新丈量", "约定评估公司复核"),
    ("院内果树、附属物怎么算", "", "逐项登记地上附着物"),
    ("子女在外地，需商量", "希望周末再谈", "约周六上午再次入户"),
    ("历史遗留的宅基地纠纷", "与邻户界址有争议", "报指挥部协调村两委调解"),
)
DISPATCH_ISSUES = {
    DispatchKind.MORNING: "当日入户计划：{n}户；需协调评估公司到场",
    DispatchKind.NOON: "上午进展：新签约{s}户；{p}户提出补偿异议",
    DispatchKind.EVENING: "研判重点户{h}户，逐户分析症结，明确包户责任人",
}


def load(ctx):
    if Campaign.objects.filter(name__in=(DONGXIN, GUODIAN)).exists():
        return
    admin = User.objects.get(username="admin")
    baohu = _baohu(ctx)
    _dongxin(ctx, admin, baohu)
    _guodian(ctx, admin)


def _moment(day, hour=18):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _baohu(ctx):
    user = User.objects.filter(username="baohu").first()
    if user is None:
        user = User(username="baohu", display_name="东辛村包户干部 刘建国")
        user.password = password_hash()
        user.save()
    ctx.logins.append(("baohu", "包户干部 (东辛村拆迁, 12户)", "东辛村拆迁临时党支部"))
    return user


# ---------------------------------------------------------------- 东辛村拆迁


def _dongxin(ctx, admin, baohu):
    rng = ctx.rng("campaigns.dongxin")
    street = Organization.objects.get(name="崮云湖街道党工委")
    branch = Organization.objects.get(name="东辛村拆迁临时党支部")
    starts = ctx.today - timedelta(days=99)
    leaders = ("王振华", "李庆军", "张丽娟", "赵永刚")
    with at(_moment(starts, 9)):
        campaign = services.create_campaign(
            street,
            actor=admin,
            name=DONGXIN,
            kind=CampaignKind.DEMOLITION,
            starts_on=starts,
            ends_on=starts + timedelta(days=99),
            branch_code=branch.code,
            branch=branch,
            groups=[(f"拆迁第{n}党小组", leaders[i], None) for i, n in enumerate("一二三四")],
            classes=[name for name, _n in DONGXIN_CLASSES],
            leader=admin,
            description="妥善处理东辛村10年来的历史遗留问题，100天内完成91处房产的签约、腾空和拆除，"
            "保证项目如期开工。",
        )
    classes = list(campaign.classes.order_by("position"))
    groups = list(campaign.groups.order_by("pk"))
    cases = []
    n = 0
    with at(_moment(starts + timedelta(days=2), 17)):
        for klass, (_name, size) in zip(classes, DONGXIN_CLASSES, strict=True):
            for _ in range(size):
                n += 1
                cases.append(
                    services.add_case(
                        campaign,
                        actor=admin,
                        number=f"DX-{n:03d}",
                        village="东辛村",
                        head_name=_person(rng),
                        phone=f"139{rng.randrange(10**8):08d}",
                        people=rng.randint(2, 6),
                        address=f"东辛村{rng.randint(1, 9)}排{rng.randint(1, 30)}号",
                        area=Decimal(rng.randint(90, 320)),
                        property_note="砖混结构宅院，附属物另行登记",
                        case_class=klass,
                        group=groups[n % 4],
                        responsible=baohu if n % 4 == 1 and n <= 48 else None,
                    )
                )
    steps = []  # (day, case, stage) in time order per case
    for case in cases:
        rank = case.case_class.position  # 1 cooperative … 6 钉子户
        day = 3 + rng.randint(0, 6) + rank * 2
        path = ("negotiating", "signed", "moved_out", "demolished")
        stop = 4 if rank <= 4 else (3 if rank == 5 else 1)
        if rank == 6 and rng.random() < 0.67:
            stop = 4  # the street's leaders talked two of the three round in the last weeks
            day = 70 + rng.randint(0, 8)
        for stage in path[:stop]:
            steps.append((day, case, stage))
            day += rng.randint(3, 12) + (rank - 1) * 2
            if day > 99:
                break
    by_day = {}
    for day, case, stage in steps:
        if day <= 99:
            by_day.setdefault(day, []).append((case, stage))
    for offset in range(100):
        day = starts + timedelta(days=offset)
        moved = by_day.get(offset, [])
        with at(_moment(day, 17)):
            for case, stage in moved:
                services.change_stage(case, stage, actor=baohu if case.responsible else admin)
            if offset % 5 == 0:
                case = cases[(offset * 7) % len(cases)]
                said, issues, reply = SAYINGS[offset % len(SAYINGS)]
                services.add_visit(
                    case,
                    actor=admin,
                    visited_on=day,
                    visitor_name=case.group.leader_name,
                    talked_with=case.head_name,
                    said=f"户主提出：{said}。{reply}。",
                    issues=issues,
                )
        _dongxin_dispatch(campaign, day, offset, moved, admin, baohu, rng)
    with at(_moment(ctx.today, 8)):
        services.escalate_late_assignments(ctx.today)


def _dongxin_dispatch(campaign, day, offset, moved, admin, baohu, rng):
    signed = sum(1 for _case, stage in moved if stage == "signed")
    for hour, kind in (
        (7, DispatchKind.MORNING),
        (12, DispatchKind.NOON),
        (20, DispatchKind.EVENING),
    ):
        # 30+ full dispatch meetings: every day a 早碰头; 午调度 and 晚研判 on working days.
        if kind != DispatchKind.MORNING and day.weekday() >= 5:
            continue
        issues = DISPATCH_ISSUES[kind].format(
            n=rng.randint(4, 12), s=signed, p=rng.randint(0, 3), h=rng.randint(1, 5)
        )
        assignments = []
        if kind == DispatchKind.EVENING:
            due = day + timedelta(days=rng.randint(1, 3))
            owner = baohu if offset % 2 else admin
            assignments = [("逐户上门解释补偿方案，次日报结果", owner, due, None)]
        with at(_moment(day, hour)):
            meeting = services.record_dispatch(
                campaign,
                actor=admin,
                held_on=day,
                kind=kind,
                attendees="指挥部全体、各党小组组长",
                issues=issues,
                decisions="日事日毕、日清日结；重点户由分管领导带队入户"
                if kind != DispatchKind.MORNING
                else "",
                assignments=assignments,
            )
        # Most are done on their day; a few run late and are escalated by the morning job.
        if offset % 17 and offset < 96:
            for assignment in meeting.assignments.select_related("owner"):
                with at(_moment(assignment.due_on, 19)):
                    services.complete_assignment(
                        assignment, actor=assignment.owner, result="已入户解释，户主表示理解"
                    )


# ---------------------------------------------------------------- 郭店十村整合回迁


def _guodian(ctx, admin):
    rng = ctx.rng("campaigns.guodian")
    street = Organization.objects.get(name="郭店街道党工委")
    starts = ctx.today - timedelta(days=150)
    villages = GUODIAN_VILLAGES[:10]
    with at(_moment(starts, 9)):
        campaign = services.create_campaign(
            street,
            actor=admin,
            name=GUODIAN,
            kind=CampaignKind.RESETTLEMENT,
            starts_on=starts,
            ends_on=starts + timedelta(days=120),
            branch_code=f"{street.code}-HQ",
            groups=[(f"{v}回迁工作组", _person(rng), None) for v in villages],
            leader=admin,
            description="十村整合安置房回迁：解释分房政策、整理分房档案、签订协议，10天完成分房。",
        )
    groups = list(campaign.groups.order_by("pk"))
    people = _split(rng, GUODIAN_PEOPLE, GUODIAN_HOUSEHOLDS)
    cases = [
        Case(
            campaign=campaign,
            number=f"{i % 10 + 1:02d}-{i // 10 + 1:04d}",
            village=villages[i % 10],
            head_name=_person(rng),
            phone=f"138{rng.randrange(10**8):08d}" if rng.random() < 0.96 else "",
            people=people[i],
            area=Decimal(rng.choice((75, 90, 105, 120, 135))),
            address=f"{villages[i % 10]}原宅基地",
            group=groups[i % 10],
            stage="registered",
            stage_since=starts,
        )
        for i in range(GUODIAN_HOUSEHOLDS)
    ]
    with at(_moment(starts, 10)), transaction.atomic():
        write_cases(campaign, cases, actor=admin)
    cases = list(Case.objects.filter(campaign=campaign).order_by("number"))
    # 3月起: the branches checked every household's documents with the 包村干部.
    checked = sorted(cases, key=lambda c: rng.random())
    for day_no in range(60):
        day = starts + timedelta(days=10 + day_no)
        batch = checked[day_no * len(checked) // 60 : (day_no + 1) * len(checked) // 60]
        with at(_moment(day, 16)):
            services.change_stages(campaign, [c.pk for c in batch], "checked", actor=admin, on=day)
    draw_day = starts + timedelta(days=75)
    HousingUnit.objects.bulk_create(
        HousingUnit(
            campaign=campaign,
            code=f"{b}-{u}-{f:02d}0{d}",
            building=f"{b}号楼",
            area=Decimal(rng.choice((75, 90, 105, 120, 135))),
            layout=rng.choice(("两室一厅", "三室一厅", "三室两厅")),
        )
        for b in range(1, 27)
        for u in range(1, 5)
        for f in range(1, 15)
        for d in (1, 2)
    )
    with at(_moment(draw_day, 10)):
        ordered = allocation.draw_order(
            campaign,
            actor=admin,
            rule=AllocationRule.LOTTERY,
            seed=f"郭店回迁-{draw_day:%Y%m%d}-公证抽签",
        )
    units = list(HousingUnit.objects.filter(campaign=campaign).order_by("building", "code"))
    per_day = -(-len(ordered) // 10)
    for day_no in range(10):
        day = draw_day + timedelta(days=1 + day_no)
        pairs = [
            (case, units[i])
            for i, case in enumerate(ordered)
            if day_no * per_day <= i < (day_no + 1) * per_day
        ]
        with at(_moment(day, 17)):
            allocation.choose_units(campaign, pairs, actor=admin, on=day)
    for day_no in range(20):  # keys by village, then moving in (two of three within 10 days)
        day = draw_day + timedelta(days=15 + day_no)
        batch = [c.pk for i, c in enumerate(ordered) if i % 20 == day_no]
        with at(_moment(day, 15)):
            services.change_stages(campaign, batch, "keys", actor=admin, on=day)
        moving = [pk for j, pk in enumerate(batch) if j % 3]
        with at(_moment(day + timedelta(days=10), 15)):
            services.change_stages(
                campaign, moving, "moved_in", actor=admin, on=day + timedelta(days=10)
            )
    with at(_moment(draw_day + timedelta(days=11), 9)):
        allocation.publish_allocation(campaign, actor=admin)
    with at(_moment(starts + timedelta(days=120), 18)):
        services.close_campaign(campaign, actor=admin, on=starts + timedelta(days=120))


def _person(rng):
    return make_name(rng, rng.choice("MF"))


def _split(rng, total, parts):
    """`parts` household sizes of 1–9 people adding up to `total`."""
    sizes = [total // parts] * parts
    for i in range(total - sum(sizes)):
        sizes[i] += 1
    for _ in range(parts):
        a, b = rng.randrange(parts), rng.randrange(parts)
        if sizes[a] > 2 and sizes[b] < 8:
            sizes[a] -= 1
            sizes[b] += 1
    return sizes
