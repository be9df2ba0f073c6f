"""组织生活 of the demo, lived through the meetings services on the demo clock: thirteen months
(last December's 组织生活会 and 民主评议 included) for every branch of 北坦街道 (the street the
star rating rates), 张三's branch, and a small branch of each other report street; every
other branch of every demo street holds last December's 组织生活会 through the same
services (`_every_branch`).

Each meeting is arranged, noticed, signed in by QR or marked by the organizer (absences and
leave too), its minutes recorded, now and then a mark corrected; the points of attendance
and absence come from those services' senders. Most branches keep the rules; about one in
five is patchy and one in ten lax, so the compliance page has real gaps to show. A second
load finds the meetings there and changes nothing.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from xianfeng.meetings import services
from xianfeng.meetings.models import AttendanceStatus, Meeting, PlanItem, ReviewGrade, month_index
from xianfeng.meetings.plans import send_reminders
from xianfeng.meetings.rules import MeetingKind
from xianfeng.members.models import ACTIVE_STATUSES, Member
from xianfeng.orgs.models import CommitteeSeat, CommitteeStatus, OrgKind, SeatPost

from .members import ZHANGSAN_BRANCH

RATED_STREET = "北坦街道党工委"  # every branch lives the year; the star rating rates it
REPORT_STREETS = ("郭店街道党工委", "大季家街道党工委", "舜玉路街道党工委", "崮云湖街道党工委")
SHANGHAI = ZoneInfo("Asia/Shanghai")
K = MeetingKind
TOPICS = {
    K.THEME_DAY: (
        "学习党的二十届三中全会精神",
        "走访慰问困难群众",
        "清理村庄环境卫生",
        "重温入党誓词",
    ),
    K.COMMITTEE_MEETING: (
        "研究本月党建工作",
        "讨论发展党员工作",
        "研究党费收缴",
        "研究网格服务事项",
    ),
    K.GROUP_MEETING: ("学习《中国共产党章程》", "交流服务群众情况", "收集楼栋居民诉求"),
    K.GENERAL_ASSEMBLY: ("通报季度工作", "讨论接收预备党员", "学习贯彻上级会议精神"),
    K.PARTY_LECTURE: ("书记讲党课：坚定理想信念", "党史专题党课", "基层治理专题党课"),
    K.LIFE_MEETING: ("年度组织生活会",),
    K.DEMOCRATIC_REVIEW: ("年度民主评议党员",),
}
PLACES = ("党群服务中心", "村委会议室", "党员活动室", "公司会议室")
LEAVE_REASONS = ("外出务工", "身体不适", "出差", "照顾家人")
# (share of branches, chance that any one meeting is skipped)
DILIGENCE = ((0.7, 0.01), (0.2, 0.15), (0.1, 0.5))


def load(ctx):
    orgs = _orgs(ctx)
    if not orgs or Meeting.objects.filter(organization__in=orgs).exists():
        return
    rng = ctx.rng("meetings")
    months = _months(ctx.today)
    members = _members(orgs)
    seats, secretaries = _committees(orgs)
    _plans(ctx, orgs)  # the year's plan first: each meeting links its plan item when arranged
    by_pk = {
        m.pk: m
        for m in Member.objects.filter(pk__in=_all_ids(members)).select_related("organization")
    }
    for org in orgs:
        skip = _skip_chance(rng)
        branch_members = [m for o in orgs if o.path.startswith(org.path) for m in members[o.pk]]
        for kind, day, attendees in _schedule(org, months, seats, branch_members):
            if day >= ctx.today or rng.random() < skip:
                continue
            _hold(ctx, rng, org, kind, day, attendees, secretaries.get(org.pk), by_pk)
    _upcoming(ctx, orgs)
    _every_branch(ctx, ctx.rng("meetings.every"), orgs, months)
    ctx.at(timezone.now(), lambda: send_reminders(ctx.today))


# The other branches of every demo street hold what the year must have at the least, through
# the same services: last December's 组织生活会, attendance marked by the organizer (no QR
# sign-ins). A full year for all of them (5,000-odd members × 25 meetings) does not fit the
# load's time on a small machine; with 民主评议 and a quarter's 党员大会 added it did not
# either (over 128 s of CPU before the year was done).
EVERY_KINDS = (K.LIFE_MEETING,)


def _every_branch(ctx, rng, lived, months):
    lived_ids = {o.pk for o in lived}
    branches = [
        o
        for code in ctx.streets
        for o in ctx.orgs.values()
        if o.kind == OrgKind.BRANCH
        and o.pk not in lived_ids
        and o.path.startswith(ctx.orgs[code].path)
        and not any(o.path.startswith(p.path) and o.pk != p.pk for p in lived)
    ]
    branches = sorted({o.pk: o for o in branches}.values(), key=lambda o: o.path)
    if not branches:
        return
    members = {o.pk: [] for o in branches}
    paths = sorted(((o.path, o.pk) for o in branches), key=lambda p: -len(p[0]))  # deepest first
    below = [o.pk for o in ctx.orgs.values() if any(o.path.startswith(p) for p, _ in paths)]
    rows = Member.objects.filter(status__in=ACTIVE_STATUSES, organization__in=below)
    by_pk = {}
    for member in rows.select_related("organization").order_by("id"):
        for path, pk in paths:
            if member.organization.path.startswith(path):
                members[pk].append(member.pk)
                by_pk[member.pk] = member
                break
    _seats, secretaries = _committees(branches)
    for org in branches:
        attendees = members[org.pk]
        if not attendees:
            continue
        for kind, day, _ in _schedule(org, months, {}, attendees):
            if kind in EVERY_KINDS and day < ctx.today:
                _hold(ctx, rng, org, kind, day, attendees, secretaries.get(org.pk), by_pk, qr=0)


def _all_ids(members):
    return [pk for ids in members.values() for pk in ids]


def _orgs(ctx):
    """Every branch (and group) of the rated street, 张三's branch (大季家), and the smallest
    branch of each other report street (with its groups)."""
    picked = []
    for code in ctx.streets:
        street = ctx.orgs[code]
        below = [
            o
            for o in ctx.orgs.values()
            if o.path.startswith(street.path) and o.kind in (OrgKind.BRANCH, OrgKind.GROUP)
        ]
        below.sort(key=lambda o: o.path)
        if street.name == RATED_STREET:
            picked += below
        elif street.name in REPORT_STREETS:
            branches = [o for o in below if o.kind == OrgKind.BRANCH]
            heads = {o.path for o in branches if o.name == ZHANGSAN_BRANCH}
            if not heads:  # the smallest branch of ten or more (each meeting costs its time)
                sized = sorted(
                    (o for o in branches if (o.member_count or 0) >= 10),
                    key=lambda o: (o.member_count, o.path),
                )
                heads = {o.path for o in sized[:1]}
            picked += [o for o in below if any(o.path.startswith(h) for h in heads)]
    return sorted({o.pk: o for o in picked}.values(), key=lambda o: o.path)


def _months(today):
    """The first days of the thirteen months ending with this one (so last December is in)."""
    first = today.replace(day=1)
    out = []
    for back in range(12, -1, -1):
        index = month_index(first) - back
        out.append(first.replace(year=index // 12, month=index % 12 + 1))
    return out


def _members(orgs):
    found = {org.pk: [] for org in orgs}
    rows = Member.objects.filter(organization__in=orgs, status__in=ACTIVE_STATUSES)
    for pk, org_id in rows.order_by("id").values_list("id", "organization_id"):
        found[org_id].append(pk)
    return found


def _committees(orgs):
    seats, secretaries = {}, {}
    rows = CommitteeSeat.objects.filter(
        committee__organization__in=orgs,
        committee__status=CommitteeStatus.CURRENT,
        ended_on__isnull=True,
    ).values_list("committee__organization_id", "member_id", "post")
    for org_id, member_id, post in rows.order_by("member_id"):
        seats.setdefault(org_id, []).append(member_id)
        if post == SeatPost.SECRETARY:
            secretaries[org_id] = member_id
    return seats, secretaries


def _skip_chance(rng):
    roll = rng.random()
    for share, skip in DILIGENCE:
        if roll < share:
            return skip
        roll -= share
    return DILIGENCE[-1][1]


def _schedule(org, months, seats, branch_members):
    """(kind, day, attendee ids) the rules ask of `org` in `months`."""
    if org.kind == OrgKind.GROUP:
        return [(K.GROUP_MEETING, m.replace(day=12), branch_members) for m in months]
    out = []
    for m in months:
        out.append((K.THEME_DAY, m.replace(day=8), branch_members))
        if org.pk in seats:
            out.append((K.COMMITTEE_MEETING, m.replace(day=3), seats[org.pk]))
        if m.month % 3 == 2:
            out.append((K.GENERAL_ASSEMBLY, m.replace(day=18), branch_members))
            out.append((K.PARTY_LECTURE, m.replace(day=22), branch_members))
        if m.month == 12:
            out.append((K.LIFE_MEETING, m.replace(day=20), branch_members))
            out.append((K.DEMOCRATIC_REVIEW, m.replace(day=20), branch_members))
    return out


def _hold(ctx, rng, org, kind, day, attendees, secretary, by_pk, qr=0.5):
    """One meeting lived through the services, scheduled on the demo year: arranged five days
    ahead, noticed three days ahead, QR sign-ins at the door, the rest marked by the organizer
    after it, the minutes recorded; now and then a mark corrected the next day (the points
    are reversed); after a 民主评议 meeting, each member's grade."""
    hour = 9 if kind == K.LIFE_MEETING else 14
    starts = datetime.combine(day, time(hour, 30), tzinfo=SHANGHAI)
    lecturer = None
    if kind == K.PARTY_LECTURE and attendees:
        by_secretary = secretary is not None and day.month in (5, 6) and rng.random() < 0.8
        lecturer = by_pk[secretary if by_secretary else rng.choice(attendees)]
    held = {}
    fields = {
        "kind": kind,
        "topic": rng.choice(TOPICS[kind]),
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=1, minutes=30),
        "place": rng.choice(PLACES),
        "presided_by": by_pk.get(secretary),
        "lecturer": lecturer,
        "attendee_ids": attendees,
    }

    def arrange():
        held["meeting"] = services.create_meeting(org, actor=None, **fields)

    ctx.at(starts - timedelta(days=5), arrange)
    ctx.at(starts - timedelta(days=3), lambda: services.send_notice(held["meeting"], actor=None))
    marks = {}
    for member_id in attendees:
        roll = rng.random()
        if roll < qr:
            ctx.at(
                starts - timedelta(minutes=rng.randrange(1, 30)),
                lambda member=by_pk[member_id]: services.sign_in(
                    held["meeting"], member, actor=None
                ),
            )
        elif roll < 0.84 + (0.5 - qr) * 0.9:
            marks[member_id] = (AttendanceStatus.PRESENT, "")
        elif roll < 0.94:
            marks[member_id] = (AttendanceStatus.LEAVE, rng.choice(LEAVE_REASONS))
        else:
            marks[member_id] = (AttendanceStatus.ABSENT, "")
    minutes = f"{org.name}召开{kind.label}，学习讨论并形成决议。"

    def close():
        if marks:
            services.mark_attendance(held["meeting"], marks, actor=None)
        services.record_minutes(held["meeting"], minutes=minutes, actor=None)

    after = starts + timedelta(hours=2)
    ctx.at(after, close)
    present = [pk for pk, (status, _) in marks.items() if status == AttendanceStatus.PRESENT]
    if present and rng.random() < 0.03:  # 更正：记为出席的党员实际缺席（积分冲正）
        fix = {rng.choice(present): (AttendanceStatus.ABSENT, "")}
        ctx.at(
            after + timedelta(days=1),
            lambda: services.mark_attendance(held["meeting"], fix, actor=None),
        )
    if kind == K.DEMOCRATIC_REVIEW:
        grades = _grades(rng, attendees)
        ctx.at(after + timedelta(hours=1), lambda: _reviews(held["meeting"], grades, by_pk))


def _upcoming(ctx, orgs):
    """Next theme day of 张三's branch, still to come, so the member login sees one."""
    branch = next(o for o in orgs if o.name == ZHANGSAN_BRANCH)
    day = ctx.today + timedelta(days=1)
    services.create_meeting(
        branch,
        kind=K.THEME_DAY,
        topic="主题党日：志愿服务进社区",
        starts_at=datetime.combine(day, time(9, 0), tzinfo=SHANGHAI),
        place="十里堡村党群服务中心",
        actor=None,
    )


def _plans(ctx, orgs):
    """This year's plan for every branch: theme days on the 8th, assemblies mid-quarter (the
    meetings arranged later link themselves to their item)."""
    year = ctx.today.year
    items = []
    for org in orgs:
        if org.kind != OrgKind.BRANCH:
            continue
        for month in range(1, 13):
            due = date(year, month, 8)
            items.append(_plan_item(org, K.THEME_DAY, due))
            if month % 3 == 2:
                items.append(_plan_item(org, K.GENERAL_ASSEMBLY, due.replace(day=18)))
    PlanItem.objects.bulk_create(items, batch_size=2000)


def _plan_item(org, kind, due):
    return PlanItem(
        organization=org,
        kind=kind,
        due_on=due,
        year=due.year,
        month_index=month_index(due),
        topic=TOPICS[kind][0],
    )


GRADES = (
    (0.3, ReviewGrade.EXCELLENT),
    (0.96, ReviewGrade.QUALIFIED),
    (0.995, ReviewGrade.BASIC),
    (1.0, ReviewGrade.UNQUALIFIED),
)


def _grades(rng, attendees):
    voters = len(attendees)
    out = {}
    for member_id in attendees:
        roll = rng.random()
        excellent = int(voters * rng.uniform(0.1, 0.6))
        out[member_id] = (next(g for limit, g in GRADES if roll < limit), excellent, voters)
    return out


def _reviews(meeting, grades, by_pk):
    """民主评议: each full member's grade for the year, entered after the review meeting
    (probationary members take part but get no grade)."""
    year = meeting.held_on.year
    for member_id, (grade, excellent, voters) in grades.items():
        member = by_pk[member_id]
        if services.was_probationary_at_year_end(member, year):
            continue
        services.record_review(
            member,
            year,
            grade=grade,
            actor=None,
            basis="党员自评、党员互评、民主测评",
            meeting=meeting,
            votes_excellent=excellent,
            votes_qualified=voters - excellent,
            votes_basic=0,
            votes_unqualified=0,
        )
