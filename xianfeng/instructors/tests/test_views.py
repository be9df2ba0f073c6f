from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xianfeng.instructors import services
from xianfeng.instructors.models import Instructor, Submission, Visit, VisitKind
from xianfeng.members.models import Member
from xianfeng.testing import (
    FORMULA_TEXT,
    assert_printable,
    assert_safe_and_printable,
    make_member,
    make_org,
    make_user,
)

from .factories import appoint, window

pytestmark = pytest.mark.django_db


@pytest.fixture
def wu(world):
    user = make_user("li5", member=Member.objects.get(name="李五"))
    return appoint(world), user


def visit(instructor, org, day, actor, kind=VisitKind.GUIDANCE):
    return services.record_visit(
        instructor, org, visited_on=day, kind=kind, content="指导工作", actor=actor
    )


def test_appoint_through_the_form(world, login):
    client = login(world.users["org_officer"])
    member = make_member(world.branch, "魏玉宁", joined_on=date(2010, 7, 1))
    # The form offers organ (机关) members: move him to an organ branch of the street.
    organ = make_org("北坦街道机关党支部", parent=world.street, domain="organ")
    member.organization = organ
    member.save()
    data = {
        "office": world.street.pk,
        "member": member.pk,
        "department": "党建办",
        "started_on": "2024-04-01",
        "organizations": [world.branch.pk, world.branch2.pk],
    }
    response = client.post(reverse("instructors:appoint"), data)
    assert response.status_code == 302
    instructor = Instructor.objects.get(member=member)
    assert instructor.assignments.count() == 2


def test_instructor_logs_for_assigned_org_only(world, login, wu):
    instructor, user = wu
    client = login(user)
    url = reverse("instructors:visit", args=[instructor.pk])
    data = {"organization": world.branch2.pk, "visited_on": "2024-03-05", "kind": "meeting"}
    response = client.post(url, {**data, "content": "列席支部党员大会"})
    assert response.status_code == 302
    response = client.post(url, {**data, "organization": world.branch.pk, "content": "x"})
    assert response.status_code == 200
    assert "organization" in response.context["visit_form"].errors
    assert Visit.objects.count() == 1


def test_instructor_sees_only_themselves(world, login, wu):
    instructor, user = wu
    other = appoint(world, name="李六", orgs=[world.branch])
    client = login(user)
    listed = list(client.get(reverse("instructors:list")).context["instructors"])
    assert listed == [instructor]
    assert client.get(reverse("instructors:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("instructors:supervision")).status_code == 403
    assert client.get(reverse("orgs:detail", args=[world.branch2.pk])).status_code == 200
    assert client.get(reverse("orgs:detail", args=[world.branch.pk])).status_code == 404


def test_outsider_cannot_see_or_log(world, login, wu, api):
    instructor, _user = wu
    outsider = world.users["outsider"]
    client = login(outsider)
    assert client.get(reverse("instructors:detail", args=[instructor.pk])).status_code == 403
    data = {"organization": world.branch2.pk, "visited_on": "2024-03-05", "kind": "meeting"}
    response = client.post(reverse("instructors:visit", args=[instructor.pk]), data)
    assert response.status_code == 403
    # Another street's manager: the permission, but not on this office.
    manager = make_user("other_admin", role="street_admin", org=world.other_street)
    client = login(manager)
    assert client.get(reverse("instructors:detail", args=[instructor.pk])).status_code == 404
    assert client.get(reverse("instructors:ledger_xlsx", args=[instructor.pk])).status_code == 404
    assert list(client.get(reverse("instructors:list")).context["instructors"]) == []
    assert not Visit.objects.exists()


def test_window_page_shows_submitted_late_and_overdue(world, login, wu):
    instructor, user = wu
    late_one = appoint(world, name="李六", orgs=[world.branch])
    appoint(world, name="李四", orgs=[world.branch])
    logs = window(world)
    services.submit_log(logs, instructor, submitted_on=date(2024, 7, 10), actor=user)
    services.submit_log(
        logs, late_one, submitted_on=date(2024, 7, 20), actor=world.users["street_admin"]
    )
    response = login(world.users["street_admin"]).get(reverse("instructors:window", args=[logs.pk]))
    states = {row.instructor.member.name: row.state for row in response.context["rows"]}
    assert states == {"李五": "on_time", "李六": "late", "李四": "overdue"}
    assert response.context["counts"] == {"on_time": 1, "late": 1, "missing": 0, "overdue": 1}


def test_instructor_submits_own_log(world, login, wu):
    instructor, user = wu
    logs = window(world)
    response = login(user).post(reverse("instructors:submit", args=[logs.pk]), {})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.instructor == instructor and submission.is_late  # today is after 2024-07-15


def test_supervision_groups_visits_in_constant_queries(
    world, login, wu, django_assert_max_num_queries
):
    instructor, user = wu
    today = timezone.localdate()
    visit(instructor, world.branch2, today.replace(day=1), user)
    client = login(world.users["street_admin"])
    url = reverse("instructors:supervision") + f"?year={today.year}"
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for n, name in enumerate(("李六", "李四")):
        org = make_org(f"新村{n}党支部", parent=world.street)
        other = appoint(world, name=name, orgs=[org, world.branch])
        visit(other, org, today - timedelta(days=40), world.users["street_admin"])
        visit(other, world.branch, today.replace(day=1), world.users["street_admin"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    rows = {i.member.name: (counts, total) for i, counts, total in response.context["rows"]}
    assert rows["李五"][1] == 1 and rows["李五"][0][today.month - 1] == 1
    stale = {org.name for org in response.context["stale"]}
    assert stale == {"新村0党支部", "新村1党支部"}


def test_ledger_page_and_xlsx(world, login, wu):
    instructor, user = wu
    visit(instructor, world.branch2, date(2024, 3, 5), user, VisitKind.MEETING)
    services.submit_report(
        instructor, reported_on=date(2024, 6, 30), title="上半年工作汇报", content="…", actor=user
    )
    client = login(user)
    page = client.get(reverse("instructors:ledger", args=[instructor.pk]) + "?year=2024")
    assert "2024年党建指导员工作台账" in page.content.decode()
    response = client.get(reverse("instructors:ledger_xlsx", args=[instructor.pk]) + "?year=2024")
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["到岗履责", "工作汇报", "工作例会", "日志台账提交"]
    assert book["到岗履责"]["B5"].value == "北坦社区党支部"
    assert book["工作汇报"]["B2"].value == "上半年工作汇报"
    assert book["到岗履责"]["A5"].is_date
    assert_printable(book["到岗履责"], header_row=4)


def test_ledger_xlsx_writes_formula_text_as_text(world, login, wu):
    instructor, user = wu
    services.submit_report(
        instructor, reported_on=date(2024, 6, 30), title=FORMULA_TEXT, content="…", actor=user
    )
    response = login(user).get(
        reverse("instructors:ledger_xlsx", args=[instructor.pk]) + "?year=2024"
    )
    assert_safe_and_printable(
        load_workbook(BytesIO(b"".join(response.streaming_content)))["工作汇报"]
    )


def test_meeting_through_the_form(world, login, wu):
    instructor, _user = wu
    client = login(world.users["committee_secretary"])
    data = {
        "office": world.street.pk,
        "kind": "regular",
        "held_on": "2024-03-28",
        "topic": "一季度工作例会",
        "minutes": "各指导员汇报到岗情况",
        "attendees": [instructor.pk],
    }
    assert client.post(reverse("instructors:meetings"), data).status_code == 302
    assert instructor.meetings.get().topic == "一季度工作例会"


def test_api_check_in_for_own_organization(world, wu, api):
    instructor, user = wu
    client = api(user)
    data = {"organization": world.branch2.pk, "visited_on": "2024-03-05", "visit_kind": "guidance"}
    response = client.post("/api/v1/instructor-visits/", {**data, "content": "指导三会一课"})
    assert response.status_code == 201, response.json()
    assert response.json()["instructor"] == instructor.pk
    again = client.post("/api/v1/instructor-visits/", {**data, "content": "重复提交"})
    assert again.status_code == 400 and "已登记" in again.json()["detail"]
    elsewhere = client.post(
        "/api/v1/instructor-visits/", {**data, "organization": world.branch.pk, "content": "x"}
    )
    assert elsewhere.status_code == 400 and "organization" in elsewhere.json()
    listed = client.get("/api/v1/instructor-visits/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["organization_name"] for row in rows] == ["北坦社区党支部"]
    outsider = api(world.users["outsider"]).get("/api/v1/instructor-visits/")
    assert outsider.status_code == 403
