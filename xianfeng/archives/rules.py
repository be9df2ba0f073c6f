"""档案标准化: which documents a member's complete file needs, decided by the member's path.

Main source: 中国共产党发展党员工作细则 (2014) 第三十七条 — after confirmation the branch hands
the 入党志愿书, 入党申请书, 政治审查材料, 转正申请书 and 培养教育考察材料 to the committee for the
member's personnel file (wording as quoted on 共产党员网 wenda.12371.cn). Rows marked 地方惯例 are
common local practice, not fixed by the 细则. Each row lists the paths it applies to and
whether it is needed only once the member is full (转正后).
"""

from dataclasses import dataclass
from datetime import date

DEVELOPED, TRANSFERRED_IN, LEGACY = "developed", "transferred_in", "legacy"
PATHS = {
    DEVELOPED: "按细则发展入党",
    TRANSFERRED_IN: "组织关系转入",
    LEGACY: "细则施行前入党",
}
ALL_PATHS = frozenset(PATHS)
# Admitted under the 2014 细则, here or elsewhere: a member who transferred in after being
# developed by another organization under the same 细则 needs the same 第三十七条 file (the
# documents move with the member's file; issue 17).
UNDER_2014_RULES = frozenset({DEVELOPED, TRANSFERRED_IN})

# 中共中央办公厅 印发《中国共产党发展党员工作细则》: 2014-05-28 (the date printed on the
# document; it was published on 2014-06-10). Members admitted earlier were developed under
# the 1990 细则(试行) and their files are judged by the shorter legacy list.
RULES_IN_FORCE = date(2014, 5, 28)
RULES_IN_FORCE_SOURCE = (
    "《中国共产党发展党员工作细则》2014年5月28日印发（印发日期据公开转载，原件未核对）"
)

SOURCE_37 = "细则 第三十七条：入党志愿书、入党申请书、政治审查材料、转正申请书和培养教育考察材料存入本人档案"


@dataclass(frozen=True)
class Requirement:
    doc: str
    name: str
    paths: frozenset
    full_only: bool
    source: str


REQUIREMENTS = (
    Requirement("application", "入党申请书", ALL_PATHS, False, SOURCE_37),
    Requirement("volunteer_form", "入党志愿书", ALL_PATHS, False, SOURCE_37),
    Requirement("political_review", "政治审查材料", UNDER_2014_RULES, False, SOURCE_37),
    Requirement(
        "training_records",
        "培养教育考察材料(积极分子、预备党员考察登记表)",
        UNDER_2014_RULES,
        False,
        SOURCE_37,
    ),
    Requirement(
        "thought_reports",
        "思想汇报",
        UNDER_2014_RULES,
        False,
        "培养教育考察材料(细则 第三十七条)的组成部分，按季度递交(地方惯例)",
    ),
    Requirement(
        "transfer_letter",
        "组织关系介绍信(回执)",
        frozenset({TRANSFERRED_IN}),
        False,
        "组织关系转入时介绍信存档(地方惯例)",
    ),
    Requirement("confirmation_application", "转正申请书", ALL_PATHS, True, SOURCE_37),
    Requirement(
        "confirmation_approval",
        "转正材料(支部大会决议、上级党委审批意见)",
        UNDER_2014_RULES,
        True,
        "细则 第三十三条（据二手转引）：转正须经支部大会讨论、表决通过，报上级党委审批；"
        "决议和审批意见入档(地方惯例)",
    ),
)
DOC_NAMES = {r.doc: r.name for r in REQUIREMENTS}
DOC_ORDER = {r.doc: i for i, r in enumerate(REQUIREMENTS)}
DOC_CHOICES = [(r.doc, r.name) for r in REQUIREMENTS]


def derive_path(joined_on: date, came_from_outside: bool) -> str:
    """The member's path when the archivist has not set one.

    Admitted before the 细则 → legacy; admitted into the system with a letter from outside (an
    inbound transfer) → transferred in; otherwise the member was developed here. A move inside
    the system (internal or bulk transfer) keeps the path, so it never changes the checklist:
    the file moves with the member and no 介绍信回执 exists for such a move.
    """
    if joined_on < RULES_IN_FORCE:
        return LEGACY
    if came_from_outside:
        return TRANSFERRED_IN
    return DEVELOPED


def required_docs(path: str, is_full: bool) -> list[Requirement]:
    return [r for r in REQUIREMENTS if path in r.paths and (is_full or not r.full_only)]
