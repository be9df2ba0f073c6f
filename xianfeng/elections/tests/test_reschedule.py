"""换届延期或提前 (选举工作条例 第三条): at most a year, approved by the level above; the
reminders and overdue warnings follow the approved date."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog
from xianfeng.core.workbench import todo_for
from xianfeng.elections import services
from xianfeng.orgs import services as org_services
from xianfeng.orgs.models import Committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(world):
    """The branch's committee, elected 2021-06-01: a 3-year term ends 2024-06-01."""
    return org_services.start_committee(
        world.branch, elected_on=date(2021, 6, 1), term_years=3, actor=None
    )


def move(world, ends_on, actor=None, **extra):
    fields = {
        "ends_on": ends_on,
        "approved_on": date(2024, 5, 1),
        "approval": "街党工委〔2024〕12号",
        "reason": "村“两委”同步换届",
        **extra,
    }
    return services.reschedule_renewal(
        world.branch, actor=actor or world.users["street_admin"], **fields
    )


@pytest.mark.parametrize(
    ("ends_on", "allowed"),
    [
        (date(2025, 6, 1), True),  # delayed exactly one year
        (date(2025, 6, 2), False),  # a day more
        (date(2023, 6, 1), True),  # advanced exactly one year
        (date(2023, 5, 31), False),
    ],
)
def test_one_year_edge(world, committee, ends_on, allowed):
    if allowed:
        move(world, ends_on)
        committee.refresh_from_db()
        assert committee.ends_on == ends_on
        assert committee.statutory_ends_on == date(2024, 6, 1)
        assert committee.rescheduled == ("延期" if ends_on > date(2024, 6, 1) else "提前")
    else:
        with pytest.raises(DomainError, match="不超过1年") as exc:
            move(world, ends_on)
        assert exc.value.field == "ends_on"
        committee.refresh_from_db()
        assert committee.ends_on == date(2024, 6, 1) and committee.statutory_ends_on is None


def test_a_second_change_is_bounded_by_the_statutory_date_not_the_last_one(world, committee):
    move(world, date(2025, 3, 1))
    with pytest.raises(DomainError, match="2025-06-01"):
        move(world, date(2025, 6, 2))
    move(world, date(2025, 6, 1))
    move(world, date(2024, 6, 1))  # back to the term's own end: no adjustment left
    committee.refresh_from_db()
    assert committee.statutory_ends_on is None and committee.rescheduled == ""
    assert AuditLog.objects.filter(action="org.committee.reschedule").count() == 3


def test_only_the_level_above_approves_and_the_approval_is_recorded(world, committee):
    with pytest.raises(DomainError, match="须经上级党组织批准"):
        move(world, date(2025, 6, 1), actor=world.users["branch_secretary"])
    with pytest.raises(DomainError, match="文号"):
        move(world, date(2025, 6, 1), approval=" ")
    with pytest.raises(DomainError, match="原因"):
        move(world, date(2025, 6, 1), reason="")
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError, match="不能晚于今天"):
        move(world, date(2025, 6, 1), approved_on=tomorrow)
    move(world, date(2025, 6, 1))
    committee.refresh_from_db()
    assert committee.rescheduled_on == date(2024, 5, 1)
    assert committee.reschedule_approval == "街党工委〔2024〕12号"


def _todo(user, today):
    return {i.kind: i.count for i in todo_for(user, today) if i.kind.startswith("orgs.terms")}


def test_overdue_warning_follows_the_approved_delay(world, committee):
    user = world.users["street_admin"]
    day_after = date(2024, 6, 2)
    assert _todo(user, day_after).get("orgs.terms_ended") == 1
    move(world, date(2025, 6, 1))
    todo = _todo(user, day_after)
    assert todo.get("orgs.terms_ended", 0) == 0
    assert todo.get("orgs.terms_soon", 0) == 0  # a year away: not within 90 days
    assert _todo(user, date(2025, 6, 1)).get("orgs.terms_ended", 0) == 0  # the last day
    assert _todo(user, date(2025, 6, 2))["orgs.terms_ended"] == 1


def test_an_advance_brings_the_warning_forward(world, committee):
    move(world, date(2023, 9, 1))
    assert _todo(world.users["street_admin"], date(2023, 9, 2))["orgs.terms_ended"] == 1


def test_reminders_restart_for_the_new_date(world, committee):
    from xianfeng.notices.models import Notice

    services.remind_expiring_terms(date(2024, 5, 20))
    first = Notice.objects.count()
    assert first > 0
    move(world, date(2025, 6, 1))
    assert services.remind_expiring_terms(date(2024, 6, 2)) == 0  # not due any more
    services.remind_expiring_terms(date(2025, 5, 20))
    assert Notice.objects.count() > first


def test_page_records_the_change_and_the_org_page_shows_it(world, committee, login):
    client = login(world.users["street_admin"])
    url = reverse("elections:reschedule", args=[world.branch.pk])
    assert client.get(url).status_code == 200
    data = {
        "ends_on": "2025-06-02",
        "approved_on": "2024-05-01",
        "approval": "街党工委〔2024〕12号",
        "reason": "与村委会同步",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "不超过1年" in response.content.decode()
    response = client.post(url, {**data, "ends_on": "2025-06-01"})
    assert response.status_code == 302
    assert Committee.objects.get(pk=committee.pk).ends_on == date(2025, 6, 1)
    page = client.get(reverse("orgs:detail", args=[world.branch.pk])).content.decode()
    assert "经上级批准延期换届" in page and "2024-06-01" in page


def test_lists_mark_the_approved_date(world, committee, login):
    move(world, date(2024, 12, 1))
    client = login(world.users["street_admin"])
    # overdue by today, so both lists show it, with the approved date marked
    for name in ("orgs:terms", "elections:list"):
        page = client.get(reverse(name)).content.decode()
        assert "2024-12-01" in page and "经上级批准延期" in page
