"""A synthetic city for scale tests: city → districts → streets → branches → groups.

Organizations are written with bulk_create and treebeard materialized paths computed here
(steplen 4, alphabet 0-9A-Z); members are streamed in batches, so memory stays flat whatever N.
"""

import math
import random
import resource
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from xianfeng.members.idcard import make_id_number
from xianfeng.members.models import Category, Gender, Member, Membership, MemberStatus
from xianfeng.members.search import fill_search_keys
from xianfeng.orgs.models import Domain, Organization, OrgKind

from .names import make_name
from .people import EDUCATION_POOL, PHONE_PREFIXES, add_years

DISTRICTS = (
    "历下区",
    "市中区",
    "槐荫区",
    "天桥区",
    "历城区",
    "长清区",
    "章丘区",
    "济阳区",
    "莱芜区",
    "钢城区",
    "平阴县",
    "商河县",
    "高新区",
    "南部山区",
    "起步区",
)
PLACES = (
    "东关",
    "西关",
    "南关",
    "北关",
    "文化",
    "和平",
    "新华",
    "建设",
    "解放",
    "青年",
    "胜利",
    "人民",
    "泉城",
    "明湖",
    "舜耕",
    "千佛山",
    "趵突泉",
    "大明湖",
    "燕山",
    "姚家",
    "王舍人",
    "全福",
    "洪楼",
    "山大",
    "甸柳",
    "龙洞",
    "智远",
    "旅游路",
    "经十路",
    "工业南路",
    "华山",
    "荷花",
    "鲍山",
    "港沟",
    "彩石",
    "唐冶",
    "孙村",
    "仲宫",
    "柳埠",
    "西营",
    "党家",
    "十六里河",
)
UNIT_KINDS = (
    ("社区", Domain.COMMUNITY),
    ("村", Domain.RURAL),
    ("小学", Domain.SCHOOL),
    ("有限公司", Domain.PRIVATE),
    ("集团", Domain.SOE),
    ("卫生院", Domain.INSTITUTION),
    ("协会", Domain.SOCIAL),
    ("办事处机关", Domain.ORGAN),
)
# Regions for synthetic IDs; the demo uses other Jinan/Yantai codes, so the two never collide.
REGIONS = ("370102", "370104", "370114", "370115", "370116", "370117", "370124", "370126")
ID_BORN_FROM = date(1936, 1, 1)
ID_DAYS = (date(2002, 12, 31) - ID_BORN_FROM).days + 1
ID_SPACE = len(REGIONS) * 1000 * ID_DAYS
ID_STRIDE = 7_919  # prime, coprime to ID_SPACE: i → i * stride mod space is a permutation
IDS_PER_CITY = 10_000_000
MEMBER_BATCH = 5_000
ORG_BATCH = 5_000


def step(n: int) -> str:
    """The n-th (1-based) treebeard path step: base 36, four characters."""
    alphabet = Organization.alphabet
    digits = ""
    while n:
        n, r = divmod(n, len(alphabet))
        digits = alphabet[r] + digits
    return digits.rjust(Organization.steplen, "0")


def city_id_number(index: int):
    """(ID number, birth date, gender) for the index-th synthetic member; unique per index."""
    j = (index * ID_STRIDE) % ID_SPACE
    j, region = divmod(j, len(REGIONS))
    day, sequence = divmod(j, 1000)
    born = ID_BORN_FROM + timedelta(days=day)
    gender = Gender.MALE if sequence % 2 else Gender.FEMALE
    return make_id_number(REGIONS[region], born, sequence), born, gender


@dataclass
class CityPlan:
    members: int
    orgs: int
    seed: int = 1
    prefix: str = "GC"
    out: object = None

    def log(self, message):
        if self.out is not None:
            self.out.write(message)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def shape(orgs: int):
    """(districts, streets per district) for an organization budget."""
    districts = max(2, min(15, orgs // 4000))
    streets = max(2, min(10, orgs // (districts * 40)))
    return districts, streets


def unit_shapes(rng, budget: int):
    """Units of one street: ("branch", groups) or ("general", [groups per branch]), filling budget."""
    units = []
    while budget > 0:
        if budget >= 4 and rng.random() < 0.12:
            branches = []
            left = budget - 1
            for _ in range(rng.randint(2, 5)):
                if left < 1:
                    break
                groups = min(left - 1, rng.choice((0, 0, 2, 3)))
                branches.append(groups)
                left -= 1 + groups
            units.append(("general", branches))
            budget = left
        else:
            groups = min(budget - 1, rng.choice((0, 0, 0, 2, 3, 4)))
            units.append(("branch", groups))
            budget -= 1 + groups
    return units


def org_rows(plan: CityPlan, rng, root_path: str):
    """Yield Organization instances depth-first with path, depth and numchild filled in."""
    districts, streets = shape(plan.orgs)
    seq = iter(range(1, plan.orgs + 1))

    def make(path, numchild, name, kind, domain=Domain.ORGAN, **extra):
        return Organization(
            path=path,
            depth=len(path) // Organization.steplen,
            numchild=numchild,
            code=f"{plan.prefix}{next(seq):07d}",
            name=name,
            kind=kind,
            domain=domain,
            founded_on=date(1990, 1, 1) + timedelta(days=rng.randrange(12_000)),
            **extra,
        )

    yield make(root_path, districts, "先锋模拟市委", OrgKind.COMMITTEE)
    street_count = districts * streets
    spare = plan.orgs - 1 - districts - street_count
    for d in range(1, districts + 1):
        d_path = root_path + step(d)
        d_name = DISTRICTS[(d - 1) % len(DISTRICTS)]
        yield make(d_path, streets, f"{d_name}委", OrgKind.COMMITTEE)
        for s in range(1, streets + 1):
            index = (d - 1) * streets + s - 1
            budget = spare // street_count + (1 if index < spare % street_count else 0)
            units = unit_shapes(rng, budget)
            s_path = d_path + step(s)
            place = PLACES[index % len(PLACES)]
            yield make(s_path, len(units), f"{d_name}{place}街道党工委", OrgKind.COMMITTEE)
            for u, unit in enumerate(units, 1):
                yield from unit_rows(make, rng, s_path + step(u), unit, u)


def unit_rows(make, rng, path, unit, number):
    kind, detail = unit
    place = rng.choice(PLACES)
    suffix, domain = rng.choice(UNIT_KINDS)
    title = f"{place}{suffix}"
    if kind == "branch":
        yield make(path, detail, f"{title}第{number}党支部", OrgKind.BRANCH, domain)
        yield from group_rows(make, path, detail, domain)
        return
    yield make(path, len(detail), f"{title}党总支", OrgKind.GENERAL_BRANCH, domain)
    for b, groups in enumerate(detail, 1):
        b_path = path + step(b)
        yield make(b_path, groups, f"{title}第{b}党支部", OrgKind.BRANCH, domain)
        yield from group_rows(make, b_path, groups, domain)


def group_rows(make, parent_path, groups, domain):
    for g in range(1, groups + 1):
        yield make(parent_path + step(g), 0, f"第{g}党小组", OrgKind.GROUP, domain)


def next_root_path() -> str:
    last = Organization.objects.get_last_root_node()
    return step(int(last.path[: Organization.steplen], 36) + 1) if last else step(1)


def build_orgs(plan: CityPlan, rng) -> str:
    if Organization.objects.filter(code=f"{plan.prefix}0000001").exists():
        raise ValueError(f"已存在前缀为 {plan.prefix} 的模拟城市")
    root_path = next_root_path()
    batch, written = [], 0
    for org in org_rows(plan, rng, root_path):
        batch.append(org)
        if len(batch) >= ORG_BATCH:
            written += flush_orgs(batch)
            plan.log(f"组织 orgs {written:,}/{plan.orgs:,}  peak {peak_mb():.0f} MB")
    written += flush_orgs(batch)
    plan.log(f"组织 orgs {written:,}/{plan.orgs:,}  peak {peak_mb():.0f} MB")
    return root_path


def flush_orgs(batch):
    Organization.objects.bulk_create(batch)
    n = len(batch)
    batch.clear()
    return n


def member_quota(plan: CityPlan, rng, root_path):
    """[(org_id, org_name, count)] for branches and groups, summing exactly to plan.members."""
    rows = list(
        Organization.objects.filter(
            path__startswith=root_path, kind__in=[OrgKind.BRANCH, OrgKind.GROUP]
        )
        .order_by("path")
        .values_list("id", "name", "kind")
    )
    if not rows:
        raise ValueError("组织数太少，没有可放党员的支部")
    weights = [rng.uniform(0.2, 2.0) * (0.4 if kind == OrgKind.GROUP else 1.0) for *_, kind in rows]
    total = sum(weights)
    counts = [math.floor(plan.members * w / total) for w in weights]
    for i in range(plan.members - sum(counts)):
        counts[i % len(counts)] += 1
    return [(pk, name, n) for (pk, name, _), n in zip(rows, counts, strict=True)]


def make_member(rng, index, org_id, employer, today):
    id_number, born, gender = city_id_number(index)
    probationary = rng.random() < 0.04 and born.year >= 1975
    earliest = add_years(born, 18)
    if probationary:
        joined = max(earliest, today - timedelta(days=rng.randrange(20, 360)))
    else:
        span = max(0, (today - timedelta(days=400) - earliest).days)
        joined = earliest + timedelta(days=int(rng.random() * (span + 1)))
    member = Member(
        name=make_name(rng, gender),
        gender=gender,
        birth_date=born,
        id_number=id_number,
        phone=rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}",
        education=rng.choice(EDUCATION_POOL),
        employer=employer,
        joined_on=joined,
        confirmed_on=None if probationary else add_years(joined, 1),
        category=Category.PROBATIONARY if probationary else Category.FULL,
        status=MemberStatus.LOST_CONTACT if rng.random() < 0.005 else MemberStatus.NORMAL,
        organization_id=org_id,
    )
    fill_search_keys(member)
    return member


def build_members(plan: CityPlan, rng, quota, city_index):
    today = timezone.localdate()
    batch, written, started = [], 0, time.monotonic()
    for org_id, name, count in quota:
        employer = name.removesuffix("党支部").removesuffix("党小组")
        for _ in range(count):
            member = make_member(
                rng, city_index * IDS_PER_CITY + written + len(batch), org_id, employer, today
            )
            batch.append(member)
            if len(batch) >= MEMBER_BATCH:
                written += flush_members(batch)
                rate = written / max(time.monotonic() - started, 1e-6)
                plan.log(
                    f"党员 members {written:,}/{plan.members:,}  {rate:,.0f}/s  "
                    f"peak {peak_mb():.0f} MB"
                )
    written += flush_members(batch)
    plan.log(f"党员 members {written:,}/{plan.members:,}  peak {peak_mb():.0f} MB")


def flush_members(batch):
    with transaction.atomic():
        Member.objects.bulk_create(batch)
        Membership.objects.bulk_create(
            [
                Membership(
                    member_id=m.pk,
                    organization_id=m.organization_id,
                    started_on=m.joined_on,
                    reason="模拟数据",
                )
                for m in batch
            ]
        )
    n = len(batch)
    batch.clear()
    return n


def set_counts(root_path):
    """Direct rollup counts of every organization in the city, recomputed from the members table."""
    from xianfeng.members.management.commands.check_counts import recount

    recount(Organization.objects.filter(path__startswith=root_path), fix=True)


def generate_city(plan: CityPlan):
    """Build the city; returns the root Organization."""
    rng = random.Random(plan.seed)
    city_index = Organization.objects.get_root_nodes().count()
    root_path = build_orgs(plan, rng)
    quota = member_quota(plan, rng, root_path)
    build_members(plan, rng, quota, city_index)
    plan.log("汇总 rollup counts …")
    set_counts(root_path)
    plan.log(f"完成 done  peak {peak_mb():.0f} MB")
    return Organization.objects.get(path=root_path)
