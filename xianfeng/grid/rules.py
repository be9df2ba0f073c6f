"""走访 rules of the grid: how often a household on the care list is visited.

| rule                                   | value   | source         |
|----------------------------------------|---------|----------------|
| a household with a 关爱标签 is visited  | 30 days | local practice |
| a visit marked 需跟进 is followed up    | 7 days  | local practice |

Neither figure comes from a party or state document: streets commonly ask grid workers and
党员中心户 to see their 独居/高龄/低保 households at least monthly and to go back within a week
when a visit found something. A site changes them in settings (XIANFENG_VISIT_EVERY_DAYS,
XIANFENG_FOLLOW_UP_DAYS).
"""

from django.conf import settings

VISIT_EVERY_DAYS = 30
FOLLOW_UP_DAYS = 7


def visit_every_days() -> int:
    return getattr(settings, "XIANFENG_VISIT_EVERY_DAYS", VISIT_EVERY_DAYS)


def follow_up_days() -> int:
    return getattr(settings, "XIANFENG_FOLLOW_UP_DAYS", FOLLOW_UP_DAYS)
