"""Rules tables of assessment: default standards per domain, star thresholds, member weights.

Source of the practice: 天桥区 评星定级 (../shared/seeds/001): standards "分类设计，量化标准，
进行积分制考评，最高级别为五星级", and "根据当年创建情况实行动态管理，对创评情况好的晋星升级，
对创评情况差的给予降星落级，不搞终身制". The report gives no numbers, so every figure below is
this system's default (marked 本系统默认); each standard row in the database carries its own
copy and a district changes them there, not here.

Thresholds are INCLUSIVE: a percentage exactly at a threshold reaches that star.
Member grades use the four grades of 民主评议党员 (中组部《关于进行民主评议党员工作的意见》,
1988: 优秀、合格、基本合格、不合格); the score bands are 本系统默认.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from xianfeng.orgs.models import Domain

SOURCE = "天桥区评星定级报道（seeds/001）：分类设计、量化标准、积分制考评、最高五星、动态管理"
SOURCE = f"地方惯例：{SOURCE}"
DEFAULT_SOURCE = "本系统默认，可在考核标准中修改"
STARS_SOURCE = "本系统默认：得分率60%、70%、80%、90%（含本数）分别为二至五星，每年最多升一星"
GRADES_SOURCE = (
    "民主评议党员四个等次（优秀、合格、基本合格、不合格）：中组部《关于进行民主评议党员工作的意见》"
    "(1988)（条号未核对）；分数段为本系统默认"
)

# Percent of the standard's maximum needed for 2, 3, 4, 5 stars (below the first: 1 star).
STAR_THRESHOLDS = (Decimal(60), Decimal(70), Decimal(80), Decimal(90))
MAX_PROMOTE = 1  # at most one star up per year (本系统默认)
MAX_DEMOTE = None  # no limit down (本系统默认; the report: 降星落级)


@dataclass(frozen=True)
class Item:
    name: str
    max_score: int
    code: str = ""  # a computed indicator code; blank = scored by reviewers with evidence
    target: Decimal = Decimal(100)  # the value that earns full marks (computed items)


COMMON = (
    Item("三会一课落实", 20, "meetings.compliance"),
    Item("党费收缴", 10, "dues.collection"),
    Item("组织档案规范", 10, "archives.completeness"),
    Item("党员人均积分", 10, "points.per_member", Decimal(60)),
)
GOVERNANCE = Item("网格诉求按时办结", 15, "requests.on_time_rate")
DEVELOPMENT = Item("发展党员", 5, "members.development", Decimal(1))
TEAM = Item("班子建设", 15)

STANDARDS = {
    Domain.RURAL: (
        "农村党组织评星定级标准",
        (
            *COMMON,
            Item("网格诉求按时办结", 10, "requests.on_time_rate"),
            DEVELOPMENT,
            TEAM,
            Item("乡村振兴与集体经济", 10),
            Item("服务群众", 10),
        ),
    ),
    Domain.COMMUNITY: (
        "社区党组织评星定级标准",
        (*COMMON, GOVERNANCE, TEAM, Item("网格治理与服务群众", 15), Item("一社区一品牌", 5)),
    ),
    Domain.ORGAN: (
        "机关党组织评星定级标准",
        (*COMMON, TEAM, Item("作风建设与服务基层", 20), Item("党建与业务融合", 15)),
    ),
    Domain.PRIVATE: (
        "非公有制企业党组织评星定级标准",
        (
            *COMMON,
            DEVELOPMENT,
            Item("组织覆盖与班子建设", 15),
            Item("党建促发展", 20),
            Item("服务职工", 10),
        ),
    ),
}
GENERAL = (
    "党组织评星定级标准（通用）",
    (*COMMON, TEAM, Item("作用发挥", 20), Item("特色品牌", 15)),
)


def default_standard(domain):
    """(name, items) of the default standard for `domain`; every default totals 100."""
    return STANDARDS.get(domain, GENERAL)


# ---------------------------------------------------------------- members

DEFAULT_MEMBER_WEIGHTS = {"points": 40, "review": 30, "secretary": 30}  # 本系统默认
MEMBER_GRADES = (
    (Decimal(90), "优秀"),
    (Decimal(70), "合格"),
    (Decimal(60), "基本合格"),
    (Decimal(0), "不合格"),
)


def member_weights_default():
    return dict(getattr(settings, "XIANFENG_MEMBER_WEIGHTS", None) or DEFAULT_MEMBER_WEIGHTS)


def member_grade(total):
    """The grade of a 0–100 total (inclusive lower bounds); None for an incomplete result."""
    if total is None:
        return ""
    return next(label for bound, label in MEMBER_GRADES if total >= bound)
