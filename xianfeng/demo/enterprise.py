"""企业一站式服务 in 崮云湖街道 (report 004): 20 enterprises (those in 创新大厦 served by its
联合党支部), three 企业服务专员 of the street, and four months of cases in every state, some
overdue. Names are plausible local ones, not from the report; credit codes are valid GB 32100
codes made up for 长清区 (370113)."""

from datetime import timedelta

from django.utils import timezone

from xianfeng.accounts.models import RoleGrant, User
from xianfeng.accounts.roles import Role
from xianfeng.enterprise.creditcode import check_character
from xianfeng.enterprise.models import GROUP, Enterprise, EnterpriseCase
from xianfeng.members.models import Gender
from xianfeng.resident_requests.models import Category, RequestEvent, ResidentRequest, Status
from xianfeng.resident_requests.services import due_after

from . import password_hash
from .names import make_name
from .requests import _event, _working_moment

STREET = "崮云湖街道党工委"
INNOVATION = "创新大厦联合党支部"
SPECIALISTS = (("qiye1", "孙晓雯"), ("qiye2", "高建军"), ("qiye3", "韩丽"))
# name, industry, in 创新大厦
ENTERPRISES = (
    ("济南云湖信息科技有限公司", "tech", True),
    ("山东智创软件有限公司", "tech", True),
    ("济南大学城创客空间管理有限公司", "services", True),
    ("济南青禾教育咨询有限公司", "education", True),
    ("山东数联电子商务有限公司", "trade", True),
    ("济南崮山新材料有限公司", "manufacturing", False),
    ("济南长清莲台山文化旅游有限公司", "services", False),
    ("山东丰齐建设工程有限公司", "construction", False),
    ("济南紫薇农业科技有限公司", "agriculture", False),
    ("济南海棠餐饮管理有限公司", "catering", False),
    ("山东书香印务有限公司", "manufacturing", False),
    ("济南丁香物业服务有限公司", "services", False),
    ("济南大学路汽车服务有限公司", "services", False),
    ("山东崮云湖生物科技有限公司", "tech", False),
    ("济南乐天商贸有限公司", "trade", False),
    ("济南长清精密机械有限公司", "manufacturing", False),
    ("山东常春藤幼教科技有限公司", "education", False),
    ("济南创科人力资源服务有限公司", "services", False),
    ("济南湖畔酒店管理有限公司", "catering", False),
    ("山东石店绿色食品有限公司", "agriculture", False),
)
TEXTS = {
    "ent_registration": "新设分公司，需协助办理工商注册和税务登记",
    "ent_license": "食品经营许可证到期换证",
    "ent_project": "新建研发楼项目立项与规划手续代办",
    "ent_recruitment": "招聘软件测试、销售岗位各5人，希望对接驻地高校毕业生",
    "ent_policy": "咨询高新技术企业认定及研发费用加计扣除政策",
    "ent_financing": "流动资金缺口约200万元，希望对接辖区银行",
    "ent_utilities": "新厂房用电增容报装",
}
CASES = 90
DAYS = 120


def load(ctx):
    orgs = {org.name: org for org in ctx.orgs.values() if org.name in (STREET, INNOVATION)}
    categories = list(Category.objects.filter(group=GROUP, code__in=TEXTS).order_by("order"))
    if STREET not in orgs or not categories:
        return
    rng = ctx.rng("enterprise")
    specialists = ensure_specialists(ctx, orgs[STREET])
    enterprises = ensure_enterprises(rng, orgs, specialists)
    history(ctx, rng, categories, enterprises)


def ensure_specialists(ctx, street):
    users = []
    for username, display in SPECIALISTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, display_name=display)
            user.password = password_hash()
            user.save()
        RoleGrant.objects.get_or_create(user=user, organization=street, role=Role.GRID_WORKER)
        ctx.logins.append((username, "企业服务专员 enterprise specialist", street.name))
        users.append(user)
    return users


def credit_code(n):
    body = f"91370113MA{3000000 + n * 7919:07d}"[:17]
    return body + check_character(body)


def ensure_enterprises(rng, orgs, specialists):
    innovation = orgs.get(INNOVATION)
    existing = {
        e.credit_code: e for e in Enterprise.objects.filter(name__in=[n for n, *_ in ENTERPRISES])
    }
    rows = []
    for n, (name, industry, inside) in enumerate(ENTERPRISES):
        contact = make_name(rng, rng.choice((Gender.MALE, Gender.FEMALE)))
        phone = f"13{rng.randrange(5, 10)}{rng.randrange(10**8):08d}"
        if credit_code(n) in existing:
            continue
        org = innovation if inside and innovation else orgs[STREET]
        rows.append(
            Enterprise(
                name=name,
                credit_code=credit_code(n),
                industry=industry,
                address=f"崮云湖街道创新大厦{n + 3}层"
                if inside
                else f"崮云湖街道大学路{100 + n * 7}号",
                contact_name=contact,
                contact_phone=phone,
                organization=org,
                party_org=innovation if inside else None,
                specialist=specialists[n % len(specialists)],
            )
        )
    Enterprise.objects.bulk_create(rows)
    return list(
        Enterprise.objects.filter(credit_code__in=[credit_code(n) for n in range(len(ENTERPRISES))])
        .select_related("organization", "specialist")
        .order_by("credit_code")
    )


def history(ctx, rng, categories, enterprises):
    """CASES cases over DAYS days: mostly solved (a few late), some in hand, some overdue."""
    if ResidentRequest.objects.filter(idempotency_key="demo:ent:0").exists():
        return
    now = timezone.now()
    rows, links, plans = [], [], []
    for n in range(CASES):
        enterprise = enterprises[rng.randrange(len(enterprises))]
        category = categories[rng.randrange(len(categories))]
        created = _working_moment(rng, ctx.today - timedelta(days=rng.randrange(0, DAYS)))
        org = enterprise.organization
        req = ResidentRequest(
            idempotency_key=f"demo:ent:{n}",
            tracking_code=f"QYFW{n:06d}",
            category=category,
            description=f"{enterprise.name}：{TEXTS[category.code]}（演示数据）",
            channel=rng.choice(("visit", "visit", "phone", "walk_in")),
            organization=org,
            address=enterprise.address,
            resident_name=enterprise.contact_name,
            resident_phone=enterprise.contact_phone,
            respond_due=due_after(created, category.respond_within, category.respond_unit),
            finish_due=due_after(created, category.finish_within, category.finish_unit),
            created_at=created,
            level=0,
            level_code=org.kind,
            level_label=org.name[:40],
            holder_org=org,
        )
        plans.append(_fate(rng, req, enterprise, now))
        rows.append(req)
        links.append(enterprise)
    ResidentRequest.objects.bulk_create(rows)
    EnterpriseCase.objects.bulk_create(
        EnterpriseCase(request=req, enterprise=e) for req, e in zip(rows, links, strict=True)
    )
    RequestEvent.objects.bulk_create(
        [e for req, plan in zip(rows, plans, strict=True) for e in plan(req)], batch_size=1000
    )


def _fate(rng, req, enterprise, now):
    owner = enterprise.specialist
    name = owner.display_name if owner else "企业服务办公室"
    span = req.finish_due - req.created_at
    respond = timedelta(minutes=rng.randrange(10, 60 * 6))
    finish = span * rng.choice((0.2, 0.4, 0.6, 0.8, 0.9, 1.3))  # one in six late
    if req.created_at + respond > now:
        req.next_due = req.respond_due
    else:
        req.responded_at = req.created_at + respond
        req.owner, req.owner_name = owner, name
        req.status = Status.ACCEPTED
        if req.created_at + finish < now and rng.random() < 0.85:
            req.status = Status.SOLVED
            req.solved_at = req.closed_at = req.created_at + finish
            req.rating = rng.choice((5, 5, 5, 4, 4, 3))
        else:
            req.next_due = req.finish_due  # past due for the older ones: the overdue flags

    def events(saved):
        label = saved.level_label
        out = [_event(saved, saved.created_at, "submitted", Status.NEW, 0, label, name, "上门走访")]
        if saved.responded_at:
            out.append(
                _event(saved, saved.responded_at, "accepted", Status.ACCEPTED, 0, label, name)
            )
        if saved.solved_at:
            out.append(
                _event(
                    saved, saved.solved_at, "solved", Status.SOLVED, 0, label, name, "已协助办结"
                )
            )
        return out

    return events
