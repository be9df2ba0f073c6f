"""发展党员 rules table: the 25 steps and the time rules, each row beside its source.

Source: 中国共产党发展党员工作细则 (中共中央办公厅, 2014), chapters 2–5, as summarised in
/work/shared/RULES.md. Article numbers are given where the text is quoted; rows marked
"地方惯例" are common local practice that the 细则 does not fix in days.

Checked against the published text (docs/modules/development.md lists what was read):
chapter 2 "入党积极分子的确定和培养教育" holds articles 4–12, so application (第五、六条),
the talk within a month (第七条), choosing activists and reporting them upward (第八条)
and the 培养联系人 (第九条) all sit in chapter 2; 发展对象 start at 第十三条, chapter 3.
"""

from dataclasses import dataclass, replace
from datetime import date

from xianfeng.core.dates import add_years

APPLICANT, ACTIVIST, CANDIDATE, ADMISSION, PROBATION = (
    "applicant",
    "activist",
    "candidate",
    "admission",
    "probation",
)

STAGES = {
    APPLICANT: "入党申请人",
    ACTIVIST: "入党积极分子",
    CANDIDATE: "发展对象",
    ADMISSION: "预备党员接收",
    PROBATION: "预备党员教育考察和转正",
}


@dataclass(frozen=True)
class Step:
    code: str
    stage: str
    name: str
    source: str


# In the order of the 细则; steps must be recorded in this order.
STEPS = (
    Step("s01", APPLICANT, "递交入党申请书", "细则 第二章 第五、六条"),
    Step("s02", APPLICANT, "党组织派人谈话", "细则 第二章 第七条"),
    Step("s03", ACTIVIST, "推荐和确定入党积极分子", "细则 第二章 第八条"),
    Step("s04", ACTIVIST, "上级党委备案", "细则 第二章 第八条(“并报上级党委备案”)"),
    Step("s05", ACTIVIST, "指定培养联系人", "细则 第二章 第九条"),
    Step("s06", ACTIVIST, "培养教育考察", "细则 第二章 第十条起"),
    Step("s07", CANDIDATE, "确定发展对象", "细则 第三章 第十三条"),
    Step("s08", CANDIDATE, "报上级党委备案", "细则 第三章（条号未核对）"),
    Step("s09", CANDIDATE, "确定入党介绍人", "细则 第三章（条号未核对）"),
    Step("s10", CANDIDATE, "进行政治审查", "细则 第三章（条号未核对）"),
    Step("s11", CANDIDATE, "开展集中培训", "细则 第三章（条号未核对）"),
    Step("s12", ADMISSION, "支部委员会审查", "细则 第十九条（据二手转引）"),
    Step("s13", ADMISSION, "上级党委预审", "细则 第十九条（据二手转引）"),
    Step("s14", ADMISSION, "填写入党志愿书", "细则 第十九条（预审合格后发放志愿书，据二手转引）"),
    Step("s15", ADMISSION, "支部大会讨论", "细则 第二十、二十一条（据二手转引）"),
    Step("s16", ADMISSION, "上级党委派人谈话", "细则 第四章（条号未核对）"),
    Step("s17", ADMISSION, "上级党委审批", "细则 第四章（条号未核对）"),
    Step("s18", ADMISSION, "再上一级党委组织部门备案", "细则 第四章（条号未核对）"),
    Step("s19", PROBATION, "编入党支部和党小组", "细则 第五章（条号未核对）"),
    Step("s20", PROBATION, "入党宣誓", "细则 第五章（条号未核对）"),
    Step("s21", PROBATION, "继续教育考察", "细则 第五章（条号未核对）"),
    Step("s22", PROBATION, "提出转正申请", "细则 第五章（条号未核对）"),
    Step("s23", PROBATION, "支部大会讨论(转正)", "细则 第三十三条（据二手转引）"),
    Step("s24", PROBATION, "上级党委审批(转正)", "细则 第五章（条号未核对）"),
    Step("s25", PROBATION, "材料归档", "细则 第三十七条"),
)
STEP_BY_CODE = {s.code: s for s in STEPS}
STEP_CODES = tuple(s.code for s in STEPS)
FIRST_STEP = "s01"
BRANCH_ADMITS = "s15"  # 支部大会讨论: joined_on and the start of probation
COMMITTEE_ADMITS = "s17"  # 上级党委审批: the probationary member is registered
BRANCH_CONFIRMS = "s23"  # 支部大会讨论(转正)
COMMITTEE_CONFIRMS = "s24"  # 上级党委审批(转正): the member becomes full
ARCHIVED = "s25"


def step_index(code):
    return STEP_CODES.index(code)


@dataclass(frozen=True)
class TimeRule:
    """`to_step` is done at least `min_months` and at most `max_months` after `from_step`."""

    code: str
    from_step: str
    to_step: str
    min_months: int | None
    max_months: int | None
    source: str


TIME_RULES = (
    TimeRule(
        "talk_within_month",
        "s01",
        "s02",
        None,
        1,
        "细则 第七条：党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话",
    ),
    TimeRule(
        "activist_one_year",
        "s03",
        "s07",
        12,
        None,
        "细则 第十三条：对经过一年以上培养教育和考察、基本具备党员条件的入党积极分子，可列为发展对象",
    ),
    TimeRule(
        "political_review_valid",
        "s10",
        "s15",
        None,
        12,
        "政治审查结论有效期一年(地方惯例)：超过一年须重新政审",
    ),
    TimeRule(
        "branch_meeting_after_prereview",
        "s13",
        "s15",
        None,
        1,
        "上级党委预审后一个月内召开支部大会讨论(地方惯例)",
    ),
    TimeRule(
        "committee_approval",
        "s15",
        "s17",
        None,
        3,
        "细则 第四章（条号未核对）：基层党委对接收预备党员的决议，应当在三个月内审批",
    ),
    TimeRule(
        "committee_approval_limit",
        "s15",
        "s17",
        None,
        6,
        "细则 第四章（条号未核对）：因故不能按时召开党委会的，审批时间可适当延长，但不得超过六个月",
    ),
    TimeRule(
        "probation_one_year",
        "s15",
        "s23",
        12,
        None,
        "党章 第七条、细则 第五章：预备期为一年，从支部大会通过其为预备党员之日算起"
        "（延长预备期的，加上延长的月数）",
    ),
)

# 党章 第七条、细则 第五章: probation may be extended once, by at least six months and at most a
# year; a member who does not meet the conditions has the probationary membership cancelled.
PROBATION_MONTHS = 12
PROBATION_EXTENSION_MIN_MONTHS = 6
PROBATION_EXTENSION_MAX_MONTHS = 12
PROBATION_EXTENSION_SOURCE = (
    "党章 第七条：“预备党员的预备期为一年……需要继续考察和教育的，可以延长预备期，但不能超过一年"
    "……不具备党员条件的，应当取消预备党员资格”；细则 第五章：延长预备期只能一次，时间不能少于半年，"
    "最长不超过一年。转正日期为预备期满之日。"
)


def probation_ends_on(development, steps) -> date | None:
    """The day probation ends (转正 date): a year after the branch meeting admitted the member,
    moved by an extension. None before that meeting is recorded."""
    admitted = steps.get(BRANCH_ADMITS)
    if admitted is None:
        return None
    months = PROBATION_MONTHS + (development.probation_extension_months or 0)
    return months_later(admitted.done_on, months)


# 党员大会表决 (细则 第二十条、第二十一条、第三十三条, quoted from secondary reproductions of the
# 2014 text): the 支部大会 that admits a probationary member (s15) or confirms one (s23) is valid
# only when more than half of the full members entitled to vote are present, and the resolution
# passes only when more than half of those ENTITLED (not of those present) vote for it. Written
# opinions of entitled members who could not attend count among the votes, so the votes for may
# exceed the number present. "超过半数" excludes exactly half.
MEETING_VOTE_STEPS = {BRANCH_ADMITS: "接收预备党员", BRANCH_CONFIRMS: "预备党员转正"}
MEETING_QUORUM_SOURCE = (
    "细则 第二十条（据二手转引）：“召开讨论接收预备党员的支部大会，有表决权的到会人数必须超过"
    "应到会有表决权人数的半数。”第三十三条：讨论转正的支部大会，对到会人数、赞成人数等要求与"
    "讨论接收预备党员的支部大会相同。"
)
MEETING_MAJORITY_SOURCE = (
    "细则 第二十一条（据二手转引）：“赞成人数超过应到会有表决权的正式党员的半数，才能通过接收"
    "预备党员的决议。因故不能到会的有表决权的正式党员，在支部大会召开前正式向党支部提出书面意见"
    "的，应当统计在票数内。”第三十三条：转正同。"
)


def meeting_vote_error(step_code: str, entitled, present, votes_for) -> tuple[str, str] | None:
    """(field, Chinese reason) when the 支部大会 vote recorded for `step_code` does not carry the
    resolution, else None. `entitled` = full members with the right to vote (应到会有表决权),
    `present` = those present, `votes_for` = votes in favour (written opinions included)."""
    what = MEETING_VOTE_STEPS[step_code]
    if entitled is None or present is None or votes_for is None:
        return "voters_entitled", (
            f"讨论{what}的支部大会须记录应到会有表决权人数、实到会人数和赞成人数"
        )
    if entitled < 1:
        return "voters_entitled", "应到会有表决权的正式党员至少为1名"
    if present > entitled:
        return "voters_present", "实到会人数不能多于应到会有表决权人数"
    if votes_for > entitled:
        return "votes_for", "赞成人数不能多于应到会有表决权人数"
    if present * 2 <= entitled:
        return "voters_present", (
            f"有表决权的到会人数{present}名，未超过应到会{entitled}名的半数，支部大会不能讨论{what}"
        )
    if votes_for * 2 <= entitled:
        return "votes_for", (
            f"赞成{votes_for}票，未超过应到会有表决权的正式党员{entitled}名的半数，"
            f"{what}的决议未通过"
        )
    return None


# 细则 第十九条（据二手转引）：“发展对象未来三个月内将离开工作、学习单位的，一般不办理接收预备党员的
# 手续。” Checked when the 支部大会 admits (s15) and when the committee approves (s17): an expected
# departure on or before the day three months later warns; "一般" allows the branch to go on with
# a recorded reason.
DEPARTURE_STEPS = (BRANCH_ADMITS, COMMITTEE_ADMITS)
DEPARTURE_MONTHS = 3
DEPARTURE_SOURCE = (
    "细则 第十九条（据二手转引）：“发展对象未来三个月内将离开工作、学习单位的，一般不办理接收"
    "预备党员的手续。”确需办理的，记录理由。"
)


def leaves_soon(expected_departure_on: date | None, done_on: date) -> bool:
    """The candidate leaves within three months of `done_on` (the last day included)."""
    if expected_departure_on is None:
        return False
    return expected_departure_on <= add_months(done_on, DEPARTURE_MONTHS)


# Shown on the rules page beside the steps and the time rules.
EXTRA_RULES = (
    MEETING_QUORUM_SOURCE,
    MEETING_MAJORITY_SOURCE,
    DEPARTURE_SOURCE,
)

# 细则 第三章：短期集中培训时间一般不少于3天(或不少于24个学时)
TRAINING_STEP = "s11"
TRAINING_MIN_DAYS = 3
TRAINING_MIN_HOURS = 24
TRAINING_SOURCE = "细则 第三章（条号未核对）：集中培训时间一般不少于3天(或不少于24个学时)"

# From 确定入党积极分子 until the branch meeting admits the candidate; the 细则 asks
# activists to report regularly, the quarterly rhythm is the local rule (RULES.md).
THOUGHT_REPORT_FROM = "s03"
THOUGHT_REPORT_UNTIL = "s15"
THOUGHT_REPORT_SOURCE = "入党积极分子和发展对象每季度至少递交一次思想汇报(地方惯例)"


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day the month lacks falls back to its last day."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def months_later(day: date, months: int) -> date:
    if months % 12 == 0:
        return add_years(day, months // 12)
    return add_months(day, months)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarters_between(start: date, end: date):
    """Every complete quarter after the one containing `start`, up to the one before `end`."""
    year, q = quarter_of(start)
    last = quarter_of(end)
    while True:
        q += 1
        if q == 5:
            year, q = year + 1, 1
        if (year, q) >= last:
            return
        yield year, q


# 考察: the branch reviews every activist at least once every six months, from 确定入党积极分子
# until 确定发展对象. The interval is measured from the previous review (or from s03).
REVIEW_FROM = "s03"
REVIEW_UNTIL = "s07"
REVIEW_MONTHS = 6
REVIEW_SOURCE = "细则 第二章：党支部每半年对入党积极分子进行一次考察(RULES.md；原文条号未核实)"


def review_deadlines(start: date, reviews, end: date | None, today: date | None):
    """(due date, late review date or None) for every six-month interval that ran out.

    `reviews` are the review dates in order. Each interval starts at the previous review
    (or at `start`) and must see a review on or before its due date; the activist stage
    ends at `end` (确定发展对象) or, while it lasts, is checked up to `today`.
    """
    horizon = end or today
    if horizon is None:
        return []
    missed, since = [], start
    pending = sorted(d for d in reviews if d >= start)
    while True:
        due = months_later(since, REVIEW_MONTHS)
        nxt = pending[0] if pending else None
        if nxt is not None and nxt <= due:
            since = pending.pop(0)
            continue
        if due >= horizon:
            return missed
        missed.append((due, nxt if nxt is not None and (end is None or nxt <= end) else None))
        if nxt is None:
            return missed
        since = pending.pop(0)


@dataclass(frozen=True)
class Violation:
    step: str
    rule: str
    message: str
    source: str


def check_timing(development, today: date | None = None) -> list[Violation]:
    """Every time rule the development breaks (uses prefetched `steps` / `thought_reports`).

    A rule whose later step is not yet recorded is checked against `today` when given:
    a deadline already passed is flagged as overdue.
    """
    steps = {s.step: s for s in development.steps.all()}
    found = []
    extension = development.probation_extension_months or 0
    for rule in TIME_RULES:
        if rule.code == "probation_one_year" and extension:
            rule = replace(rule, min_months=rule.min_months + extension)
        found.extend(_check_interval(rule, steps, today))
    found.extend(_check_training(steps))
    found.extend(_check_reports(development, steps, today))
    found.extend(_check_reviews(development, steps, today))
    return found


def _check_interval(rule, steps, today):
    start = steps.get(rule.from_step)
    if start is None:
        return []
    end = steps.get(rule.to_step)
    name = STEP_BY_CODE[rule.to_step].name
    if rule.min_months is not None and end is not None:
        earliest = months_later(start.done_on, rule.min_months)
        if end.done_on < earliest:
            return [
                Violation(
                    rule.to_step, rule.code, f"{name}过早：不得早于{earliest:%Y-%m-%d}", rule.source
                )
            ]
    if rule.max_months is not None:
        latest = months_later(start.done_on, rule.max_months)
        if end is not None and end.done_on > latest:
            return [
                Violation(
                    rule.to_step, rule.code, f"{name}过晚：应在{latest:%Y-%m-%d}前完成", rule.source
                )
            ]
        if end is None and today is not None and today > latest:
            return [
                Violation(
                    rule.to_step,
                    rule.code,
                    f"{name}已超期：应在{latest:%Y-%m-%d}前完成",
                    rule.source,
                )
            ]
    return []


def _check_training(steps):
    training = steps.get(TRAINING_STEP)
    if training is None:
        return []
    days = (training.end_on - training.done_on).days + 1 if training.end_on else 1
    if days >= TRAINING_MIN_DAYS or (training.hours or 0) >= TRAINING_MIN_HOURS:
        return []
    message = f"集中培训不足：{days}天、{training.hours or 0}学时"
    return [Violation(TRAINING_STEP, "training_length", message, TRAINING_SOURCE)]


def _check_reports(development, steps, today):
    start = steps.get(THOUGHT_REPORT_FROM)
    if start is None:
        return []
    until = steps.get(THOUGHT_REPORT_UNTIL)
    end = until.done_on if until else today
    if end is None:
        return []
    have = {(r.year, r.quarter) for r in development.thought_reports.all()}
    missing = [
        f"{y}年第{q}季度" for y, q in quarters_between(start.done_on, end) if (y, q) not in have
    ]
    if not missing:
        return []
    message = "缺少思想汇报：" + "、".join(missing)
    return [Violation(THOUGHT_REPORT_FROM, "thought_reports", message, THOUGHT_REPORT_SOURCE)]


def _check_reviews(development, steps, today):
    start = steps.get(REVIEW_FROM)
    if start is None:
        return []
    until = steps.get(REVIEW_UNTIL)
    dates = [r.reviewed_on for r in development.activist_reviews.all()]
    missed = review_deadlines(start.done_on, dates, until.done_on if until else None, today)
    found = []
    for due, late in missed:
        if late is None:
            message = f"积极分子考察已超期：应在{due:%Y-%m-%d}前考察"
        else:
            message = f"积极分子考察过晚：应在{due:%Y-%m-%d}前，实际{late:%Y-%m-%d}"
        found.append(Violation("s06", "activist_review", message, REVIEW_SOURCE))
    return found
