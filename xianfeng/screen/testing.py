"""A street like 郭店 for the screen's browser test and bench: branches with members, a 4×3
block of drawn grids, requests (some overdue), key tasks in every light, published stars with
a 软弱涣散 branch, points of the month and volunteering, all through the services."""

import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from xianfeng.assessment.models import BranchAssessment, Change, Round, Stage, StarRating
from xianfeng.assessment.tests.factories import make_standard
from xianfeng.grid.testing import make_grid
from xianfeng.orgs.models import OrgKind
from xianfeng.points.services import award_points
from xianfeng.points.tests.factories import make_rule
from xianfeng.resident_requests.models import ResidentRequest
from xianfeng.resident_requests.testing import make_category, make_request
from xianfeng.service import volunteering
from xianfeng.tasks import services as task_services
from xianfeng.tasks.models import TaskKind
from xianfeng.testing import make_member, make_org

VILLAGES = ("十里堡村", "曹家馆村", "虞景社区", "东辛村", "西辛村", "郭店村", "相公庄村", "黄家村")
FAMILY = "王李张刘陈杨赵黄周吴"
GIVEN = ("秀英", "建国", "桂兰", "志强", "海燕", "立新", "玉梅", "德胜")
CATEGORIES = (
    ("road", "道路维修"),
    ("light", "路灯不亮"),
    ("trash", "垃圾清运"),
    ("water", "供水问题"),
)
TASKS = (
    ("十村整合回迁安置", -200, 20, 90, True),  # well behind: red
    ("老旧小区改造", -60, 60, 45, False),
    ("背街小巷整治", -30, 5, 70, False),  # a milestone due within a week: amber
    ("智慧灯杆建设", -90, 120, 60, False),
    ("垃圾分类示范片区", -120, 90, 75, False),
)


def _square(col, row, size=0.008):
    x, y = 117.10 + col * size, 36.70 - row * size
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + size, y], [x + size, y - size], [x, y - size], [x, y]]],
    }


def build_screen_street(street, actor, *, members_per_branch=12, requests_per_grid=3):
    """Fill `street` (an organization) and return it. Deterministic; call once."""
    today = timezone.localdate()
    now = timezone.now()
    branches = []
    n = 0
    for name in VILLAGES:
        branch = make_org(f"{name}党支部", parent=street, kind=OrgKind.BRANCH)
        branches.append(branch)
        for _j in range(members_per_branch):
            make_member(branch, FAMILY[n % 10] + GIVEN[(n // 10) % 8])
            n += 1
    categories = [make_category(code, label, checklist=()) for code, label in CATEGORIES]
    grids = []
    for k in range(12):
        branch = branches[k % len(branches)]
        grid = make_grid(f"第{k + 1}网格", organization=branch, geometry=_square(k % 4, k // 4))
        grids.append(grid)
        for r in range((k * 7) % (requests_per_grid + 2)):
            make_request(
                organization=branch,
                grid=grid,
                category=categories[(k + r) % 4],
                resident_name=FAMILY[(k + r) % 10] + GIVEN[r % 8],
            )
    # Some requests of the first grids are past their deadline.
    # (saved, not update()d: the screen's "now" rollup follows the request's save)
    for req in ResidentRequest.objects.filter(grid__in=grids[:3]).order_by("pk")[:3]:
        req.next_due = now - timedelta(hours=5)
        req.save(update_fields=["next_due"])
    for title, start, due, progress, late in TASKS:
        milestones = [("节点一", today + timedelta(days=3))] if due == 5 else []
        task = task_services.create_task(
            street,
            actor=actor,
            milestones=milestones,
            kind=TaskKind.KEY_TASK,
            title=title,
            lead_unit="街道党工委",
            lead_person="王强",
            starts_on=today + timedelta(days=start),
            due_on=today + timedelta(days=due),
        )
        task_services.report_progress(
            task, actor=actor, progress=30 if late else progress, summary="按计划推进"
        )
    _stars(street, branches, actor, today.year - 1)
    rule = make_rule("screen.award", points=5)
    members = [m for b in branches for m in b.members.all()[:3]]
    for k, member in enumerate(members[:14]):
        for _ in range(1 + (k * 5) % 4):
            award_points(member, rule, token=uuid.uuid4().hex, occurred_on=today, actor=actor)
    _volunteering(street, branches, actor, now)
    return street


def _stars(street, branches, actor, year):
    standard = make_standard(year=year, items=[("班子建设", 100, "", 0)])
    rnd = Round.objects.create(organization=street, year=year, stage=Stage.PUBLISHED)
    for k, branch in enumerate(branches):
        stars = (5, 4, 4, 3, 3, 3, 2, 1)[k % 8]
        assessment = BranchAssessment.objects.create(
            round=rnd,
            organization=branch,
            year=year,
            standard=standard,
            score=stars * 20,
            max_score=100,
            percent=stars * 20,
        )
        StarRating.objects.create(
            assessment=assessment,
            organization=branch,
            year=year,
            computed_stars=stars,
            stars=stars,
            change=Change.KEEP,
            weak_and_lax=stars == 1,
        )


def _volunteering(street, branches, actor, now):
    volunteers = [
        volunteering.register_volunteer(
            branches[k % len(branches)],
            actor=actor,
            name=FAMILY[k % 10] + GIVEN[k % 8],
            phone=f"1390000{k:04d}",
            registered_on=date(now.year, 1, 2),
        )
        for k in range(10)
    ]
    for month in range(1, timezone.localdate().month + 1):
        day = date(now.year, month, 10)
        starts = timezone.make_aware(datetime.combine(day, time(9)))
        if starts >= now:
            break
        activity = volunteering.publish_activity(
            street,
            actor=actor,
            title=f"{month}月志愿服务",
            place="党群服务中心",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2 + month % 3),
            capacity=20,
        )
        for v in volunteers[: 3 + month % 6]:
            signup = volunteering.sign_up(activity, v, actor=actor, now=starts - timedelta(days=2))
            volunteering.sign_in(signup, actor=actor, now=starts + timedelta(minutes=5))
