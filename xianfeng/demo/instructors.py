"""党建指导员 of 大季家街道 (../shared/seeds/002_…): every one of the 32 village branches and the
26 enterprise branches has an instructor from the street office's organ branch, appointed in
April of last year; visits every one to two weeks, a few organizations left unvisited for over
30 days, work logs collected every two quarters and ledgers yearly (some late, some missing),
a meeting each quarter. One instructor has the demo login `zhidao`."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from xianfeng.accounts.models import RoleGrant, User
from xianfeng.accounts.roles import Role
from xianfeng.instructors import services
from xianfeng.instructors.models import (
    Assignment,
    CollectionWindow,
    Instructor,
    InstructorMeeting,
    MeetingKind,
    Submission,
    Visit,
    VisitKind,
    WindowKind,
    WorkReport,
)
from xianfeng.instructors.rules import eligibility_errors
from xianfeng.members.models import Member
from xianfeng.orgs.models import Domain, OrgKind

from . import password_hash

STREET = "大季家街道党工委"
LOGIN = ("zhidao", "党建指导员")
DEPARTMENTS = ("党建办", "经济发展办", "社会事务办", "综合执法办", "农业农村办", "安监办")
WORK = {
    VisitKind.GUIDANCE: (
        "指导规范开展“三会一课”，检查会议记录",
        "指导党员发展工作，查阅入党积极分子培养材料",
        "督促党费按月收缴，核对党费台账",
        "指导整理党建档案，规范组织生活记录",
        "走访党员中心户，了解群众诉求",
    ),
    VisitKind.MEETING: (
        "列席支部委员会会议，研究年度工作计划",
        "列席支部党员大会，指导民主评议党员",
        "列席村“两委”联席会议，听取换届意见建议",
    ),
    VisitKind.ACTIVITY: (
        "指导开展主题党日活动",
        "组织策划党员志愿服务活动",
        "指导党建品牌创建计划",
    ),
}
KIND_POOL = (VisitKind.GUIDANCE,) * 5 + (VisitKind.MEETING,) * 3 + (VisitKind.ACTIVITY,) * 2


def load(ctx):
    street = next(o for o in ctx.orgs.values() if o.name == STREET)
    if Instructor.objects.filter(office=street).exists():
        return
    rng = ctx.rng("instructors")
    appointed = date(ctx.today.year - 1, 4, 1)
    units = [o for o in ctx.orgs.values() if o.path.startswith(street.path)]
    villages = [o for o in units if o.kind == OrgKind.BRANCH and o.domain == Domain.RURAL]
    firms = [o for o in units if o.kind == OrgKind.BRANCH and o.domain == Domain.PRIVATE]
    organ = next(o for o in units if o.kind == OrgKind.BRANCH and o.domain == Domain.ORGAN)
    pool = [
        m
        for m in Member.objects.filter(organization=organ).order_by("id")
        if not eligibility_errors(m, appointed)
    ]
    instructors = Instructor.objects.bulk_create(
        Instructor(member=m, office=street, department=DEPARTMENTS[i % 6], appointed_on=appointed)
        for i, m in enumerate(pool)
    )
    # Each village gets its own instructor where the pool allows; firms are shared out next
    # (部门分包、党员负责), so some officials guide a village and a firm.
    pairs = [(instructors[i % len(instructors)], org) for i, org in enumerate(villages + firms)]
    Assignment.objects.bulk_create(
        Assignment(instructor=i, organization=org, started_on=appointed) for i, org in pairs
    )
    visits = make_visits(rng, pairs, appointed, ctx.today)
    window = ctx.today.replace(year=ctx.today.year - 1)
    Visit.objects.bulk_create([v for v in visits if v.visited_on < window], batch_size=1000)
    replay_visits(ctx, [v for v in visits if v.visited_on >= window])
    windows = make_windows(street, appointed, ctx.today)
    make_submissions(rng, windows, instructors, visits, ctx.today)
    make_meetings(rng, street, instructors, appointed, ctx.today)
    make_reports(instructors, appointed, ctx.today)
    add_login(ctx, instructors[0], [org for i, org in pairs if i == instructors[0]])


def make_visits(rng, pairs, start, today):
    visits, seen = [], set()
    for n, (instructor, org) in enumerate(pairs):
        stop = today - timedelta(days=rng.randint(40, 90)) if n % 11 == 5 else today
        day = start + timedelta(days=rng.randint(1, 7))
        while day <= stop:
            kind = rng.choice(KIND_POOL)
            key = (instructor.pk, org.pk, day, kind)
            if key not in seen:
                seen.add(key)
                visits.append(
                    Visit(
                        instructor=instructor,
                        organization=org,
                        visited_on=day,
                        kind=kind,
                        content=rng.choice(WORK[kind]),
                    )
                )
            # Fewer but recorded visits in the demo year (each through the service).
            recent = day >= today.replace(year=today.year - 1)
            day += timedelta(days=rng.randint(14, 30) if recent else rng.randint(5, 16))
    return visits


def replay_visits(ctx, visits):
    """The last twelve months of 到岗履责, recorded through the service on their day by the
    street office (instructor.visit points come from its sender). The months before are
    history written down in bulk, before the demo year: they earned no points in the demo."""
    from xianfeng.accounts.models import User

    officer = User.objects.get(username="admin")
    for visit in visits:
        moment = timezone.make_aware(datetime.combine(visit.visited_on, time(17, 30)))
        ctx.at(
            moment,
            lambda v=visit: services.record_visit(
                v.instructor,
                v.organization,
                visited_on=v.visited_on,
                kind=v.kind,
                content=v.content,
                actor=officer,
            ),
        )


def half_years(start, today):
    """(first day, last day) of each half-year from `start` that has ended before `today`."""
    year, half = start.year, 1 if start.month <= 6 else 2
    while True:
        first = date(year, 1 if half == 1 else 7, 1)
        last = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        if last >= today:
            return
        yield first, last
        year, half = (year, 2) if half == 1 else (year + 1, 1)


def make_windows(street, appointed, today):
    rows = [
        CollectionWindow(
            office=street,
            kind=WindowKind.WORKLOG,
            period_start=first,
            period_end=last,
            opens_on=last + timedelta(days=1),
            closes_on=last + timedelta(days=15),
        )
        for first, last in half_years(appointed, today)
    ]
    for year in range(appointed.year, today.year):
        rows.append(
            CollectionWindow(
                office=street,
                kind=WindowKind.LEDGER,
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                opens_on=date(year + 1, 1, 1),
                closes_on=date(year + 1, 1, 31),
            )
        )
    return CollectionWindow.objects.bulk_create(rows)


def make_submissions(rng, windows, instructors, visits, today):
    days = {}
    for v in visits:
        days.setdefault(v.instructor_id, []).append(v.visited_on)
    rows = []
    for window in windows:
        for instructor in instructors:
            roll = rng.random()
            if roll < 0.06:
                continue  # not handed in
            if roll > 0.88:
                day = window.closes_on + timedelta(days=rng.randint(1, 10))
            else:
                day = window.opens_on + timedelta(days=rng.randint(0, 14))
            if day > today:
                continue
            count = sum(
                window.period_start <= d <= window.period_end for d in days.get(instructor.pk, ())
            )
            rows.append(
                Submission(window=window, instructor=instructor, submitted_on=day, visits=count)
            )
    Submission.objects.bulk_create(rows)


def make_meetings(rng, street, instructors, start, today):
    day = date(start.year, (start.month - 1) // 3 * 3 + 3, 25)
    n = 0
    while day <= today:
        kind = MeetingKind.REGULAR if n % 2 == 0 else MeetingKind.FORUM
        quarter = (day.month - 1) // 3 + 1
        meeting = InstructorMeeting.objects.create(
            office=street,
            kind=kind,
            held_on=day,
            topic=f"{day.year}年第{quarter}季度党建指导员{kind.label}",
            minutes="各指导员汇报到岗履责情况；党建办通报督导调度结果，部署下季度重点工作。",
        )
        meeting.attendees.set([i for i in instructors if rng.random() < 0.9])
        month = day.month + 3
        day = date(day.year + (month > 12), (month - 1) % 12 + 1, 25)
        n += 1


def make_reports(instructors, start, today):
    WorkReport.objects.bulk_create(
        WorkReport(
            instructor=instructor,
            reported_on=last,
            title=f"{first.year}年{'上' if first.month == 1 else '下'}半年党建指导工作汇报",
            content="到岗指导、列席会议、督促整改情况及下一步打算。",
        )
        for first, last in half_years(start, today)
        for instructor in instructors
    )


def add_login(ctx, instructor, orgs):
    username, label = LOGIN
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, display_name=instructor.member.name)
        user.password = password_hash()
        user.member = instructor.member
        user.save()
    for org in orgs:
        RoleGrant.objects.get_or_create(user=user, organization=org, role=Role.INSTRUCTOR)
    ctx.logins.append((username, f"{label} instructor", "、".join(o.name for o in orgs)))
