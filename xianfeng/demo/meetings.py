"""组织生活 of the demo: twelve months of meetings for 大季家街道 and 崮云湖街道 (and 张三's
branch, so the member login has meetings), with attendance, plans, reviews and reminders.

Most branches keep the rules; about one in five is patchy and one in ten lax, so the
compliance page has real gaps to show. Everything is bulk-created in one pass; a second
load finds the meetings there and changes nothing.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection

from xianfeng.meetings.models import (
    Attendance,
    Meeting,
    MeetingStatus,
    PlanItem,
    ReviewGrade,
    ReviewResult,
    SignInMethod,
    month_index,
)
from xianfeng.meetings.plans import send_reminders
from xianfeng.meetings.rules import MeetingKind
from xianfeng.members.models import ACTIVE_STATUSES, Member
from xianfeng.orgs.models import CommitteeSeat, CommitteeStatus, OrgKind, SeatPost

from .members import ZHANGSAN_BRANCH

STREETS = ("大季家街道", "崮云湖街道")
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
    meetings, invited = [], []
    for org in orgs:
        skip = _skip_chance(rng)
        branch_members = [m for o in orgs if o.path.startswith(org.path) for m in members[o.pk]]
        for kind, day, attendees in _schedule(org, months, seats, branch_members):
            if day > ctx.today or rng.random() < skip:
                continue
            meeting = _meeting(rng, org, kind, day, attendees, secretaries.get(org.pk))
            meetings.append(meeting)
            invited.append(attendees)
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    _attendance(rng, meetings, invited)
    _upcoming(ctx, orgs, members)
    _plans(ctx, orgs, meetings)
    _reviews(rng, meetings, invited)
    send_reminders(ctx.today)


def _orgs(ctx):
    streets = [code for code, (_d, street) in ctx.streets.items() if street.short_name in STREETS]
    codes = [c for c in ctx.units if any(c.startswith(s + "-") for s in streets)]
    codes += [c for c, unit in ctx.units.items() if unit.name == ZHANGSAN_BRANCH]
    picked = [ctx.orgs[c] for c in codes if ctx.orgs[c].kind in (OrgKind.BRANCH, OrgKind.GROUP)]
    return sorted(picked, key=lambda o: o.path)


def _months(today):
    """The first days of the twelve months ending with this one."""
    first = today.replace(day=1)
    out = []
    for back in range(11, -1, -1):
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


def _meeting(rng, org, kind, day, attendees, secretary):
    starts = datetime.combine(day, time(14, 30), tzinfo=SHANGHAI)
    lecturer = None
    if kind == K.PARTY_LECTURE and attendees:
        by_secretary = secretary is not None and day.month in (5, 6) and rng.random() < 0.8
        lecturer = secretary if by_secretary else rng.choice(attendees)
    return Meeting(
        organization=org,
        kind=kind,
        topic=rng.choice(TOPICS[kind]),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1, minutes=30),
        held_on=day,
        month_index=month_index(day),
        place=rng.choice(PLACES),
        presided_by_id=secretary,
        lecturer_id=lecturer,
        given_by_secretary=lecturer is not None and lecturer == secretary,
        status=MeetingStatus.HELD,
        notice_sent_at=starts - timedelta(days=3),
        minutes=f"{org.name}召开{kind.label}，学习讨论并形成决议。",
    )


def _attendance(rng, meetings, invited):
    """One row per invited member, written with executemany: 50,000 model instances would
    cost most of the demo's time for nothing."""
    adapt = connection.ops.adapt_datetimefield_value
    rows = []
    for meeting, ids in zip(meetings, invited, strict=True):
        signed = adapt(meeting.starts_at - timedelta(minutes=10))
        for member_id in ids:
            roll = rng.random()
            if roll < 0.84:
                method = SignInMethod.QR if rng.random() < 0.6 else SignInMethod.ORGANIZER
                rows.append((meeting.pk, member_id, "present", "", method.value, signed))
            elif roll < 0.94:
                reason = rng.choice(LEAVE_REASONS)
                rows.append((meeting.pk, member_id, "leave", reason, "", None))
            else:
                rows.append((meeting.pk, member_id, "absent", "", "", None))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {Attendance._meta.db_table} "
            "(meeting_id, member_id, status, reason, method, signed_in_at) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            rows,
        )


def _upcoming(ctx, orgs, members):
    """Next theme day of 张三's branch, still to come, so the member login sees one."""
    branch = next(o for o in orgs if o.name == ZHANGSAN_BRANCH)
    day = ctx.today + timedelta(days=1)
    starts = datetime.combine(day, time(9, 0), tzinfo=SHANGHAI)
    meeting = Meeting.objects.create(
        organization=branch,
        kind=K.THEME_DAY,
        topic="主题党日：志愿服务进社区",
        starts_at=starts,
        held_on=day,
        month_index=month_index(day),
        place="十里堡村党群服务中心",
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=pk) for pk in members[branch.pk]]
    )


def _plans(ctx, orgs, meetings):
    """This year's plan for every branch: theme days on the 8th, assemblies mid-quarter,
    each linked to the meeting held for it."""
    year = ctx.today.year
    held = {(m.organization_id, m.kind, m.month_index): m for m in meetings}
    items = []
    for org in orgs:
        if org.kind != OrgKind.BRANCH:
            continue
        for month in range(1, 13):
            due = ctx.today.replace(year=year, month=month, day=8)
            items.append(_plan_item(org, K.THEME_DAY, due, held))
            if month % 3 == 2:
                items.append(_plan_item(org, K.GENERAL_ASSEMBLY, due.replace(day=18), held))
    PlanItem.objects.bulk_create(items, batch_size=2000)


def _plan_item(org, kind, due, held):
    return PlanItem(
        organization=org,
        meeting=held.get((org.pk, kind, month_index(due))),
        kind=kind,
        due_on=due,
        year=due.year,
        month_index=month_index(due),
        topic=TOPICS[kind][0],
    )


def _reviews(rng, meetings, invited):
    """民主评议 results of each December review, for its year."""
    rows = []
    grades = (
        (0.3, ReviewGrade.EXCELLENT),
        (0.96, ReviewGrade.QUALIFIED),
        (0.995, ReviewGrade.BASIC),
        (1.0, ReviewGrade.UNQUALIFIED),
    )
    for meeting, ids in zip(meetings, invited, strict=True):
        if meeting.kind != K.DEMOCRATIC_REVIEW:
            continue
        voters = len(ids)
        for member_id in ids:
            roll = rng.random()
            grade = next(g for limit, g in grades if roll < limit)
            excellent = int(voters * rng.uniform(0.1, 0.6))
            rows.append(
                ReviewResult(
                    member_id=member_id,
                    organization=meeting.organization,
                    year=meeting.held_on.year,
                    grade=grade,
                    votes_excellent=excellent,
                    votes_qualified=voters - excellent,
                    votes_basic=0,
                    votes_unqualified=0,
                    meeting=meeting,
                    basis="党员自评、党员互评、民主测评",
                )
            )
    ReviewResult.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
