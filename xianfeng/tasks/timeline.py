"""The 挂图作战 timeline: each task as a bar between its start and deadline, in percent of the
window that holds them all, so the page draws it with plain CSS and prints as it shows."""

from dataclasses import dataclass


@dataclass
class Bar:
    task: object
    light: object
    left: float
    width: float
    marks: list  # (left %, milestone)


def timeline_rows(rows, today):
    if not rows:
        return {"bars": [], "today": None, "months": []}
    start = min(task.starts_on for task, _light in rows)
    end = max(task.due_on for task, _light in rows)
    span = max((end - start).days, 1)

    def at(day):
        return round(100 * (day - start).days / span, 2)

    bars = [
        Bar(
            task,
            light,
            at(task.starts_on),
            max(at(task.due_on) - at(task.starts_on), 0.5),
            [(at(m.due_on), m) for m in task.milestones.all()],
        )
        for task, light in rows
    ]
    months = []
    month = start.replace(day=1)
    while month <= end:
        if month >= start:
            months.append((at(month), month))
        month = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
    return {"bars": bars, "today": at(today) if start <= today <= end else None, "months": months}
