"""Red/amber/green status of a key task (挂图作战), computed from its dates, never stored.

The thresholds are the common practice of 挂图作战 boards (a task is 亮红灯 when a deadline
has passed, 亮黄灯 when it is falling behind or about to miss one); they are ours, not a rule
text, and they live here so the board, the export and the tests read the same numbers.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

RED, AMBER, GREEN, DONE = "red", "amber", "green", "done"
LIGHT_LABELS = {RED: _("红灯"), AMBER: _("黄灯"), GREEN: _("绿灯"), DONE: _("已完成")}

LIGHT_SOURCE = (
    "本系统默认（挂图作战看板的常见做法，非规章条文）：超过时限或节点逾期亮红灯；节点7天内到期、"
    "进度落后时间进度20个百分点以上或14天未报送进展亮黄灯。"
)
MILESTONE_WARNING = timedelta(days=7)  # a milestone due within a week and not done: amber
STALE_UPDATE = timedelta(days=14)  # no weekly update for two weeks: amber
BEHIND_BY = 20  # progress more than 20 points behind the share of time elapsed: amber


@dataclass(frozen=True)
class Light:
    colour: str
    reasons: tuple

    @property
    def label(self):
        return LIGHT_LABELS[self.colour]


def task_light(task, milestones, last_update_on, today: date) -> Light:
    """The light of `task` on `today` given its milestones and the date of its latest update."""
    if task.completed_on:
        return Light(DONE, ())
    red = _red_reasons(task, milestones, today)
    if red:
        return Light(RED, tuple(red))
    amber = _amber_reasons(task, milestones, last_update_on, today)
    return Light(AMBER, tuple(amber)) if amber else Light(GREEN, ())


def _red_reasons(task, milestones, today):
    reasons = []
    if task.due_on < today:
        reasons.append(f"已超过完成时限 {task.due_on:%Y-%m-%d}")
    for m in milestones:
        if m.done_on is None and m.due_on < today:
            reasons.append(f"节点“{m.title}”已逾期({m.due_on:%Y-%m-%d})")
    return reasons


def _amber_reasons(task, milestones, last_update_on, today):
    reasons = []
    for m in milestones:
        if m.done_on is None and m.due_on - MILESTONE_WARNING <= today:
            reasons.append(f"节点“{m.title}”将于 {m.due_on:%Y-%m-%d} 到期")
    expected = expected_progress(task, today)
    if task.progress < expected - BEHIND_BY:
        reasons.append(f"进度 {task.progress}% 落后于时间进度 {expected}%")
    since = last_update_on or task.starts_on
    if since <= today - STALE_UPDATE and task.starts_on <= today:
        reasons.append(f"已 {(today - since).days} 天未报送进展")
    return reasons


def expected_progress(task, today) -> int:
    """Share of the task's time already elapsed, 0–100."""
    span = (task.due_on - task.starts_on).days
    if span <= 0:
        return 100 if today >= task.due_on else 0
    elapsed = (min(max(today, task.starts_on), task.due_on) - task.starts_on).days
    return round(100 * elapsed / span)
