"""How study time and quiz scores are counted. Pure functions, each rule tested at its edges.

Study time is "time actually spent" (issue 8): the course page sends a beat every BEAT seconds
while it is visible; a beat credits the time since the previous one, at most BEAT, and nothing
when the gap shows the page was hidden or closed (> 2 × BEAT). So a tab left open in the
background, or a script replaying beats quickly, never earns more than real time.
"""

from django.utils.translation import gettext_lazy as _

BEAT = 30  # seconds between beats of a visible course page
COMPLETE_SHARE = 0.8  # a course is finished after 80% of its stated minutes

STUDY_SOURCE = (
    "本系统默认（issue 8，非规章条文）：学习时长按页面可见时的实际时间计，每30秒一次心跳，"
    "学满课程标注时长的80%为学完。"
)
SCORING_SOURCE = "本系统默认（非规章条文）：多选题全对才得分，总分100分按题平均。"

SCORING_RULE = _(
    "单选、判断题选对得分；多选题须全部选对才得分，少选、错选均不得分。总分 100 分，按题平均。"
)


def credit(gap_seconds: float | None) -> int:
    """Seconds to add for a beat arriving `gap_seconds` after the previous one (None: first beat)."""
    if gap_seconds is None or gap_seconds < 0 or gap_seconds > 2 * BEAT:
        return 0
    return int(min(gap_seconds, BEAT))


def is_complete(seconds: int, minutes: int) -> bool:
    return seconds >= COMPLETE_SHARE * minutes * 60


def is_right(question, chosen) -> bool:
    return sorted(set(chosen)) == sorted(question.answer)


def score_paper(questions, answers) -> int:
    """Score 0–100: the share of questions answered right; `answers` maps str(id) → [indexes]."""
    if not questions:
        return 0
    right = sum(is_right(q, answers.get(str(q.pk), [])) for q in questions)
    return round(100 * right / len(questions))
