"""The one rules table for organizational life (三会一课, 主题党日, 组织生活会, 民主评议).

Source: 《中国共产党支部工作条例（试行）》(中共中央, 2018), as collected in /work/shared/RULES.md.
Each row keeps its source beside it: the article number where it was checked, "条号未核对"
where the wording is the 条例's but the number could not be checked, and "本地默认" (local
practice) where no text binds it. A district (or any organization) can override a row for its subtree with a
`RuleOverride` row (Django admin): another minimum, another period length, or off.

A rule is met for a period when the organization held at least `per_period` meetings of
the kind in every period (month, quarter or year) that overlaps the window asked about.
"""

from dataclasses import dataclass, replace

from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.orgs.models import OrgKind

SOURCE = "《中国共产党支部工作条例（试行）》(2018)"


class MeetingKind(models.TextChoices):
    GENERAL_ASSEMBLY = "general_assembly", _("支部党员大会")
    COMMITTEE_MEETING = "committee_meeting", _("支委会")
    GROUP_MEETING = "group_meeting", _("党小组会")
    PARTY_LECTURE = "party_lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    LIFE_MEETING = "life_meeting", _("组织生活会")
    DEMOCRATIC_REVIEW = "democratic_review", _("民主评议党员")
    LOCAL = "local", _("其他（本地自定义）")


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str  # MeetingKind counted
    org_kind: str  # the organizations the rule binds
    months: int  # period length: 1 month, 3 a quarter, 12 a year
    per_period: int = 1
    needs_committee: bool = False  # only where a branch committee exists
    secretary_only: bool = False  # only meetings whose lecturer is the organization's secretary
    enabled: bool = True
    source: str = ""

    @property
    def label(self):
        return RULE_LABELS[self.code]


RULES = (
    Rule(
        "general_assembly",
        MeetingKind.GENERAL_ASSEMBLY,
        OrgKind.BRANCH,
        3,
        source=f"{SOURCE} 第十一条：党员大会……一般每季度召开1次。",
    ),
    Rule(
        "committee_meeting",
        MeetingKind.COMMITTEE_MEETING,
        OrgKind.BRANCH,
        1,
        needs_committee=True,
        source=f"{SOURCE} 第十二条：支部委员会会议一般每月召开1次；须有半数以上委员到会。",
    ),
    Rule(
        "group_meeting",
        MeetingKind.GROUP_MEETING,
        OrgKind.GROUP,
        1,
        source=f"{SOURCE}（条号未核对）：党小组会一般每月召开1次，按党小组计（RULES.md）。",
    ),
    Rule(
        "party_lecture",
        MeetingKind.PARTY_LECTURE,
        OrgKind.BRANCH,
        3,
        source="本地默认：党课每季度1次（常见做法，RULES.md；条例未规定次数）。",
    ),
    Rule(
        "secretary_lecture",
        MeetingKind.PARTY_LECTURE,
        OrgKind.BRANCH,
        12,
        secretary_only=True,
        source="本地默认：党支部书记每年至少讲1次党课（各地通行做法；条例对党支部书记未作规定，"
        "RULES.md）。可用 RuleOverride 关闭。",
    ),
    Rule(
        "committee_secretary_lecture",
        MeetingKind.PARTY_LECTURE,
        OrgKind.COMMITTEE,
        12,
        needs_committee=True,
        secretary_only=True,
        source=f"{SOURCE}（“三会一课”条款，条号未核对）：“党委（党组）书记每年至少为党员讲1次党课”。"
        "按党委本届班子的书记计；未登记本届班子的党委不计。",
    ),
    Rule(
        "theme_day",
        MeetingKind.THEME_DAY,
        OrgKind.BRANCH,
        1,
        source=f"{SOURCE}（条号未核对）：党支部每月相对固定1天开展主题党日（RULES.md）。",
    ),
    Rule(
        "life_meeting",
        MeetingKind.LIFE_MEETING,
        OrgKind.BRANCH,
        12,
        source=f"{SOURCE}（条号未核对）：组织生活会一般每年召开1次，通常在第四季度（RULES.md）。",
    ),
    Rule(
        "democratic_review",
        MeetingKind.DEMOCRATIC_REVIEW,
        OrgKind.BRANCH,
        12,
        source=f"{SOURCE}（条号未核对）：民主评议党员一般每年开展1次，可与组织生活会结合（RULES.md）。",
    ),
)
RULE_LABELS = {
    "general_assembly": _("支部党员大会每季度1次"),
    "committee_meeting": _("支委会每月1次（设支委会的党支部）"),
    "group_meeting": _("党小组会每月1次"),
    "party_lecture": _("党课每季度1次（本地默认）"),
    "secretary_lecture": _("支部书记每年讲党课至少1次（本地默认）"),
    "committee_secretary_lecture": _("党委书记每年讲党课至少1次"),
    "theme_day": _("主题党日每月1次"),
    "life_meeting": _("组织生活会每年1次"),
    "democratic_review": _("民主评议党员每年1次"),
}
RULE_BY_CODE = {rule.code: rule for rule in RULES}
OVERRIDABLE = ("per_period", "months", "enabled")

# Quorum (到会人数) where the rules need one: share of the committee's seats on the meeting date
# that must be present. "半数以上" includes half (the 条例 says "超过半数" where it means more).
QUORUM = {MeetingKind.COMMITTEE_MEETING: (1, 2)}
QUORUM_SOURCE = (
    f"{SOURCE} 第十二条：支部委员会会议须有半数以上委员到会方可召开。“以上”含本数，恰好半数即可；"
    "按会议当天在任的委员席位计，不按可编辑的参会名单计。"
)


def apply_overrides(rules, overrides):
    """`rules` with the fields of each override {code: {field: value}} replaced."""
    return tuple(replace(rule, **overrides.get(rule.code, {})) for rule in rules)


def quorum_met(kind, present, seats):
    """None where no quorum rule applies (or no seat to count); otherwise whether `present`
    committee members out of `seats` are enough: present ≥ seats × share."""
    share = QUORUM.get(kind)
    if share is None or not seats:
        return None
    numerator, denominator = share
    return present * denominator >= seats * numerator


# 民主评议党员 (中组部《关于进行民主评议党员工作的意见》1988, as quoted in RULES.md; not checked
# article by article): at most one third of those graded are 优秀; probationary members take
# part in the review but are given no grade.
EXCELLENT_SHARE = (1, 3)
REVIEW_SOURCE = (
    "民主评议党员：评为优秀的一般不超过参评党员的三分之一（含三分之一，超过时提示）；"
    "预备党员参加评议，但不评定等次（RULES.md；中组部1988年意见，条号未核对）。"
)


def too_many_excellent(excellent: int, graded: int) -> bool:
    """More than a third of the graded members are 优秀 (exactly a third is allowed)."""
    numerator, denominator = EXCELLENT_SHARE
    return excellent * denominator > graded * numerator
