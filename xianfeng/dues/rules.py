"""The one rules table for monthly 党费, and the pure function that applies it.

Source: 中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》(2008). The figures
below are secondary quotations of that document (as collected in /work/shared/RULES.md),
not checked against the original text. The article numbers of 第三条 (年薪制), 第四条 (个体经营者)
and 第七条 (少交或免交) follow a secondary quotation that gives the text with its numbers; they
were not checked against the original either.

Band edges (decided here, tested in tests/test_rules.py): an upper bound is INCLUSIVE.
"up to 3,000" means 3,000.00 pays 0.5% (15.00) and 3,000.01 pays 1% (30.00); the same
for 5,000 and 10,000, and for retirees at 5,000. The whole income is charged at its
band's rate (not progressively). Money is Decimal, rounded half-up to 0.01 yuan.

A site may replace the table with `settings.XIANFENG_DUES_RULES` (same shape).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
# 党费规定: a voluntary single payment of 1,000 yuan or more ("1000元以上", 以上 includes the
# number) goes entirely to the centre: 1,000.00 does, 999.99 does not.
CENTRE_THRESHOLD = Decimal("1000")
SOURCE = "中组部《关于中国共产党党费收缴、使用和管理的规定》（二次引用，条目未核对）"


class IncomeCategory(models.TextChoices):
    SALARIED = "salaried", _("在职（工资收入）")
    ANNUAL_SALARY = "annual_salary", _("年薪制")
    SELF_EMPLOYED = "self_employed", _("个体经营等（不按月取得收入）")
    RETIRED = "retired", _("离退休")
    FARMER = "farmer", _("农民")
    STUDENT = "student", _("学生")
    NO_INCOME = "no_income", _("无收入")


@dataclass(frozen=True)
class Rule:
    category: str
    up_to: Decimal | None  # inclusive upper bound of monthly after-tax income; None = no bound
    rate: Decimal | None = None  # share of the whole income
    fixed: Decimal | None = None  # a fixed monthly amount instead of a rate (the default)
    chosen_range: tuple[Decimal, Decimal] | None = None  # the branch picks per member, inclusive
    source: str = ""


def _bands(category, source):
    """The four salaried bands (第二条) for a category whose basis differs (第三、四条)."""
    return tuple(
        Rule(category, up_to, rate=Decimal(rate), source=source)
        for up_to, rate in (
            (Decimal("3000"), "0.005"),
            (Decimal("5000"), "0.01"),
            (Decimal("10000"), "0.015"),
            (None, "0.02"),
        )
    )


RULES = (
    Rule(
        "salaried",
        Decimal("3000"),
        rate=Decimal("0.005"),
        source=f"{SOURCE}：每月工资收入（税后）在3000元以下（含3000元）者，交纳月工资收入的0.5%",
    ),
    Rule(
        "salaried",
        Decimal("5000"),
        rate=Decimal("0.01"),
        source=f"{SOURCE}：3000元以上至5000元（含5000元）者，交纳1%",
    ),
    Rule(
        "salaried",
        Decimal("10000"),
        rate=Decimal("0.015"),
        source=f"{SOURCE}：5000元以上至10000元（含10000元）者，交纳1.5%",
    ),
    Rule("salaried", None, rate=Decimal("0.02"), source=f"{SOURCE}：10000元以上者，交纳2%"),
    *_bands(
        "annual_salary",
        f"{SOURCE} 第三条：实行年薪制人员中的党员，每月以当月实际领取的薪酬收入为计算基数，"
        "参照第一条、第二条规定交纳党费（兑现绩效薪酬的当月，以当月实际领取的总数为基数）",
    ),
    *_bands(
        "self_employed",
        f"{SOURCE} 第四条：不按月取得收入的个体经营者等人员中的党员，每月以个人上季度月平均纯收入"
        "为计算基数，参照第一条、第二条规定交纳党费",
    ),
    Rule(
        "retired",
        Decimal("5000"),
        rate=Decimal("0.005"),
        source=f"{SOURCE}：离退休干部、职工，月离退休费收入在5000元以下（含5000元）的，按0.5%交纳",
    ),
    Rule("retired", None, rate=Decimal("0.01"), source=f"{SOURCE}：5000元以上的按1%交纳"),
    Rule(
        "farmer",
        None,
        fixed=Decimal("0.50"),
        chosen_range=(Decimal("0.20"), Decimal("1.00")),
        source=f"{SOURCE}：农民党员每月交纳党费0.2元至1元（含两端），由党支部按每名党员确定；"
        "未确定时默认0.5元",
    ),
    Rule("student", None, fixed=Decimal("0.20"), source=f"{SOURCE}：学生党员每月交纳党费0.2元"),
    Rule(
        "no_income",
        None,
        fixed=Decimal("0.20"),
        source=f"{SOURCE}：下岗失业、依靠最低生活保障维持生活的党员每月交纳党费0.2元",
    ),
)


# 第四条: a self-employed member's basis is the previous quarter's monthly average of net
# income, so it changes at the start of a quarter (January, April, July, October).
QUARTER_BASIS_CATEGORIES = frozenset({"self_employed"})

# 第七条: 交纳党费确有困难的党员，经党支部研究，报上一级党委批准后，可以少交或者免交.
# The approval is recorded (who approved, on which day, for which months); a waived month is
# not due and never in arrears, a reduced month is due at the reduced amount.
EXEMPTION_SOURCE = (
    f"{SOURCE} 第七条：交纳党费确有困难的党员，经党支部研究，报上一级党委批准后，可以少交或者免交。"
)
BASIS_SOURCES = {
    "annual_salary": f"{SOURCE} 第三条",
    "self_employed": f"{SOURCE} 第四条",
}


def rules_table():
    return tuple(getattr(settings, "XIANFENG_DUES_RULES", None) or RULES)


def rule_for(income_category, monthly_income):
    income = Decimal(monthly_income or 0)
    for rule in rules_table():
        if rule.category == income_category and (rule.up_to is None or income <= rule.up_to):
            return rule
    raise ValueError(f"no dues rule for {income_category!r}")


def chosen_amount_error(income_category, amount) -> str | None:
    """Why `amount` may not be chosen for this category (None: it may)."""
    rule = rule_for(income_category, 0)
    if rule.chosen_range is None:
        return f"{IncomeCategory(income_category).label}党员不按选定金额交纳"
    low, high = rule.chosen_range
    if not low <= Decimal(amount) <= high:
        return f"每月交纳额应在{low}元至{high}元之间"
    return None


def monthly_dues(income_category, monthly_income, chosen=None) -> Decimal:
    """Monthly dues in yuan for one member, rounded half-up to 0.01; `chosen` is the amount the
    branch set for a member whose rule has a `chosen_range` (farmers)."""
    rule = rule_for(income_category, monthly_income)
    if rule.chosen_range is not None and chosen is not None:
        return Decimal(chosen).quantize(CENT, ROUND_HALF_UP)
    if rule.fixed is not None:
        return rule.fixed.quantize(CENT, ROUND_HALF_UP)
    return (Decimal(monthly_income) * rule.rate).quantize(CENT, ROUND_HALF_UP)


def goes_to_centre(amount) -> bool:
    return Decimal(amount) >= CENTRE_THRESHOLD
