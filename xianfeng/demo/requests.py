"""Resident requests: categories with checklists and time limits, the 王魁 case, and a few months
of requests with realistic timing (some overdue).

The 王魁 case (seed 002, 大季家街道, 2020-02-19): a resident of 瑞祥社区 needs a health pass to
return to work in 青岛; he tells his building's 党员中心户 赵美菊, she passes it to the 网格助理员
姜君, and within the hour he knows where to get the pass. It needs the grid demo (瑞祥社区,
赵美菊's 中心户, 姜君); without it the case is skipped.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from xianfeng.core.workcal import WORK_END, WORK_START, is_workday
from xianfeng.members.models import Member
from xianfeng.resident_requests import services
from xianfeng.resident_requests.models import (
    Category,
    ChecklistItem,
    RequestEvent,
    ResidentRequest,
    Status,
    TimeUnit,
)
from xianfeng.resident_requests.routing import chain_for, organization_of_grid
from xianfeng.resident_requests.services import due_after

from . import clock
from .grid import LEADER_LOGIN

H, D = TimeUnit.WORK_HOURS, TimeUnit.WORKDAYS
# code, name, group, (respond, unit), (finish, unit), checklist — defaults from shared/RULES.md:
# respond within 1 working day (urgent: 2 hours), finish within 7 (complex: 15) working days.
CATEGORIES = (
    ("health_pass", "健康通行证办理", "证明办理", (2, H), (1, D), ("身份证", "复工通知或单位证明")),
    ("certificate", "证明开具", "证明办理", (1, D), (3, D), ("身份证", "户口本")),
    ("lighting", "路灯楼道灯维修", "设施维修", (1, D), (7, D), ()),
    ("sanitation", "环境卫生", "环境整治", (1, D), (7, D), ()),
    ("property", "物业纠纷", "矛盾调解", (1, D), (15, D), ("购房合同或租赁合同", "相关缴费凭证")),
    ("elderly", "养老助残", "民生服务", (1, D), (7, D), ("身份证", "户口本", "残疾证（如有）")),
    ("safety", "安全隐患", "安全", (2, H), (1, D), ()),
)
HISTORY = 600
HISTORY_DAYS = 120


def load(ctx):
    categories = ensure_categories()
    grids = demo_grids()
    if not grids:
        return
    wang_kui(grids)
    lived(ctx, categories)
    guodian(ctx, categories, [g for g in grids if g[0].code.startswith(GUODIAN_PREFIX)])
    history(ctx, categories, [g for g in grids if not g[0].code.startswith(GUODIAN_PREFIX)])
    escalation_job(ctx)


def ensure_categories():
    result = {}
    for order, (code, name, group, respond, finish, checklist) in enumerate(CATEGORIES):
        category, created = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "group": group,
                "respond_within": respond[0],
                "respond_unit": respond[1],
                "finish_within": finish[0],
                "finish_unit": finish[1],
                "order": order,
            },
        )
        if created:
            ChecklistItem.objects.bulk_create(
                ChecklistItem(category=category, text=text, order=i)
                for i, text in enumerate(checklist)
            )
        result[code] = category
    return result


def demo_grids():
    """Buildings and grids of the grid demo, with their routing chains (40, and 12 of 郭店)."""
    from xianfeng.grid.models import Grid

    cells = Grid.objects.filter(kind__in=("building", "zone", "grid"), scope_org__isnull=False)
    rows = list(cells.select_related("scope_org").order_by("path")[:40])
    guodian = cells.filter(code__startswith="GD").select_related("scope_org").order_by("path")
    rows += list(guodian[:12])  # 郭店's grids (demo/grid.py), so its requests are there too
    return [(grid, chain_for(grid, organization_of_grid(grid))) for grid in rows]


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _event(req, at, action, status, level, label, actor_name, note=""):
    return RequestEvent(
        request=req,
        at=at,
        actor_name=actor_name,
        action=action,
        status=status,
        level=level,
        level_label=label,
        note=note,
    )


def wang_kui(grids):
    """Replayed through the services on the demo clock: intake, 赵美菊 accepts (首问负责) and
    passes it up, 姜君 accepts and solves within the hour, 王魁 rates it the next day."""
    from xianfeng.accounts.models import User
    from xianfeng.grid.models import CentralHousehold, GridStaff

    if ResidentRequest.objects.filter(idempotency_key="demo:wangkui").exists():
        return
    central = (
        CentralHousehold.objects.filter(member__name="赵美菊")
        .select_related("grid", "member")
        .first()
    )
    helper = GridStaff.objects.filter(name="姜君").select_related("user").first()
    zhao = User.objects.filter(member__name="赵美菊", username="zhongxinhu").first()
    if central is None or helper is None or helper.user is None or zhao is None:
        return
    grid = central.grid
    created = _at(datetime(2020, 2, 19).date(), 8, 40)
    with clock.at(created):
        req, _created = services.submit_request(
            category=Category.objects.get(code="health_pass"),
            description="在青岛和盛源海洋科技有限公司任海参技术指导，公司2月10日已复产，"
            "需要跨市通行的证明才能返回单位复工。",
            channel="visit",
            grid=grid,
            organization=organization_of_grid(grid),
            address=central.address or grid.address,
            resident_name="王魁",
            idempotency_key="demo:wangkui",
        )
    steps = (
        (5, lambda r: services.accept_request(r, actor=zhao)),
        (
            10,
            lambda r: services.escalate_request(
                r, actor=zhao, reason="需网格助理员核实健康通行卡的办理渠道"
            ),
        ),
        (15, lambda r: services.accept_request(r, actor=helper.user)),
        (
            55,
            lambda r: services.solve_request(
                r,
                actor=helper.user,
                note="可办理全省通行的健康卡；居民到村委填写信息后当场办理。",
            ),
        ),
        (
            24 * 60,
            lambda r: services.rate_request(
                r, rating=5, comment="不到一个小时就办好了，第二天就返回单位复工。"
            ),
        ),
    )
    for minutes, step in steps:
        with clock.at(created + timedelta(minutes=minutes)):
            req = step(req)


LIVED = 36  # requests of 赵美菊's building over the year, handled through the services
LIVED_TOPICS = (
    ("lighting", "3单元楼道灯不亮，晚上老人上下楼不方便"),
    ("sanitation", "楼后空地堆放杂物，夏天有异味"),
    ("elderly", "独居老人需要代办高龄补贴"),
    ("certificate", "需要开具居住证明办理孩子入学"),
    ("property", "楼上漏水，和物业协商不下来"),
)


def lived(ctx, categories):
    """A year of requests from 赵美菊's building, each through intake on the demo clock:
    赵美菊 accepts (首问负责, so hers are the points), passes one in four up to the building's
    group leader (the `zuzhang` login), the request is solved (or, rarely, closed unsolved),
    the resident rates most of them."""
    from xianfeng.accounts.models import User
    from xianfeng.grid.models import CentralHousehold

    if ResidentRequest.objects.filter(idempotency_key="demo:y:0").exists():
        return
    central = CentralHousehold.objects.filter(member__name="赵美菊").select_related("grid").first()
    zhao = User.objects.filter(member__name="赵美菊", username="zhongxinhu").first()
    leader = User.objects.filter(username=LEADER_LOGIN).first()
    if central is None or leader is None or zhao is None:
        return
    rng = ctx.rng("requests.lived")
    grid = central.grid
    for n in range(LIVED):
        _schedule_request(ctx, rng, n, categories, grid, central, zhao, leader)


def _schedule_request(ctx, rng, n, categories, grid, central, zhao, leader):
    """One request's steps on the demo year (each runs on the clock, in time order)."""
    code, text = LIVED_TOPICS[n % len(LIVED_TOPICS)]
    created = _working_moment(rng, ctx.today - timedelta(days=rng.randrange(3, 360)))
    fields = {
        "category": categories[code],
        "description": text,
        "channel": rng.choice(("visit", "phone", "public")),
        "grid": grid,
        "organization": organization_of_grid(grid),
        "address": central.address or grid.address,
        "resident_name": f"{rng.choice('王李张刘陈杨赵黄周吴')}女士",
        "idempotency_key": f"demo:y:{n}",
    }
    held = {}

    def step(fn):
        return lambda: held.update(req=fn(held.get("req")))

    ctx.at(created, step(lambda _: services.submit_request(**fields)[0]))
    at = created + timedelta(minutes=rng.randrange(10, 90))
    ctx.at(at, step(lambda r: services.accept_request(r, actor=zhao)))
    handler = zhao
    if rng.random() < 0.25:
        at += timedelta(minutes=20)
        ctx.at(
            at,
            step(lambda r: services.escalate_request(r, actor=zhao, reason="需楼栋党小组协调")),
        )
        at += timedelta(minutes=30)
        ctx.at(at, step(lambda r: services.accept_request(r, actor=leader)))
        handler = leader
    at += timedelta(hours=rng.randrange(2, 60))
    if at > timezone.now() - timedelta(hours=1):
        return  # still being handled
    if rng.random() < 0.06:
        ctx.at(
            at,
            step(lambda r: services.close_unsolved(r, actor=handler, reason="经核实不属实")),
        )
        return
    ctx.at(
        at,
        step(lambda r: services.solve_request(r, actor=handler, note="已联系相关单位处理完毕")),
    )
    if rng.random() < 0.75:
        rating = rng.choice((5, 5, 5, 4, 4, 3))
        ctx.at(
            at + timedelta(hours=rng.randrange(2, 30)),
            step(lambda r: services.rate_request(r, rating=rating)),
        )


GUODIAN_PREFIX = "GD"  # 郭店's grids (demo/grid.py)
GUODIAN_LIVED = 130  # 郭店's requests over the year, every one through the services
GUODIAN_TOPICS = (
    ("lighting", "村里路灯坏了好几盏，晚上出行不便"),
    ("sanitation", "村口垃圾点清运不及时"),
    ("elderly", "老人行动不便，需要上门办理养老认证"),
    ("certificate", "需要开具无犯罪记录相关证明材料"),
    ("property", "邻居私搭乱建挡住通道，协商不成"),
    ("safety", "电动车在楼道充电，存在火灾隐患"),
)


def guodian(ctx, categories, grids):
    """郭店's requests over the year, each through the intake on the demo clock: the village
    branch's grid worker (a member with a login) accepts and solves (the `request.solved` points
    are hers), asks the resident for what is missing now and then, closes a few unsolved; some
    are left unanswered or unsolved and the real escalation job (`escalation_job`) passes them
    to the street, where `jiedao` takes them; residents rate most and reopen a few."""
    from xianfeng.accounts.models import User

    if not grids or ResidentRequest.objects.filter(idempotency_key="demo:gd:0").exists():
        return
    street = User.objects.filter(username="jiedao").first()
    handlers = _guodian_handlers(ctx, sorted({g.scope_org for g, _ in grids}, key=lambda o: o.path))
    if street is None or not handlers:
        return
    rng = ctx.rng("requests.guodian")
    for n in range(GUODIAN_LIVED):
        grid, _levels = grids[rng.randrange(len(grids))]
        _guodian_request(ctx, rng, n, categories, grid, handlers[grid.scope_org_id], street)


def _guodian_handlers(ctx, branches):
    """One grid worker login per village branch with requests: a member of the branch."""
    from xianfeng.accounts.models import RoleGrant, User
    from xianfeng.accounts.roles import Role

    from . import password_hash

    found = {}
    for n, branch in enumerate(branches, 1):
        username = f"gdwangge{n}"
        user = User.objects.filter(username=username).first()
        if user is None:
            member = Member.objects.active().filter(organization=branch).order_by("id").first()
            if member is None:
                continue
            user = User(username=username, display_name=member.name, member=member)
            user.password = password_hash()
            user.save()
            RoleGrant.objects.get_or_create(user=user, organization=branch, role=Role.GRID_WORKER)
        found[branch.pk] = user
        if n == 1:
            ctx.logins.append((username, "郭店网格员 grid worker (诉求承办)", branch.name))
    return found


def _guodian_request(ctx, rng, n, categories, grid, handler, street):
    code, text = GUODIAN_TOPICS[n % len(GUODIAN_TOPICS)]
    created = _working_moment(rng, ctx.today - timedelta(days=rng.randrange(1, 360)))
    fields = {
        "category": categories[code],
        "description": text,
        "channel": rng.choice(("visit", "phone", "public", "walk_in")),
        "grid": grid,
        "organization": organization_of_grid(grid),
        "address": f"{grid.name}{rng.randrange(1, 80)}号",
        "resident_name": f"{rng.choice('王李张刘陈杨赵黄周吴孙马')}{rng.choice(('先生', '女士'))}",
        "idempotency_key": f"demo:gd:{n}",
    }
    held = {}
    now = timezone.now()

    def step(at, fn):
        if at < now - timedelta(minutes=5):
            ctx.at(at, lambda: held.update(req=_tried(fn, held.get("req"))))
            return True
        return False

    step(created, lambda _: services.submit_request(**fields)[0])
    fate = rng.random()
    if fate < 0.12:  # nobody answers in time: the job passes it up, the street takes it
        at = created + timedelta(days=4, hours=1)
        step(at, lambda r: services.accept_request(r, actor=street))
        solver, at = street, at + timedelta(hours=rng.randrange(2, 30))
    else:
        at = created + timedelta(minutes=rng.randrange(10, 180))
        step(at, lambda r: services.accept_request(r, actor=handler))
        solver = handler
        if rng.random() < 0.2:  # 一次性告知: what is missing, asked once; the resident answers
            at += timedelta(hours=1)
            step(at, lambda r: services.ask_resident(r, actor=handler, note="请补充身份证复印件"))
            at += timedelta(days=rng.randrange(1, 3))
            step(at, lambda r: services.resident_reply(r, text="已补充，请查收"))
        if rng.random() < 0.1:  # left too long: the job passes it to the street
            at += timedelta(days=rng.randrange(12, 20))
            step(at, lambda r: services.accept_request(r, actor=street))
            solver = street
        at += timedelta(hours=rng.randrange(2, 72))
    if rng.random() < 0.05:
        step(at, lambda r: services.close_unsolved(r, actor=solver, reason="经核实不属实"))
        return
    if not step(at, lambda r: services.solve_request(r, actor=solver, note="已处理完毕")):
        return  # still being handled
    if rng.random() < 0.06:  # the resident reopens it; the one who closed it solves it again
        at += timedelta(days=rng.randrange(1, 4))
        step(at, lambda r: services.reopen_request(r, reason="问题反复出现"))
        at += timedelta(hours=rng.randrange(1, 5))
        step(at, lambda r: services.accept_request(r, actor=solver))
        at += timedelta(hours=rng.randrange(4, 48))
        if not step(at, lambda r: services.solve_request(r, actor=solver, note="已彻底处理")):
            return
    if rng.random() < 0.75:
        rating = rng.choice((5, 5, 5, 4, 4, 3, 2))
        step(
            at + timedelta(hours=rng.randrange(2, 30)),
            lambda r: services.rate_request(r, rating=rating),
        )


def _tried(fn, req):
    """A step the year's course made moot (the job passed the request up before the worker
    took it, a holiday kept it from being passed up) is refused by the service as it would
    be on the page: the request stays as it is."""
    from xianfeng.core.errors import DomainError

    try:
        return fn(req)
    except DomainError:
        return req if req is None else ResidentRequest.objects.get(pk=req.pk)


def escalation_job(ctx):
    """限时办结 as the job runs it: every working day at 08:30 and 14:00 of the demo year."""
    from xianfeng.resident_requests.escalation import escalate_due

    if ResidentRequest.objects.filter(idempotency_key="demo:gd:0").exists():
        return  # loaded before: the year has run
    day = ctx.today - timedelta(days=365)
    while day < ctx.today:
        if is_workday(day):
            for hour, minute in ((8, 30), (14, 0)):
                ctx.at(_at(day, hour, minute), escalate_due)
        day += timedelta(days=1)


def _working_moment(rng, day):
    while not is_workday(day):
        day -= timedelta(days=1)
    minutes = rng.randrange(WORK_START.hour * 60, WORK_END.hour * 60 + WORK_END.minute - 30)
    return _at(day, minutes // 60, minutes % 60)


def history(ctx, categories, grids):
    """HISTORY requests over the last HISTORY_DAYS days; rows and events in two bulk inserts."""
    if ResidentRequest.objects.filter(idempotency_key="demo:h:0").exists():
        return
    rng = ctx.rng("requests")
    now = timezone.now()
    cats = list(categories.values())
    rows, plans = [], []
    for n in range(HISTORY):
        grid, levels = grids[rng.randrange(len(grids))]
        category = cats[rng.randrange(len(cats))]
        created = _working_moment(rng, ctx.today - timedelta(days=rng.randrange(1, HISTORY_DAYS)))
        req = ResidentRequest(
            idempotency_key=f"demo:h:{n}",
            tracking_code=f"DEMO{n:06d}",
            category=category,
            description=f"{category.name}：{grid.name}居民反映的问题（演示数据）",
            channel=rng.choice(("public", "public", "public", "phone", "visit", "walk_in")),
            grid=grid,
            organization=levels[0].organization or organization_of_grid(grid),
            address=grid.address or grid.name,
            respond_due=due_after(created, category.respond_within, category.respond_unit),
            finish_due=due_after(created, category.finish_within, category.finish_unit),
            created_at=created,
        )
        plans.append(_plan(rng, req, levels, now))
        rows.append(req)
    ResidentRequest.objects.bulk_create(rows, batch_size=500)
    events = [e for req, plan in zip(rows, plans, strict=True) for e in plan(req)]
    RequestEvent.objects.bulk_create(events, batch_size=1000)


def _place(req, levels, index):
    level = levels[min(index, len(levels) - 1)]
    req.level = min(index, len(levels) - 1)
    req.level_code, req.level_label = level.code, level.label
    req.holder_org, req.holder_member = level.organization, level.member


def _plan(rng, req, levels, now):
    """Decide the request's fate; returns a function making its events once it has a pk."""
    first = levels[0]
    owner = first.member.name if first.member else "网格员"
    climbs = 1 if rng.random() < 0.12 else 0
    respond = timedelta(minutes=rng.randrange(10, 60 * 30))
    finish = timedelta(hours=rng.randrange(1, 24 * 12))
    fate = rng.random()
    _place(req, levels, climbs)
    req.escalation_count = climbs
    req.responded_at = req.created_at + respond
    # Written down after the fact (bulk): the owner's name only. Requests handled by a member
    # with a login, whose solving earns points, are replayed through the services (`lived`).
    req.owner_name = owner
    finished_by_now = req.created_at + respond + finish < now
    if finished_by_now and fate < 0.88:
        req.status = Status.SOLVED
        req.solved_at = req.closed_at = req.created_at + respond + finish
        if rng.random() < 0.7:
            req.rating = rng.choice((5, 5, 5, 5, 4, 4, 3, 2, 1))
            req.rated_at = req.solved_at + timedelta(hours=6)
    elif finished_by_now and fate < 0.92:
        req.status = Status.CLOSED_UNSOLVED
        req.closed_at = req.created_at + respond + finish
    else:
        req.status = Status.ACCEPTED
        req.next_due = req.finish_due  # many of these are overdue: the list shows them first

    def events(saved):
        at = saved.created_at
        out = [_event(saved, at, "submitted", Status.NEW, 0, first.label, "居民")]
        out.append(_event(saved, at + respond, "accepted", Status.ACCEPTED, 0, first.label, owner))
        if climbs:
            out.append(
                _event(
                    saved,
                    at + respond + timedelta(minutes=30),
                    "escalated",
                    Status.ESCALATED,
                    saved.level,
                    saved.level_label,
                    owner,
                    "需上级协调",
                )
            )
        if saved.closed_at:
            action = "solved" if saved.status == Status.SOLVED else "closed_unsolved"
            out.append(
                _event(
                    saved,
                    saved.closed_at,
                    action,
                    saved.status,
                    saved.level,
                    saved.level_label,
                    owner,
                    "已办理" if action == "solved" else "不属实",
                )
            )
        return out

    return events
