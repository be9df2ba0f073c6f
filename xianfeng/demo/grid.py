"""Grids of the demo: 瑞祥社区's four-level chain, 丈老沟村's 划片, and 天桥区's "3+5+X" grids.

- 瑞祥社区 (大季家, seed 002): 社区党总支 → 4 网格党支部 → 12 楼栋党小组 → 51 党员中心户,
  with households, visits and a few months of activities. The 王魁 case: 中心户 赵美菊
  (1号楼) and 网格助理员 姜君 (第一网格, the `wangge` login) exist under those names, and
  王魁's household is 1号楼1单元201.
- 丈老沟村 (seed 002): 组织委员 荆广伦 answers for the 70-odd households of 二区; the visit
  that found 抗美援朝老兵 荆永义's leaking roof is logged.
- 天桥区 (seed 001): 1,153 grids under its communities and villages, 9,097 grid staff of whom
  5,207 are party members (57%), 15,404 service activities since 1 March with 577 problems
  solved. The district has fewer member records than party-member staff, so each party-member
  staff row links to a member of its own community while they last and the rest carry
  `is_party_member` without a link (their records are in other systems); the share counts the
  flag, so it comes out at 57% either way.
- 郭店, 舜玉路 and 崮云湖: each village and community a grid root with two or three grids (so
  residents find their community on the portal and requests route there); 郭店's are lived.
"""

from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from xianfeng.core.fields import EncryptedField
from xianfeng.grid.models import (
    ActivityKind,
    CareTag,
    CentralHousehold,
    Grid,
    GridKind,
    GridStaff,
    GridStaffRole,
    Household,
    HouseholdTag,
    Resident,
    ServiceActivity,
    Visit,
    ZoneResponsibility,
)
from xianfeng.members.models import Member, Membership
from xianfeng.members.search import fill_search_keys
from xianfeng.members.services import refresh_org_counts
from xianfeng.orgs.models import Domain, Organization, OrgKind

from .names import make_name
from .people import IdAllocator, make_person
from .users import member_login

TIANQIAO = {"grids": 1153, "staff": 9097, "party": 5207, "activities": 15404, "solved": 577}
RUIXIANG_CENTRALS = 51
# "3+5+X": three full-time posts, five part-time forces, any number of volunteers. The report
# names the formula, not the posts; these are the usual ones in Jinan's grid rules.
ROLES_3_5_X = (
    ("leader", "网格长", False),
    ("member", "专职网格员", False),
    ("assistant", "网格助理员", False),
    ("supervisor", "督导员", False),
    ("police", "网格民警", False),
    ("lawyer", "法律顾问", False),
    ("doctor", "家庭医生", False),
    ("property", "物业管理员", False),
    ("volunteer", "网格志愿者", True),
)
ACTIVITY_TITLES = {
    ActivityKind.SERVICE: ("义诊进社区", "免费理发", "家电义修", "代办代缴", "磨刀修伞"),
    ActivityKind.VOLUNTEER: ("环境整治", "楼道清理", "关爱独居老人", "助老送餐"),
    ActivityKind.VISIT: ("入户走访", "重点人群走访", "困难家庭慰问"),
    ActivityKind.MEDIATION: ("邻里纠纷调解", "物业矛盾调处"),
    ActivityKind.PUBLICITY: ("政策宣传进楼栋", "防诈骗宣传", "垃圾分类宣传"),
    ActivityKind.SAFETY: ("安全隐患排查", "消防通道巡查", "燃气安全检查"),
}
LEADER_LOGIN = "zuzhang"
RUIXIANG_CENTRE = (121.35, 37.62)  # 烟台开发区大季家, approximate


def load(ctx):
    rng = ctx.rng("grid")
    ruixiang(ctx, rng)
    zhao = Member.objects.get(name="赵美菊", organization=org_named(ctx, "1号楼栋党小组"))
    member_login(ctx, "zhongxinhu", zhao, "党员中心户 central household (赵美菊)")
    group_leader_login(ctx, zhao.organization, zhao)
    zhanglaogou(ctx, rng)
    tianqiao(ctx, rng)
    guodian(ctx, ctx.rng("grid.guodian"))
    guodian_lived(ctx, ctx.rng("grid.guodian.lived"))
    more_streets(ctx, ctx.rng("grid.more"))


# --- helpers ---------------------------------------------------------------------------


def org_named(ctx, name):
    return next(org for org in ctx.orgs.values() if org.name == name)


def district_of(org):
    return Organization.objects.get(path=org.path[: org.steplen])


def ensure_roles(district, specs):
    have = {r.code: r for r in GridStaffRole.objects.filter(district=district)}
    for order, (code, name, volunteer) in enumerate(specs):
        if code not in have:
            have[code] = GridStaffRole.objects.create(
                district=district, code=code, name=name, is_volunteer=volunteer, order=order
            )
    return have


def ensure_member(ctx, rng, org, name, gender, post=""):
    """A member with this exact name in `org`, created (valid ID, plausible dates) if missing."""
    member = Member.objects.filter(organization=org, name=name).first()
    if member:
        return member
    district = district_of(org)
    ids = IdAllocator()
    while True:
        fields = make_person(rng, ids, region=district.code, today=ctx.today, gender=gender)
        if not Member.objects.filter(id_number=fields["id_number"]).exists():
            break
    fields.update(name=name, post=post)
    member = Member(organization=org, **fields)
    fill_search_keys(member)
    member.save()
    Membership.objects.create(member=member, organization=org, started_on=member.joined_on)
    refresh_org_counts([org.pk])
    return member


def add_root(fields):
    grid = Grid.objects.filter(code=fields["code"]).first()
    return grid or Grid.objects.add_root({**fields, "scope_org": fields.get("organization")})


def bulk_children(parent, rows):
    """Create `rows` (field dicts) under `parent` in one statement, paths computed here."""
    parent.refresh_from_db()
    start = parent.numchild
    nodes = []
    for i, fields in enumerate(rows, start + 1):
        path = Grid._get_path(parent.path, parent.depth + 1, i)
        scope = fields.get("organization") or parent.scope_org
        nodes.append(Grid(path=path, depth=parent.depth + 1, numchild=0, scope_org=scope, **fields))
    Grid.objects.bulk_create(nodes, batch_size=500)
    Grid.objects.filter(pk=parent.pk).update(numchild=start + len(nodes))
    return list(Grid.objects.filter(path__in=[n.path for n in nodes]).order_by("path"))


def square(cx, cy, half):
    ring = [
        [round(cx - half, 5), round(cy - half, 5)],
        [round(cx + half, 5), round(cy - half, 5)],
        [round(cx + half, 5), round(cy + half, 5)],
        [round(cx - half, 5), round(cy + half, 5)],
        [round(cx - half, 5), round(cy - half, 5)],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def phone(rng):
    return rng.choice(("138", "139", "150", "186", "189")) + f"{rng.randrange(10**8):08d}"


def random_tags(rng):
    tags = []
    for tag, share in (
        (CareTag.ELDERLY, 0.16),
        (CareTag.ALONE, 0.06),
        (CareTag.LOW_INCOME, 0.04),
        (CareTag.VETERAN, 0.03),
        (CareTag.DISABLED, 0.02),
    ):
        if rng.random() < share:
            tags.append(tag)
    return tags


def add_households(rng, grid, addresses, *, party=(), named=None):
    """Households (with tags and 1–4 residents) at `addresses`; `named`: {address: head}."""
    named = named or {}
    rows = []
    for address in addresses:
        gender = "M" if rng.random() < 0.5 else "F"
        rows.append(
            Household(
                grid=grid,
                address=address,
                head_name=named.get(address) or make_name(rng, gender),
                phone=phone(rng),
                size=rng.randint(1, 4),
                is_party_household=address in party,
            )
        )
    Household.objects.bulk_create(rows)
    saved = list(Household.objects.filter(grid=grid).order_by("id"))
    tags, residents = [], []
    for h in saved:
        tags += [HouseholdTag(household=h, tag=t) for t in random_tags(rng)]
        residents.append(Resident(household=h, name=h.head_name, relation="户主"))
        for _ in range(h.size - 1):
            residents.append(
                Resident(
                    household=h,
                    name=make_name(rng, rng.choice("MF")),
                    relation=rng.choice(("配偶", "子女", "父母", "孙子女")),
                    birth_year=rng.randint(1940, 2020),
                )
            )
    HouseholdTag.objects.bulk_create(tags)
    Resident.objects.bulk_create(residents)
    return saved


def random_day(rng, start, end):
    return start + timedelta(days=int(rng.random() * ((end - start).days + 1)))


def activity(rng, grid, start, end, **fields):
    kind = rng.choice(list(ACTIVITY_TITLES))
    return ServiceActivity(
        grid=grid,
        kind=kind,
        title=rng.choice(ACTIVITY_TITLES[kind]),
        held_on=random_day(rng, start, end),
        place=grid.name,
        residents_served=rng.randint(5, 60),
        **fields,
    )


def insert_rows(model, columns, rows):
    """Plain INSERTs for the tens of thousands of 天桥 rows: building ORM instances for each
    one costs ten times the insert itself on a small machine."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    # Personal numbers are encrypted by their field, even on this raw path.
    fields = [model._meta.get_field(c.removesuffix("_id")) for c in columns]
    secret = [i for i, f in enumerate(fields) if isinstance(f, EncryptedField)]
    if secret:
        rows = [
            [
                fields[i].get_db_prep_save(v, connection) if i in secret else v
                for i, v in enumerate(r)
            ]
            for r in rows
        ]
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


# --- 瑞祥社区 ----------------------------------------------------------------------------


def ruixiang(ctx, rng):
    if Grid.objects.filter(code="RX").exists():
        return
    general = org_named(ctx, "瑞祥社区党总支")
    roles = ensure_roles(district_of(general), ROLES_3_5_X)
    cx, cy = RUIXIANG_CENTRE
    community = add_root(
        {
            "code": "RX",
            "name": "瑞祥社区",
            "kind": GridKind.COMMUNITY,
            "organization": general,
            "address": "烟台开发区大季家街道瑞祥社区",
            "geometry": square(cx, cy, 0.01),
        }
    )
    branches = list(Organization.objects.filter(path__startswith=general.path, kind=OrgKind.BRANCH))
    offsets = ((-1, 1), (1, 1), (-1, -1), (1, -1))
    grids = bulk_children(
        community,
        [
            {
                "code": f"RX-{i:02d}",
                "name": f"第{'一二三四'[i - 1]}网格",
                "kind": GridKind.GRID,
                "organization": branch,
                "geometry": square(cx + dx * 0.005, cy + dy * 0.005, 0.0048),
            }
            for i, (branch, (dx, dy)) in enumerate(zip(branches, offsets, strict=True), 1)
        ],
    )
    zhao = ensure_member(ctx, rng, org_named(ctx, "1号楼栋党小组"), "赵美菊", "F")
    jiang = ensure_member(ctx, rng, branches[0], "姜君", "F", post="组织委员")
    buildings = []
    for grid, branch in zip(grids, branches, strict=True):
        groups = Organization.objects.filter(path__startswith=branch.path, kind=OrgKind.GROUP)
        gx, gy = grid.geometry["coordinates"][0][0]
        buildings += bulk_children(
            grid,
            [
                {
                    "code": f"{grid.code}-{j:02d}",
                    "name": group.name.removesuffix("栋党小组"),
                    "kind": GridKind.BUILDING,
                    "organization": group,
                    "address": f"瑞祥社区{group.name.removesuffix('栋党小组')}",
                    "geometry": square(gx + 0.0016 + 0.0032 * (j - 1), gy + 0.0048, 0.0012),
                }
                for j, group in enumerate(groups.order_by("path"), 1)
            ],
        )
    centrals = ruixiang_centrals(rng, buildings, zhao)
    ruixiang_staff(ctx, rng, roles, grids, jiang)
    ruixiang_households(ctx, rng, buildings, centrals)


def group_leader_login(ctx, group, zhao):
    """楼栋党小组组长 of 赵美菊's building: the level a 中心户 passes a request up to. A login with
    the 网格员 role on the group, so requests held by the group reach them (the 王魁 case)."""
    from xianfeng.accounts.models import RoleGrant, User
    from xianfeng.accounts.roles import Role

    from . import password_hash

    leader = (
        Member.objects.filter(organization=group)
        .active()
        .exclude(pk=zhao.pk)
        .order_by("id")
        .first()
    )
    if leader is None:
        return
    user = User.objects.filter(username=LEADER_LOGIN).first()
    if user is None:
        user = User(username=LEADER_LOGIN, display_name=leader.name, member=leader)
        user.password = password_hash()
        user.save()
    RoleGrant.objects.get_or_create(user=user, organization=group, role=Role.GRID_WORKER)
    ctx.logins.append(
        (LEADER_LOGIN, f"楼栋党小组组长 building group leader ({leader.name})", group.name)
    )


def ruixiang_centrals(rng, buildings, zhao):
    """51 中心户: 4 per building and a 5th in the three largest, 赵美菊 first in 1号楼."""
    sizes = {
        b.pk: Member.objects.filter(organization=b.organization).active().count() for b in buildings
    }
    extra = sorted(buildings, key=lambda b: (-sizes[b.pk], b.path))[: RUIXIANG_CENTRALS - 48]
    rows = []
    for building in buildings:
        want = 4 + (building in extra)
        pool = list(
            Member.objects.filter(organization=building.organization).active().order_by("id")
        )
        if building.code == "RX-01-01":
            pool = [zhao] + [m for m in pool if m.pk != zhao.pk]
        branch_members = Member.objects.filter(
            organization__path=building.organization.path[: -Organization.steplen]
        ).order_by("id")
        pool += [m for m in branch_members if m not in pool]
        for n, member in enumerate(pool[:want], 1):
            unit = (n - 1) % 3 + 1
            rows.append(
                CentralHousehold(
                    member=member,
                    grid=building,
                    address=f"{building.name}{unit}单元{n}01",
                    households_served=rng.randint(10, 16),
                    services=rng.choice(
                        ("代办代缴、政策咨询", "邻里调解、看望老人", "代购代取、助老助残")
                    ),
                )
            )
    CentralHousehold.objects.bulk_create(rows)
    return rows


def ruixiang_staff(ctx, rng, roles, grids, jiang):
    from xianfeng.accounts.models import User

    wangge = User.objects.filter(username="wangge").first()
    start = date(2019, 3, 1)
    rows = [
        GridStaff(
            grid=grids[0],
            role=roles["assistant"],
            name="姜君",
            member=jiang,
            is_party_member=True,
            user=wangge,
            phone=jiang.phone,
            started_on=start,
        )
    ]
    for grid in grids:
        secretary = Member.objects.filter(organization=grid.organization).order_by("id").first()
        rows.append(
            GridStaff(
                grid=grid,
                role=roles["leader"],
                name=secretary.name,
                member=secretary,
                is_party_member=True,
                phone=secretary.phone,
                started_on=start,
            )
        )
        for code in ("member", "police", "doctor", "volunteer"):
            party = rng.random() < 0.4
            rows.append(
                GridStaff(
                    grid=grid,
                    role=roles[code],
                    name=make_name(rng, rng.choice("MF")),
                    is_party_member=party,
                    phone=phone(rng),
                    started_on=start + timedelta(days=rng.randrange(700)),
                )
            )
    GridStaff.objects.bulk_create(rows)


def ruixiang_households(ctx, rng, buildings, centrals):
    by_building = {}
    for c in centrals:
        by_building.setdefault(c.grid_id, []).append(c)
    end = ctx.today
    start = end - timedelta(days=180)
    activities, visits = [], []
    for building in buildings:
        addresses = [
            f"{building.name}{unit}单元{floor}0{door}"
            for unit in (1, 2, 3)
            for floor in range(1, 7)
            for door in (1, 2)
            if rng.random() < 0.85
        ]
        mine = by_building.get(building.pk, [])
        party = {c.address for c in mine} | {a for a in addresses if rng.random() < 0.06}
        addresses = sorted(set(addresses) | {c.address for c in mine})
        named = {"1号楼1单元201": "王魁"} if building.code == "RX-01-01" else {}
        addresses = sorted(set(addresses) | set(named))
        households = add_households(rng, building, addresses, party=party, named=named)
        for h in rng.sample(households, 4):
            visits.append(
                Visit(
                    household=h,
                    visited_on=random_day(rng, start, end),
                    visitor_name=mine[0].member.name if mine else "网格员",
                    found=rng.choice(("身体状况良好", "反映楼道灯不亮，已报物业", "需要代办医保")),
                    needs_follow_up=rng.random() < 0.2,
                )
            )
        for _ in range(rng.randint(8, 12)):
            activities.append(
                activity(rng, building, start, end, participants="党员中心户、网格员")
            )
    Visit.objects.bulk_create(visits)
    ServiceActivity.objects.bulk_create(activities)
    wangkui = Household.objects.get(grid__code="RX-01-01", address="1号楼1单元201")
    Visit.objects.create(
        household=wangkui,
        visited_on=date(2020, 2, 19),
        visitor_name="赵美菊",
        found="王魁需回青岛复工，缺跨市通行证明；已反映给网格助理员姜君，当天办理健康通行卡。",
    )


# --- 丈老沟村 -------------------------------------------------------------------------------


def zhanglaogou(ctx, rng):
    if Grid.objects.filter(code="ZLG").exists():
        return
    branch = org_named(ctx, "丈老沟村党支部")
    officer = ensure_member(ctx, rng, branch, "荆广伦", "M", post="组织委员")
    village = add_root(
        {"code": "ZLG", "name": "丈老沟村", "kind": GridKind.VILLAGE, "organization": branch}
    )
    zones = bulk_children(
        village,
        [
            {"code": f"ZLG-{n}", "name": f"{'一二三'[n - 1]}区", "kind": GridKind.ZONE}
            for n in (1, 2, 3)
        ],
    )
    second = zones[1]
    ZoneResponsibility.objects.create(
        member=officer,
        grid=second,
        households=72,
        note="组织委员划片联系二区",
        started_on=date(2019, 5, 1),
    )
    addresses = [f"丈老沟村二区{n}号" for n in range(1, 73)]
    households = add_households(rng, second, addresses, named={"丈老沟村二区18号": "荆永义"})
    veteran = next(h for h in households if h.head_name == "荆永义")
    HouseholdTag.objects.get_or_create(household=veteran, tag=CareTag.VETERAN)
    HouseholdTag.objects.get_or_create(household=veteran, tag=CareTag.ELDERLY)
    Visit.objects.create(
        household=veteran,
        visited_on=ctx.today - timedelta(days=5),
        visitor_name="荆广伦",
        found="大雨后抗美援朝老兵荆永义家房屋漏水，当即召集人员修好。",
    )


# --- 天桥区 -----------------------------------------------------------------------------


def tianqiao(ctx, rng):
    district = Organization.objects.get(code="370105")
    if Grid.objects.filter(scope_org__path__startswith=district.path).exists():
        return
    roles = ensure_roles(district, ROLES_3_5_X)
    communities = list(
        Organization.objects.filter(path__startswith=district.path, depth=3, kind=OrgKind.BRANCH)
        .exclude(name__contains="机关")
        .order_by("path")
    )
    shares = split(TIANQIAO["grids"], len(communities), rng)
    last = Grid.objects.get_last_root_node()
    first = Grid._str2int(last.path) + 1 if last else 1
    roots, cells = [], []
    for n, (org, count) in enumerate(zip(communities, shares, strict=True), first):
        place = org.name.removesuffix("党支部")
        path = Grid._get_path(None, 1, n)
        roots.append(
            Grid(
                path=path,
                depth=1,
                numchild=count,
                code=f"G{org.code}",
                name=place,
                kind=GridKind.VILLAGE if place.endswith("村") else GridKind.COMMUNITY,
                organization=org,
                scope_org=org,
            )
        )
        cells += [
            Grid(
                path=Grid._get_path(path, 2, i),
                depth=2,
                numchild=0,
                code=f"G{org.code}-{i:02d}",
                name=f"{place}第{i}网格",
                kind=GridKind.GRID,
                scope_org=org,
            )
            for i in range(1, count + 1)
        ]
    Grid.objects.bulk_create(roots + cells, batch_size=500)
    grids = list(Grid.objects.filter(path__in=[c.path for c in cells]).order_by("path"))
    tianqiao_staff(rng, roles, grids, communities)
    tianqiao_activities(ctx, rng, grids)


GUODIAN = "370112-01"  # 郭店街道党工委
GUODIAN_CENTRE = (117.2050, 36.6800)  # roughly where 郭店 lies east of Jinan
GUODIAN_COLUMNS, GUODIAN_HALF = 7, 0.006


def strip(cx, cy, half, i, count):
    """The i-th of `count` vertical strips of the square of centre (cx, cy)."""
    width = 2 * half / count
    left, right = cx - half + (i - 1) * width, cx - half + i * width
    corners = ((left, cy - half), (right, cy - half), (right, cy + half), (left, cy + half))
    ring = [[round(x, 5), round(y, 5)] for x, y in (*corners, corners[0])]
    return {"type": "Polygon", "coordinates": [ring]}


def guodian(ctx, rng):
    """郭店街道: each village and community branch a grid root with two or three grids, and a
    few months of grid service activities (requests are routed through them, demo/requests)."""
    street = ctx.orgs.get(GUODIAN)
    grids = street_grids(rng, street, "GD", GUODIAN_CENTRE) if street else []
    start = ctx.today - timedelta(days=120)
    ServiceActivity.objects.bulk_create(
        activity(rng, grid, start, ctx.today, participants="网格员、志愿者")
        for grid in grids
        for _ in range(rng.randint(2, 5))
    )


# 舜玉路 (its 智惠舜玉 app is what the residents' portal follows) and 崮云湖: the communities
# and villages as grid roots, so residents find them on the portal and requests route there.
MORE_STREETS = (
    ("舜玉路街道党工委", "SY", (117.0050, 36.6350)),
    ("崮云湖街道党工委", "GY", (116.9500, 36.5300)),
)


def more_streets(ctx, rng):
    for name, prefix, centre in MORE_STREETS:
        street = next((o for o in ctx.orgs.values() if o.name == name), None)
        if street is not None:
            street_grids(rng, street, prefix, centre)


def _place(org_name):
    for suffix in ("综合党委", "党总支", "党支部", "党委"):
        if org_name.endswith(suffix):
            return org_name.removesuffix(suffix)
    return org_name


def street_grids(rng, street, prefix, centre):
    """Each village and community branch of `street` a grid root (drawn as a square of a
    lattice around `centre`) with two or three grids (strips of it); → the new grids, or []
    when the street has grids already."""
    if Grid.objects.filter(scope_org__path__startswith=street.path).exists():
        return []
    # A community is the street's child organization, whatever its kind (舜园社区综合党委 with
    # four branches is one community, as is 舜函社区党支部).
    orgs = list(
        Organization.objects.filter(
            path__startswith=street.path,
            depth=street.depth + 1,
            domain__in=(Domain.RURAL, Domain.COMMUNITY),
        ).order_by("path")
    )
    last = Grid.objects.get_last_root_node()
    first = Grid._str2int(last.path) + 1 if last else 1
    roots, cells = [], []
    for k, (n, org) in enumerate(enumerate(orgs, first)):
        place = _place(org.name)
        path = Grid._get_path(None, 1, n)
        count = rng.randint(2, 3)
        kind = GridKind.VILLAGE if org.domain == Domain.RURAL else GridKind.COMMUNITY
        # The big screen's map needs shapes: a lattice of squares, each one's grids strips.
        cx = centre[0] + (k % GUODIAN_COLUMNS - GUODIAN_COLUMNS / 2) * 2 * GUODIAN_HALF
        cy = centre[1] - (k // GUODIAN_COLUMNS) * 2 * GUODIAN_HALF
        roots.append(
            Grid(
                path=path,
                depth=1,
                numchild=count,
                code=f"{prefix}{n:03d}",
                name=place,
                kind=kind,
                organization=org,
                scope_org=org,
                geometry=square(cx, cy, GUODIAN_HALF * 0.95),
            )
        )
        cells += [
            Grid(
                path=Grid._get_path(path, 2, i),
                depth=2,
                numchild=0,
                code=f"{prefix}{n:03d}-{i:02d}",
                name=f"{place}第{i}网格",
                kind=GridKind.GRID,
                scope_org=org,
                geometry=strip(cx, cy, GUODIAN_HALF * 0.95, i, count),
            )
            for i in range(1, count + 1)
        ]
    Grid.objects.bulk_create(roots + cells, batch_size=500)
    return list(Grid.objects.filter(path__in=[c.path for c in cells]).order_by("path"))


GUODIAN_LIVED = 120  # activities over the year with members taking part (service.activity)


def guodian_lived(ctx, rng):
    """A year of 郭店's grid service activities with party members taking part, each recorded
    through `record_activity` on its day (the `service.activity` points come from its sender);
    two to five members of the grid's branch take part."""
    from xianfeng.grid import services_people as people

    street = ctx.orgs.get(GUODIAN)
    if street is None or ServiceActivity.objects.filter(idempotency_key="demo:gd:0").exists():
        return
    grids = list(
        Grid.objects.filter(scope_org__path__startswith=street.path, kind=GridKind.GRID).order_by(
            "path"
        )
    )
    pools = {}
    for member in (
        Member.objects.active()
        .filter(organization__in={g.scope_org_id for g in grids})
        .order_by("id")
    ):
        pools.setdefault(member.organization_id, []).append(member)
    grids = [g for g in grids if len(pools.get(g.scope_org_id, ())) >= 2]
    for n in range(GUODIAN_LIVED if grids else 0):
        grid = grids[n % len(grids)]
        kind = rng.choice(list(ACTIVITY_TITLES))
        day = ctx.today - timedelta(days=rng.randrange(1, 360))
        pool = pools[grid.scope_org_id]
        fields = {
            "title": rng.choice(ACTIVITY_TITLES[kind]),
            "kind": kind,
            "held_on": day,
            "members": rng.sample(pool, min(len(pool), rng.randint(2, 5))),
            "place": grid.name,
            "participants": "网格员、党员志愿者",
            "residents_served": rng.randint(5, 60),
            "problems_solved": int(rng.random() < 0.1),
            "key": f"demo:gd:{n}",
        }
        moment = timezone.make_aware(datetime.combine(day, time(rng.randrange(15, 19))))
        ctx.at(moment, lambda g=grid, f=fields: people.record_activity(g, actor=None, **f))


def split(total, parts, rng):
    weights = [rng.uniform(0.7, 1.3) for _ in range(parts)]
    shares = [int(total * w / sum(weights)) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % parts] += 1
    return shares


def tianqiao_staff(rng, roles, grids, communities):
    """9,097 staff: the three full-time posts in every grid, the rest spread over 5 + X."""
    core = ("leader", "member", "assistant")
    others = [code for code, _n, _v in ROLES_3_5_X if code not in core]
    plan = [(g, code) for g in grids for code in core]
    plan += [(rng.choice(grids), rng.choice(others)) for _ in range(TIANQIAO["staff"] - len(plan))]
    # Every 网格长 is a party member; the rest of the 5,207 are drawn from the other posts.
    leaders = [i for i, (_g, code) in enumerate(plan) if code == "leader"]
    rest = [i for i, (_g, code) in enumerate(plan) if code != "leader"]
    party = set(leaders) | set(rng.sample(rest, TIANQIAO["party"] - len(leaders)))
    pools = {
        org.pk: list(Member.objects.filter(organization=org).active().order_by("id"))
        for org in communities
    }
    rows = []
    for i, (grid, code) in enumerate(plan):
        member = None
        if i in party:
            pool = pools.get(grid.scope_org_id)
            member = pool.pop() if pool else None
        rows.append(
            (
                grid.pk,
                roles[code].pk,
                member.name if member else make_name(rng, rng.choice("MF")),
                member.pk if member else None,
                i in party,
                member.phone if member else phone(rng),
                date(2020, 3, 1) + timedelta(days=rng.randrange(200)),
            )
        )
    columns = ("grid_id", "role_id", "name", "member_id", "is_party_member", "phone", "started_on")
    insert_rows(GridStaff, columns, rows)


def tianqiao_activities(ctx, rng, grids):
    """15,404 activities since 1 March, 577 of them solving one problem each."""
    year = ctx.today.year if ctx.today >= date(ctx.today.year, 4, 1) else ctx.today.year - 1
    start = date(year, 3, 1)
    solved = set(rng.sample(range(TIANQIAO["activities"]), TIANQIAO["solved"]))
    now = timezone.now()
    rows = []
    for i in range(TIANQIAO["activities"]):
        grid = rng.choice(grids)
        kind = rng.choice(list(ACTIVITY_TITLES))
        title = rng.choice(ACTIVITY_TITLES[kind])
        held_on = random_day(rng, start, ctx.today)
        served = rng.randint(5, 60)
        rows.append(
            (grid.pk, title, str(kind), held_on, grid.name, "", served, int(i in solved), now)
        )
    columns = (
        "grid_id",
        "title",
        "kind",
        "held_on",
        "place",
        "participants",
        "residents_served",
        "problems_solved",
        "created_at",
    )
    insert_rows(ServiceActivity, columns, rows)
