"""Members of the demo: every branch and group filled with realistic people, counts exact."""

from xianfeng.members.models import Member, Membership
from xianfeng.members.search import fill_search_keys, pinyin_keys
from xianfeng.members.services import refresh_org_counts
from xianfeng.orgs.models import Domain, OrgKind

from .names import make_name
from .people import IdAllocator, make_person

# The browser test types `zs` and expects 张三 in the first page, so no other demo name
# may have the initials zs….
ZHANGSAN = ("张三", "M")
ZHANGSAN_BRANCH = "十里堡村党支部"
DEFAULT_SIZE = {
    Domain.RURAL: (14, 40),
    Domain.COMMUNITY: (15, 42),
    Domain.ORGAN: (18, 36),
    Domain.PRIVATE: (4, 16),
    Domain.SOE: (10, 30),
    Domain.INSTITUTION: (8, 24),
    Domain.SCHOOL: (8, 24),
    Domain.SOCIAL: (3, 8),
}
GROUP_SIZE = (4, 8)
POSTS = {
    Domain.ORGAN: ("科员", "副主任", "主任", "四级主任科员", "网格管理员"),
    Domain.PRIVATE: ("职工", "技术员", "车间主任", "销售经理", "会计", "总经理"),
    Domain.SOE: ("职工", "工程师", "班组长", "部门经理"),
    Domain.INSTITUTION: ("医生", "护士", "干部", "会计"),
    Domain.SCHOOL: ("教师", "班主任", "教导主任"),
    Domain.RURAL: ("村民", "村民", "村委委员", "个体经营", "外出务工"),
    Domain.COMMUNITY: ("退休", "退休", "社区工作者", "个体经营", "自由职业"),
    Domain.SOCIAL: ("工作人员",),
}


def load(ctx):
    people = []  # (org code, fields)
    for street_code, (district, street) in ctx.streets.items():
        rng = ctx.rng(f"members:{street_code}")
        ids = IdAllocator()
        addresses = [f"{district.place}{street.short_name}{road}" for road in street.roads]
        for code, size in allocate(ctx, rng, street_code, street).items():
            unit = ctx.units[code]
            rows = make_people(ctx, rng, ids, district, unit, size, addresses)
            employer = employer_of(street, unit)
            for fields in rows:
                fields["employer"] = employer
                fields["post"] = rng.choice(POSTS[unit.domain])
                fields["ethnicity"] = "回族" if rng.random() < 0.03 else "汉族"
            ctx.members[code] = [f["id_number"] for f in rows]
            people.extend((code, f) for f in rows)
    create_missing(ctx, people)
    refresh_org_counts([org.pk for org in ctx.orgs.values()])


def allocate(ctx, rng, street_code, street):
    """{org code: direct member count} for the street; exact when the street has a total."""
    codes = [c for c in ctx.units if c.startswith(street_code + "-")]
    sizes, open_codes = {}, []
    for code in codes:
        unit = ctx.units[code]
        if unit.members is not None:
            sizes[code] = unit.members
        elif street.members is not None and unit.kind != OrgKind.GROUP:
            open_codes.append(code)
        else:
            low, high = GROUP_SIZE if unit.kind == OrgKind.GROUP else DEFAULT_SIZE[unit.domain]
            sizes[code] = rng.randint(low, high)
    if open_codes:
        weights = [rng.uniform(0.6, 1.4) for _ in open_codes]
        spare = street.members - sum(sizes.values())
        shares = [int(spare * w / sum(weights)) for w in weights]
        for i in range(spare - sum(shares)):
            shares[i % len(shares)] += 1
        sizes.update(zip(open_codes, shares, strict=True))
    return {code: sizes[code] for code in codes}


def make_people(ctx, rng, ids, district, unit, size, addresses):
    named = list(unit.named)
    if unit.name == ZHANGSAN_BRANCH:
        named.append(ZHANGSAN)
    rows = []
    for i in range(size):
        probationary = (
            i >= size - unit.probationary
            if unit.probationary is not None
            else i >= len(named) and rng.random() < 0.05
        )
        person = make_person(
            rng,
            ids,
            region=district.code,
            today=ctx.today,
            probationary=probationary,
            addresses=addresses,
        )
        if i < len(named):
            person["name"], gender = named[i]
            if gender != person["gender"]:
                person = make_person(
                    rng,
                    ids,
                    region=district.code,
                    today=ctx.today,
                    gender=gender,
                    addresses=addresses,
                )
                person["name"] = named[i][0]
        else:
            while pinyin_keys(person["name"])[1].startswith("zs"):
                person["name"] = make_name(rng, person["gender"])
        rows.append(person)
    if unit.name == ZHANGSAN_BRANCH and rows:
        rows.append(rows.pop(len(named) - 1))  # 张三 is an ordinary member, not the secretary
    return rows


def employer_of(street, unit):
    if unit.domain == Domain.ORGAN:
        return f"{street.short_name}办事处"
    if unit.domain == Domain.RURAL:
        return unit.name.removesuffix("党支部").split("拆迁")[0] + "村民委员会"
    if unit.domain == Domain.COMMUNITY:
        return ""
    for suffix in ("联合党支部", "党支部", "党总支"):
        if unit.name.endswith(suffix):
            return unit.name.removesuffix(suffix)
    return unit.name


def create_missing(ctx, people):
    numbers = [f["id_number"] for _, f in people]
    have = set()
    for i in range(0, len(numbers), 900):
        have.update(
            Member.objects.filter(id_number__in=numbers[i : i + 900]).values_list(
                "id_number", flat=True
            )
        )
    new = []
    for code, fields in people:
        if fields["id_number"] not in have:
            member = Member(organization=ctx.orgs[code], **fields)
            fill_search_keys(member)
            new.append(member)
    Member.objects.bulk_create(new, batch_size=500)
    Membership.objects.bulk_create(
        [Membership(member=m, organization=m.organization, started_on=m.joined_on) for m in new],
        batch_size=500,
    )
