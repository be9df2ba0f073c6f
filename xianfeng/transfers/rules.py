"""转接 rules table: when a 流动党员's organizational relationship must move.

《中国共产党党员教育管理工作条例》(2019) 第二十五条 (read in a reprint of chapter 5 with its
article numbers): "党员工作单位、经常居住地发生变动的，或者外出学习、工作、生活6个月以上并且
地点相对固定的，应当转移组织关系。" "6个月以上" includes six months: away since 1 March, the
relationship should move from 1 September. The months and the reminder lead are settings.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from xianfeng.core.dates import add_months, months_cutoff

REGULATION = "《中国共产党党员教育管理工作条例》(2019)"


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    value: int
    unit: str
    source: str


def transfer_months() -> int:
    return settings.XIANFENG_MOBILE_TRANSFER_MONTHS


def mobile_remind_days() -> int:
    return settings.XIANFENG_STANDING_REMIND_DAYS


def rules_table():
    return (
        Rule(
            "mobile_transfer",
            "流动党员外出6个月以上且地点相对固定的，应当转移组织关系",
            transfer_months(),
            "个月",
            f"{REGULATION} 第二十五条：外出学习、工作、生活6个月以上并且地点相对固定的，应当转移"
            "组织关系。",
        ),
        Rule(
            "mobile_reminder",
            "到期前提醒",
            mobile_remind_days(),
            "天",
            "本地做法：满6个月前若干天和当天提醒党员所在党支部（工作台和通知）。",
        ),
    )


def transfer_due_on(since: date) -> date:
    """The day a member away since `since` has been away six months."""
    return add_months(since, transfer_months())


def transfer_cutoff(today: date) -> date:
    """The latest `since` whose six months are reached by `today` (inverse of transfer_due_on)."""
    return months_cutoff(today, transfer_months())
