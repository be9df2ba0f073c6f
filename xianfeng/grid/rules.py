"""走访 rules of the grid: how often a household on the care list is visited.

Neither figure comes from a party or state document: streets commonly ask grid workers and
党员中心户 to see their 独居/高龄/低保 households at least monthly and to go back within a week
when a visit found something. A site changes them in settings (XIANFENG_VISIT_EVERY_DAYS,
XIANFENG_FOLLOW_UP_DAYS).
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    value: int
    unit: str
    source: str


def visit_every_days() -> int:
    return settings.XIANFENG_VISIT_EVERY_DAYS


def follow_up_days() -> int:
    return settings.XIANFENG_FOLLOW_UP_DAYS


def rules_table() -> tuple[Rule, ...]:
    return (
        Rule(
            "visit_every",
            "有关爱标签的住户定期走访",
            visit_every_days(),
            "天",
            "地方惯例：独居、高龄、低保等关爱对象至少每月走访一次。",
        ),
        Rule(
            "follow_up",
            "走访标记“需跟进”的住户回访",
            follow_up_days(),
            "天",
            "地方惯例：走访发现问题的，一周内回访。",
        ),
    )
