from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xianfeng.elections import services
from xianfeng.elections.models import Election, ElectionStatus
from xianfeng.members.models import Member
from xianfeng.orgs import services as org_services
from xianfeng.orgs.models import Committee, CommitteeStatus
from xianfeng.testing import make_org

from .factories import nominate, plan

pytestmark = pytest.mark.django_db


def due_committee(org, actor, days_left):
    """A committee of `org` whose 5-year term ends in `days_left` days (negative: overdue)."""
    ends = timezone.localdate() + timedelta(days=days_left)
    return Committee.objects.create(
        organization=org, elected_on=ends.replace(year=ends.year - 5), term_years=5, ends_on=ends
    )


def test_reminders_list_due_and_overdue_with_status(world, login):
    due_committee(world.branch, None, 150)
    due_committee(world.branch2, None, -20)
    due_committee(world.other_branch, None, 10)
    election = plan(world)
    response = login(world.users["street_admin"]).get(reverse("elections:list"))
    rows = response.context["page"].object_list
    assert [(r.committee.organization, r.overdue) for r in rows] == [
        (world.branch2, True),
        (world.branch, False),
    ]
    assert rows[1].election == election and rows[0].election is None
    page = response.content.decode()
    assert "已超期" in page and "启动换届" in page


def test_reminders_stop_at_six_months(world, login):
    due_committee(world.branch, None, 200)
    response = login(world.users["street_admin"]).get(reverse("elections:list"))
    assert list(response.context["page"].object_list) == []


def test_outsider_sees_nothing(world, login):
    election = plan(world)
    client = login(world.users["outsider"])
    assert client.get(reverse("elections:detail", args=[election.pk])).status_code == 404
    assert client.post(reverse("elections:vote", args=[election.pk]), {}).status_code == 404
    response = client.get(reverse("elections:list"))
    assert list(response.context["open_elections"]) == []
    overview = client.get(reverse("elections:overview") + f"?org={world.street.pk}")
    assert overview.status_code == 404


def test_the_whole_flow_through_the_pages(world, login):
    old = org_services.start_committee(
        world.branch, elected_on=date(2019, 5, 1), actor=world.users["admin"]
    )
    client = login(world.users["branch_secretary"])
    response = client.post(
        reverse("elections:plan", args=[world.branch.pk]),
        {"planned_on": "2024-05-10", "seats": 3, "plan": "两推一选"},
    )
    election = Election.objects.get()
    assert response.status_code == 302
    # Four candidates for three seats: 差额 33% (not below 20%).
    for name, post in (
        ("张三", "secretary"),
        ("李四", "organization"),
        ("李五", "propaganda"),
        ("李六", "member"),
    ):
        member = Member.objects.get(name=name)
        url = reverse("elections:nominate", args=[election.pk])
        data = {"member": member.pk, "post": post, "source": "members"}
        assert client.post(url, data).status_code == 302
    form = client.get(reverse("elections:vote", args=[election.pk])).context["form"]
    assert form.initial["eligible"] == 4
    votes = {f"votes_{n.pk}": 4 for n in election.nominations.exclude(member__name="李六")}
    votes[f"votes_{election.nominations.get(member__name='李六').pk}"] = 1
    data = {"held_on": "2024-05-10", "eligible": 4, "present": 4, **votes}
    assert client.post(reverse("elections:vote", args=[election.pk]), data).status_code == 302
    decide = {"approve": "1", "on": "2024-06-01", "note": ""}
    assert client.post(reverse("elections:decide", args=[election.pk]), decide).status_code == 403
    approver = login(world.users["committee_secretary"])
    response = approver.post(reverse("elections:decide", args=[election.pk]), decide)
    assert response.status_code == 302
    election.refresh_from_db()
    assert election.status == ElectionStatus.APPROVED
    assert election.new_committee.seats.filter(started_on=date(2024, 6, 1)).count() == 3
    old.refresh_from_db()
    assert old.status == CommitteeStatus.ENDED


def test_invalid_meeting_shows_the_rule_and_keeps_nothing(world, login):
    election = plan(world)
    nominations = nominate(world, election, ["李四", "李五"])
    client = login(world.users["branch_secretary"])
    votes = {f"votes_{n.pk}": 3 for n in nominations}
    data = {"held_on": "2024-05-10", "eligible": 5, "present": 4, **votes}
    response = client.post(reverse("elections:vote", args=[election.pk]), data)
    assert response.status_code == 200
    assert "五分之四" in response.content.decode()
    election.refresh_from_db()
    assert election.status == ElectionStatus.NOMINATING and election.held_on is None


def test_withdraw_a_nomination(world, login):
    election = plan(world)
    [nomination] = nominate(world, election, ["李四"])
    client = login(world.users["branch_secretary"])
    url = reverse("elections:withdraw", args=[election.pk])
    assert client.post(url, {"nomination": nomination.pk}).status_code == 302
    assert not election.nominations.exists()


def test_overview_counts_by_status_in_constant_queries(world, login, django_assert_max_num_queries):
    client = login(world.users["street_admin"])
    url = reverse("elections:overview") + f"?org={world.street.pk}&year=2024"
    plan(world)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for n in range(6):
        org = make_org(f"新村{n}党支部", parent=world.street)
        services.plan_election(
            org, planned_on=date(2024, 3, 1), seats=3, actor=world.users["admin"]
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    statuses = {value: n for value, _label, n in response.context["statuses"]}
    assert statuses["planned"] == 7
    assert response.context["not_started"] == 1  # branch2
