"""党籍管理 rules table: 自行脱党 (党章 第九条) and 失联党员 (党员教育管理工作条例 第二十四条).

Each row keeps its source beside it. The 党章 wording is the 2022 text; the 条例 articles were
read in a reprint of the 条例 (chapter 5, 党籍和党员组织关系管理) with its article numbers.
"以上" includes the number: a member out of contact since 15 January may be suspended from
15 July; "停止党籍2年后" is read as from the second anniversary of the suspension on.
The month counts are settings (operations.md) where a province's practice differs.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

from xianfeng.core.dates import add_months, add_years, months_cutoff

CHARTER = "《中国共产党章程》"
REGULATION = "《中国共产党党员教育管理工作条例》(2019)"


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    value: int
    unit: str
    source: str


def lapse_months() -> int:
    return settings.XIANFENG_LAPSE_MONTHS


def lost_contact_months() -> int:
    return settings.XIANFENG_LOST_CONTACT_MONTHS


def suspension_years() -> int:
    return settings.XIANFENG_SUSPENSION_YEARS


def remind_days() -> int:
    return settings.XIANFENG_STANDING_REMIND_DAYS


def rules_table():
    return (
        Rule(
            "lapse",
            "连续6个月不参加组织生活、不交纳党费或不做党所分配的工作，视为自行脱党",
            lapse_months(),
            "个月",
            f"{CHARTER} 第九条：党员如果没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，"
            "或不做党所分配的工作，就被认为是自行脱党。支部大会应当决定把这样的党员除名，并报上级"
            "党组织批准。",
        ),
        Rule(
            "lost_contact_suspend",
            "失去联系6个月以上、查找仍无联系的，停止党籍",
            lost_contact_months(),
            "个月",
            f"{REGULATION} 第二十四条：对与党组织失去联系6个月以上、通过各种方式查找仍然没有取得"
            "联系的党员，予以停止党籍。停止党籍的决定由所在党支部或者上级党组织按照有关规定作出。",
        ),
        Rule(
            "suspended_removal",
            "停止党籍2年后确实无法取得联系的，按自行脱党除名",
            suspension_years(),
            "年",
            f"{REGULATION} 第二十四条：停止党籍2年后确实无法取得联系的，按照自行脱党予以除名。"
            "对停止党籍的党员，符合条件的，可以按照规定程序恢复党籍。",
        ),
        Rule(
            "reminder",
            "到期前提醒",
            remind_days(),
            "天",
            "本地做法：失联满6个月、停止党籍满2年前若干天提醒党支部和上级，到期当天再提醒。",
        ),
    )


def lapse_window(today: date) -> tuple[date, date]:
    """The months checked for 自行脱党 on `today`: the last `lapse_months()` months that are
    over, as (first month, last month). On 1 July: January–June."""
    this_month = today.replace(day=1)
    return add_months(this_month, -lapse_months()), add_months(this_month, -1)


def may_suspend_from(lost_on: date) -> date:
    """The first day a member out of contact since `lost_on` may be suspended (6个月以上)."""
    return add_months(lost_on, lost_contact_months())


def may_remove_from(suspended_on: date) -> date:
    """The first day a member suspended on `suspended_on` may be removed (停止党籍2年后)."""
    return add_years(suspended_on, suspension_years())


def _month_end(day: date) -> date:
    return add_months(day.replace(day=1), 1) - timedelta(days=1)


def suspend_cutoff(today: date) -> date:
    """The latest date out of contact that may be suspended on `today` (the inverse of
    may_suspend_from, so a list can filter with one `<=`): a lost_on date qualifies exactly
    when may_suspend_from(lost_on) <= today."""
    return months_cutoff(today, lost_contact_months())


def removal_cutoff(today: date) -> date:
    """The latest suspension date that may be removed on `today` (inverse of may_remove_from)."""
    cutoff = add_years(today, -suspension_years())
    if (today.month, today.day) == (2, 28) and _month_end(cutoff.replace(day=1)).day == 29:
        return cutoff.replace(day=29)
    return cutoff
