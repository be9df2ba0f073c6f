"""换届选举 rules: who votes, when the meeting is valid, who is elected, when to remind.

Each rule keeps the text it comes from. The 1990 暂行条例 and the 2020 条例 agree on the
numbers used here (quorum more than 4/5, elected with more than half of those present);
quotations are from public reproductions of the texts (see docs/modules/elections.md).
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy

from xianfeng.orgs.rules import RESCHEDULE_SOURCE

SOURCE = "《中国共产党基层组织选举工作条例》(2020；1990年暂行条例同)"

QUORUM_SOURCE = (
    f"{SOURCE}（条号未核对）：“进行选举时，有选举权的到会人数超过应到会人数的五分之四，会议有效。”"
)
MAJORITY_SOURCE = (
    f"{SOURCE}（条号未核对）：“被选举人获得的赞成票超过实到会有选举权人数的一半，始得当选。”"
    "“获得赞成票超过半数的被选举人数多于应选名额时，以得票多少为序，至取足应选名额为止；"
    "如遇票数相等不能确定当选人时，应就票数相等的被选举人再次投票，得票多的当选。”"
)
VOTERS_SOURCE = (
    f"{SOURCE} 第五条：“正式党员有表决权、选举权、被选举权。受留党察看处分的党员在留党察看期间没有"
    "表决权、选举权和被选举权；预备党员没有表决权、选举权和被选举权。党员被依法留置、逮捕的，党组织"
    "应当按照管理权限中止其表决权、选举权和被选举权等党员权利。”不计入应到会人数；失联党员不计入"
    "应到会人数（RULES.md，条号未核对）。"
)
MARGIN_SOURCE = f"{SOURCE}（条号未核对）：委员候选人实行差额选举，差额比例不少于20%；不足时拒绝记录选举结果。只选书记一人（不设委员会的党支部）可等额。"
APPROVAL_SOURCE = (
    "党章 第三十条：“基层委员会、总支部委员会、支部委员会的书记、副书记选举产生后，应报上级党组织"
    f"批准。”委员的选举结果报上级党组织备案：{SOURCE}（条号未核对）。备案不能被退回；不批准书记、"
    "副书记时须重新选举。新一届班子自批复之日起任职、上一届同日离任（本系统约定，地方惯例；届期从"
    "选举日期起算）。"
)
REMINDER_MONTHS = 6
REMINDER_SOURCE = "换届提前启动：届满前6个月起提醒，以便制定方案、酝酿提名（地方惯例，可调整）。"


def quorum_met(eligible: int, present: int) -> bool:
    """More than four fifths of those entitled to vote are present (exactly 4/5 is not enough)."""
    return eligible > 0 and present * 5 > eligible * 4


def is_majority(votes: int, present: int) -> bool:
    """More than half of those present voted for the candidate (exactly half is not enough)."""
    return votes * 2 > present


@dataclass(frozen=True)
class Outcome:
    elected: list  # nomination ids, most votes first
    tied: list  # nomination ids tied at the last seat: they need another ballot


def count_votes(votes: dict, present: int, seats: int) -> Outcome:
    """Who is elected from {nomination id: votes}: majority, then by votes up to `seats`."""
    majority = [pk for pk, v in votes.items() if is_majority(v, present)]
    ranked = sorted(majority, key=lambda pk: (-votes[pk], pk))
    if len(ranked) <= seats:
        return Outcome(ranked, [])
    cutoff = votes[ranked[seats - 1]]
    if votes[ranked[seats]] == cutoff:
        above = [pk for pk in ranked if votes[pk] > cutoff]
        return Outcome(above, [pk for pk in ranked if votes[pk] == cutoff])
    return Outcome(ranked[:seats], [])


def margin_short(candidates: int, seats: int) -> bool:
    """Fewer candidates than seats × 1.2 (差额 below 20%): warned while nominating, refused
    when the votes are recorded. Exactly 20% (5 seats, 6 candidates) is enough. A single seat
    (a branch under 7 full members electing only its 书记) may be 等额: the 20% binds 委员."""
    return seats > 1 and candidates * 5 < seats * 6


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clipped to the month's last day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


RULE_TABLE = (
    (
        gettext_lazy("选举权"),
        gettext_lazy(
            "只有状态正常的正式党员计入应到会人数和被提名人（留党察看、留置、逮捕、失联除外）"
        ),
        VOTERS_SOURCE,
    ),
    (gettext_lazy("会议有效"), gettext_lazy("实到会人数 × 5 > 应到会人数 × 4"), QUORUM_SOURCE),
    (
        gettext_lazy("当选"),
        gettext_lazy("得票 × 2 > 实到会人数，按得票多少取足应选名额"),
        MAJORITY_SOURCE,
    ),
    (
        gettext_lazy("差额"),
        gettext_lazy("候选人数 ≥ 应选人数 × 1.2：提名时提示，不足则不能记录选举结果"),
        MARGIN_SOURCE,
    ),
    (
        gettext_lazy("批复"),
        gettext_lazy(
            "委员报上级备案（不能退回），书记、副书记报上级批准；每名当选人记录备案或批准的"
            "日期和经办人；新班子自批复之日起任职"
        ),
        APPROVAL_SOURCE,
    ),
    (
        gettext_lazy("延期或提前"),
        gettext_lazy("经上级批准，换届日期最多延后或提前1年；提醒和超期按批准后的日期计算"),
        RESCHEDULE_SOURCE,
    ),
    (gettext_lazy("提醒"), gettext_lazy("届满前6个月起及超期未换届"), REMINDER_SOURCE),
)
