from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from xianfeng.tasks.rules import AMBER, DONE, GREEN, RED, expected_progress, task_light

START, DUE = date(2026, 1, 1), date(2026, 12, 31)


def task(progress=50, completed_on=None, starts_on=START, due_on=DUE):
    return SimpleNamespace(
        starts_on=starts_on, due_on=due_on, progress=progress, completed_on=completed_on
    )


def milestone(due_on, done_on=None, title="方案"):
    return SimpleNamespace(due_on=due_on, done_on=done_on, title=title)


def light(t, milestones=(), updated=None, today=date(2026, 7, 1)):
    return task_light(t, milestones, updated or today, today)


def test_completed_task_is_done_whatever_its_dates():
    assert light(task(completed_on=date(2027, 2, 1)), today=date(2027, 3, 1)).colour == DONE


@pytest.mark.parametrize(("today", "colour"), [(DUE, GREEN), (DUE + timedelta(days=1), RED)])
def test_deadline_passes_the_day_after_due(today, colour):
    assert light(task(progress=99), today=today).colour == colour


@pytest.mark.parametrize(
    ("done_on", "today", "colour"),
    [
        (None, date(2026, 5, 31), AMBER),  # due today: still amber
        (None, date(2026, 6, 1), RED),  # a day late: red
        (date(2026, 5, 30), date(2026, 6, 1), GREEN),
    ],
)
def test_milestone_overdue_is_red(done_on, today, colour):
    t = task(progress=45)
    assert light(t, [milestone(date(2026, 5, 31), done_on)], today=today).colour == colour


@pytest.mark.parametrize(("days_before", "colour"), [(7, AMBER), (8, GREEN)])
def test_milestone_within_a_week_is_amber(days_before, colour):
    today = date(2026, 7, 1)
    m = milestone(today + timedelta(days=days_before))
    assert light(task(progress=50), [m], today=today).colour == colour


def test_behind_schedule_by_more_than_twenty_points_is_amber():
    today = date(2026, 7, 2)  # 182 of 364 days: 50%
    assert expected_progress(task(), today) == 50
    assert light(task(progress=30), today=today).colour == GREEN
    assert light(task(progress=29), today=today).colour == AMBER


@pytest.mark.parametrize(("days", "colour"), [(13, GREEN), (14, AMBER)])
def test_no_update_for_two_weeks_is_amber(days, colour):
    today = date(2026, 7, 1)
    got = task_light(task(progress=50), (), today - timedelta(days=days), today)
    assert got.colour == colour


def test_a_task_not_yet_started_is_not_stale():
    t = task(progress=0, starts_on=date(2026, 9, 1))
    assert task_light(t, (), None, date(2026, 7, 1)).colour == GREEN


def test_reasons_name_the_milestone_and_dates():
    got = light(task(), [milestone(date(2026, 6, 1), title="拆违")], today=date(2026, 7, 1))
    assert got.colour == RED
    assert got.reasons == ("节点“拆违”已逾期(2026-06-01)",)
