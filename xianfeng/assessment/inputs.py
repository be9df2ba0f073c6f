"""The member-level seam: what other apps can measure about a member for the yearly assessment.

Like `xianfeng.core.events.INDICATORS` for organizations, but per member and always a
score from 0 to 100:

    from xianfeng.assessment.inputs import member_input
    @member_input("points", _("积分"))
    def points_score(members, year): -> {member_id: 0–100 or None}

The codes the default weights expect are "points" (积分, the points app), "review"
(民主评议, the meetings app) and "secretary" (书记评价, entered in this app). A code
without a registered provider is shown as 未接入 and its weight is spread over the
others (see members.weighted_total).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MemberInput:
    code: str
    label: str
    compute: Callable  # (members: QuerySet[Member], year: int) -> {member_id: number | None}


MEMBER_INPUTS: dict[str, MemberInput] = {}


def member_input(code, label):
    """Register `fn(members, year) -> {member_id: score 0–100}` as a member assessment input."""

    def register(fn):
        MEMBER_INPUTS[code] = MemberInput(code, label, fn)
        return fn

    return register
