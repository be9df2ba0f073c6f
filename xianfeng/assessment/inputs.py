"""The member-level seam: what other apps can measure about a member for the yearly assessment.

It lives in `xianfeng.core.events`, so the apps that provide inputs never import this one.

Like `xianfeng.core.events.INDICATORS` for organizations, but per member and always a
score from 0 to 100:

    from xianfeng.core.events import member_input
    @member_input("points", _("积分"))
    def points_score(members, year): -> {member_id: 0–100 or None}

The codes the default weights expect are "points" (积分, the points app), "review"
(民主评议, the meetings app) and "secretary" (书记评价, entered in this app). A code
without a registered provider is shown as 未接入 and its weight is spread over the
others (see members.weighted_total).
"""

from xianfeng.core.events import MEMBER_INPUTS, MemberInput, member_input

__all__ = ["MEMBER_INPUTS", "MemberInput", "member_input"]
