"""The one rules table for organizational life (三会一课, 主题党日, 组织生活会, 民主评议).

Source: 《中国共产党支部工作条例（试行）》(中共中央, 2018), as collected in /work/shared/RULES.md.
Each row keeps its source beside it. Only the 党员大会 row carries an article number (第十一条,
"一般每季度召开1次"), because RULES.md gives no other; rows marked 常见做法 are common
practice, not the 条例's wording. A district (or any organization) can override a row for its subtree with a
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
    secretary_only: bool = False  # only meetings whose lecturer is the branch secretary
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
        source=f"{SOURCE}：支部委员会会议一般每月召开1次；须有半数以上委员到会（RULES.md）。",
    ),
    Rule(
        "group_meeting",
        MeetingKind.GROUP_MEETING,
        OrgKind.GROUP,
        1,
        source=f"{SOURCE}：党小组会一般每月召开1次，按党小组计（RULES.md）。",
    ),
    Rule(
        "party_lecture",
        MeetingKind.PARTY_LECTURE,
        OrgKind.BRANCH,
        3,
        source="党课每季度1次（常见做法，RULES.md）。",
    ),
    Rule(
        "secretary_lecture",
        MeetingKind.PARTY_LECTURE,
        OrgKind.BRANCH,
        12,
        secretary_only=True,
        source=f"{SOURCE}：党支部书记每年至少讲1次党课（RULES.md）。",
    ),
    Rule(
        "theme_day",
        MeetingKind.THEME_DAY,
        OrgKind.BRANCH,
        1,
        source=f"{SOURCE}：党支部每月相对固定1天开展主题党日（RULES.md）。",
    ),
    Rule(
        "life_meeting",
        MeetingKind.LIFE_MEETING,
        OrgKind.BRANCH,
        12,
        source=f"{SOURCE}：组织生活会一般每年召开1次，通常在第四季度（RULES.md）。",
    ),
    Rule(
        "democratic_review",
        MeetingKind.DEMOCRATIC_REVIEW,
        OrgKind.BRANCH,
        12,
        source=f"{SOURCE}：民主评议党员一般每年开展1次，可与组织生活会结合（RULES.md）。",
    ),
)
RULE_LABELS = {
    "general_assembly": _("支部党员大会每季度1次"),
    "committee_meeting": _("支委会每月1次（设支委会的党支部）"),
    "group_meeting": _("党小组会每月1次"),
    "party_lecture": _("党课每季度1次"),
    "secretary_lecture": _("支部书记每年讲党课至少1次"),
    "theme_day": _("主题党日每月1次"),
    "life_meeting": _("组织生活会每年1次"),
    "democratic_review": _("民主评议党员每年1次"),
}
RULE_BY_CODE = {rule.code: rule for rule in RULES}
OVERRIDABLE = ("per_period", "months", "enabled")

# Quorum (到会人数) where the rules need one: share of the planned attendees that must be
# present, strictly more than. 支委会: 半数以上委员到会 (RULES.md).
QUORUM = {MeetingKind.COMMITTEE_MEETING: (1, 2)}
QUORUM_SOURCE = f"{SOURCE}：支部委员会会议须有半数以上委员到会方可召开（RULES.md）。"


def apply_overrides(rules, overrides):
    """`rules` with the fields of each override {code: {field: value}} replaced."""
    return tuple(replace(rule, **overrides.get(rule.code, {})) for rule in rules)


def quorum_met(kind, present, planned):
    """None where no quorum rule applies; otherwise whether `present` is enough."""
    share = QUORUM.get(kind)
    if share is None:
        return None
    numerator, denominator = share
    return present * denominator > planned * numerator
