from datetime import date

from xianfeng.core.workbench import todo_for


def _kinds(user, today):
    return {item.kind: item for item in todo_for(user, today)}


def test_administrators_are_warned_sixty_days_before_the_calendar_runs_out(world):
    admin = world.users["street_admin"]
    assert "requests.calendar" not in _kinds(admin, date(2026, 10, 31))
    item = _kinds(admin, date(2026, 12, 4))["requests.calendar"]
    assert "2027" in item.title and item.due == date(2026, 12, 31)
    assert item.link == "/requests/calendar/"


def test_others_are_not_told(world):
    for role in ("branch_secretary", "grid_worker", "member", "observer"):
        assert "requests.calendar" not in _kinds(world.users[role], date(2026, 12, 4))
