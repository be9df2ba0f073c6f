"""天桥区's board (17 key tasks of the party-building leading group's member units, 21
breakthrough projects of the street secretaries), 郭店街道's four key tasks and 大季家街道's
brand plans (60+, 5 chosen).

Titles are plausible, not quoted; the counts are the reports'. Dates follow `ctx.today`, so the
board always shows a mix of green, amber, red and done.
"""

from datetime import timedelta

from xianfeng.orgs.models import Organization, OrgKind
from xianfeng.tasks import services
from xianfeng.tasks.models import (
    BrandMilestone,
    BrandPlan,
    BrandStatus,
    KeyTask,
    TaskKind,
    TaskUpdate,
)

KEY_TASKS = (
    ("区委组织部", "基层党组织标准化规范化建设全覆盖"),
    ("区委组织部", "党员教育管理“灯塔大课堂”提质扩面"),
    ("区委组织部", "软弱涣散基层党组织整顿提升"),
    ("区委组织部", "村(社区)“两委”换届后续培训"),
    ("区委宣传部", "新时代文明实践站点提档升级"),
    ("区委宣传部", "党的创新理论“六进”宣讲"),
    ("区委政法委", "党建引领网格化治理“3+5+X”落地"),
    ("区委编办", "街道机构改革职能下沉清单"),
    ("区民政局", "社区服务阵地“去行政化”改造"),
    ("区财政局", "村级组织运转经费保障提标"),
    ("区人社局", "社区工作者职业体系建设"),
    ("区住建局", "老旧小区改造中的“红色物业”建设"),
    ("区工信局", "非公企业党组织“两个覆盖”攻坚"),
    ("区教体局", "中小学校党组织领导的校长负责制"),
    ("区卫健委", "公立医院党委领导下的院长负责制"),
    ("区国资办", "国有企业党建与生产经营深度融合"),
    ("区机关工委", "机关党建“模范机关”创建"),
)
BREAKTHROUGH = (
    "“一社区一品牌”示范点打造",
    "党员中心户服务半径全覆盖",
    "在职党员“双报到”常态化",
    "老旧楼院红色物业试点",
    "“吹哨报到”机制运行提效",
    "新业态新就业群体党建破题",
    "楼宇党建“红色驿站”建设",
)
MILESTONES = ("制定方案", "组织实施", "中期评估", "总结验收")
BRAND_WORDS = (
    "红色引擎",
    "先锋堡垒",
    "连心桥",
    "初心驿站",
    "海风红帆",
    "果乡先锋",
    "红帆领航",
    "渔港党旗红",
    "匠心先锋",
    "一线红",
    "暖心小院",
    "红色管家",
)


def load(ctx):
    if KeyTask.objects.exists():
        return
    rng = ctx.rng("tasks")
    today = ctx.today
    start = today.replace(month=1, day=1)
    district = Organization.objects.get(code="370105")
    for lead_unit, title in KEY_TASKS:
        _task(rng, today, start, district, TaskKind.KEY_TASK, title, lead_unit, rng_name(rng))
    children = Organization.objects.get_children(district)
    streets = list(children.filter(kind=OrgKind.COMMITTEE).order_by("path"))
    for n in range(21):
        street = streets[n % len(streets)]
        title = f"{street.short_name or street.name[:-3]}{BREAKTHROUGH[n % len(BREAKTHROUGH)]}"
        _task(rng, today, start, street, TaskKind.BREAKTHROUGH, title, street.name, "书记")
    _brands(ctx, rng, today)
    _guodian(ctx, ctx.rng("tasks.guodian"), today, start)


GUODIAN_TASKS = (
    ("郭店街道党工委", "党建引领网格化治理全覆盖"),
    ("郭店街道党工委", "“一支部一品牌”创建"),
    ("郭店街道组织办", "党员教育“学习强国”积分提升"),
    ("郭店街道组织办", "软弱涣散村党组织整顿"),
)


def _guodian(ctx, rng, today, start):
    """郭店街道's own board: the street's key tasks, followed like the district's."""
    street = Organization.objects.filter(code="370112-01").first()
    if street is None:
        return
    for lead_unit, title in GUODIAN_TASKS:
        _task(rng, today, start, street, TaskKind.KEY_TASK, title, lead_unit, rng_name(rng))


def rng_name(rng):
    return rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(
        ("建国", "海涛", "丽", "志强", "静", "磊")
    )


def _task(rng, today, start, org, kind, title, lead_unit, lead_person):
    due = start + timedelta(days=rng.randrange(200, 600))
    steps = [
        (name, start + (due - start) * (i + 1) / (len(MILESTONES) + 1))
        for i, name in enumerate(MILESTONES)
    ]
    task = services.create_task(
        org,
        actor=None,
        kind=kind,
        title=title,
        lead_unit=lead_unit,
        lead_person=lead_person,
        co_units="相关街道党工委",
        starts_on=start,
        due_on=due,
        description=f"{title}，{lead_unit}牵头，按月调度、挂图作战。",
        milestones=steps,
    )
    _history(rng, today, task)


def _history(rng, today, task):
    """Weekly reports up to today; most tasks on pace, some behind, a few finished early."""
    pace = rng.choice((1.0, 1.0, 1.0, 0.6, 1.3))
    span = (task.due_on - task.starts_on).days
    updates, week = [], task.starts_on - timedelta(days=task.starts_on.weekday())
    progress = 0
    while week <= today - timedelta(days=rng.choice((0, 7, 21))):
        elapsed = max((week - task.starts_on).days, 0)
        progress = min(100, round(100 * pace * elapsed / span))
        updates.append(
            TaskUpdate(task=task, week_of=week, progress=progress, summary="按计划推进。")
        )
        if progress == 100:
            break
        week += timedelta(days=7)
    TaskUpdate.objects.bulk_create(updates)
    task.progress = progress
    task.completed_on = updates[-1].week_of if progress == 100 else None
    task.save(update_fields=["progress", "completed_on"])
    task.milestones.filter(due_on__lte=today - timedelta(days=rng.choice((0, 0, 30)))).update(
        done_on=today
    )


def _brands(ctx, rng, today):
    street = Organization.objects.get(name="大季家街道党工委")
    below = Organization.objects.get_descendants(street)
    orgs = list(below.exclude(kind=OrgKind.GROUP).order_by("path"))
    chosen = set(rng.sample(range(len(orgs)), 5))
    for i, org in enumerate(orgs):
        if BrandPlan.objects.filter(organization=org).exists():
            continue
        base = org.name.replace("党支部", "").replace("党总支", "").replace("有限公司", "")
        name = f"{base[:6]}·{BRAND_WORDS[i % len(BRAND_WORDS)]}"
        plan = BrandPlan.objects.create(
            organization=org,
            name=name,
            year=today.year - rng.choice((0, 0, 1)),
            concept="街道有精神、科室有理念、党员有诺言，党建创品牌(三有一创)。",
            goals="一年打基础，两年见成效，形成可复制的经验。",
            is_key=i in chosen,
            guide="街道组织办" if i in chosen else "",
            status=BrandStatus.BUILDING,
        )
        BrandMilestone.objects.bulk_create(
            BrandMilestone(
                plan=plan,
                title=title,
                due_on=today + timedelta(days=offset),
                done_on=today + timedelta(days=offset) if offset < 0 else None,
            )
            for title, offset in (("提炼品牌内涵", -200), ("阵地挂牌", -60), ("经验总结", 120))
        )
