"""Pages and API through the client: arrange, mark, sign in, compliance, ledger, scoping."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xianfeng.meetings import services
from xianfeng.meetings.models import AttendanceStatus, Meeting, ReviewResult
from xianfeng.meetings.rules import MeetingKind
from xianfeng.testing import FORMULA_TEXT, assert_safe_and_printable

from .factories import meeting

K = MeetingKind
pytestmark = pytest.mark.django_db


def test_secretary_arranges_a_meeting_with_the_branch_invited(world, login):
    client = login(world.users["branch_secretary"])
    starts = timezone.localtime() + timedelta(days=2)
    response = client.post(
        f"{reverse('meetings:create')}?org={world.branch.pk}",
        {
            "kind": K.THEME_DAY,
            "topic": "重温入党誓词",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "place": "党群服务中心",
            "presided_by": world.member.pk,
        },
    )
    created = Meeting.objects.get(topic="重温入党誓词")
    assert response.status_code == 302 and response.url == reverse(
        "meetings:detail", args=[created.pk]
    )
    assert created.attendances.count() == 4 and created.presided_by == world.member


def test_bad_input_keeps_the_form_with_a_chinese_error(world, login):
    client = login(world.users["branch_secretary"])
    response = client.post(
        f"{reverse('meetings:create')}?org={world.branch.pk}",
        {"kind": K.COMMITTEE_MEETING, "topic": "支委会", "starts_at": "2025-03-01T09:00"},
    )
    assert response.status_code == 200
    assert "未设支部委员会" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_secretary_cannot_arrange_outside_the_subtree(world, login):
    client = login(world.users["outsider"])
    response = client.get(reverse("meetings:create"), {"org": world.branch.pk})
    assert response.status_code == 404


def test_organizer_marks_attendance_on_the_page(world, login):
    m = meeting(world.branch, K.THEME_DAY, date(2025, 3, 8))
    client = login(world.users["branch_secretary"])
    other = world.branch.members.exclude(pk=world.member.pk).first()
    response = client.post(
        reverse("meetings:attendance", args=[m.pk]),
        {
            f"status_{world.member.pk}": "present",
            f"status_{other.pk}": "leave",
            f"reason_{other.pk}": "出差",
        },
    )
    assert response.status_code == 302
    statuses = dict(m.attendances.values_list("member_id", "status"))
    assert statuses[world.member.pk] == "present" and statuses[other.pk] == "leave"
    page = client.get(reverse("meetings:detail", args=[m.pk]))
    assert page.context["counts"]["present"] == 1 and page.context["counts"]["leave"] == 1


def test_detail_outside_the_subtree_is_404(world, login):
    m = meeting(world.branch, K.THEME_DAY, date(2025, 3, 8))
    assert (
        login(world.users["outsider"]).get(reverse("meetings:detail", args=[m.pk])).status_code
        == 404
    )


def test_qr_is_an_svg_of_the_signed_sign_in_link(world, login):
    m = meeting(world.branch, K.THEME_DAY, date(2025, 3, 8))
    response = login(world.users["branch_secretary"]).get(reverse("meetings:qr", args=[m.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml") and b"<svg" in response.content


def test_member_signs_in_by_scanning(world, login):
    m = meeting(
        world.branch, K.THEME_DAY, starts_at=timezone.now() + timedelta(minutes=20), held=False
    )
    url = reverse("meetings:signin", args=[services.signin_token(m)])
    client = login(world.users["member"])
    page = client.get(url)
    assert "确认签到" in page.content.decode()
    assert client.post(url).url == reverse("meetings:mine")
    assert m.attendances.get(member=world.member).status == AttendanceStatus.PRESENT


def test_sign_in_refused_outside_the_window_and_for_the_uninvited(world, login, password):
    m = meeting(
        world.branch, K.THEME_DAY, starts_at=timezone.now() + timedelta(hours=5), held=False
    )
    url = reverse("meetings:signin", args=[services.signin_token(m)])
    response = login(world.users["member"]).post(url)
    assert "不在签到时间内" in response.content.decode()
    assert m.attendances.get(member=world.member).status == AttendanceStatus.INVITED
    tampered = url.replace(str(m.pk) + ":", str(m.pk + 1) + ":")
    assert login(world.users["member"]).get(tampered).status_code == 404


def test_my_meetings_lists_only_my_own(world, login):
    mine = meeting(world.branch, K.THEME_DAY, date(2025, 3, 8))
    meeting(world.other_branch, K.THEME_DAY, date(2025, 3, 8), topic="别人的会")
    response = login(world.users["member"]).get(reverse("meetings:mine"))
    assert [row.meeting for row in response.context["rows"]] == [mine]
    assert "别人的会" not in response.content.decode()


def test_compliance_page_for_a_subtree(world, login):
    for month in range(1, 13):
        meeting(world.branch, K.THEME_DAY, date(2025, month, 8))
    client = login(world.users["committee_secretary"])
    response = client.get(reverse("meetings:compliance"), {"org": world.street.pk, "year": 2025})
    assert response.status_code == 200
    rules = {r["rule"].code: r for r in response.context["rules"]}
    assert rules["theme_day"]["met"] == 1 and rules["theme_day"]["missed"] == 1
    names = [org.name for org, _m, _l in response.context["failing"]]
    assert set(names) == {"北关社区党支部", "北坦社区党支部"}  # both miss the assemblies
    outsider = login(world.users["outsider"])
    assert outsider.get(reverse("meetings:compliance"), {"org": world.street.pk}).status_code == 404


def test_compliance_page_quarter(world, login):
    client = login(world.users["branch_secretary"])
    response = client.get(reverse("meetings:compliance"), {"year": 2025, "quarter": 4})
    assert response.context["root"] == world.branch  # defaults to the user's own subtree
    assert (response.context["start"], response.context["end"]) == (
        date(2025, 10, 1),
        date(2025, 12, 31),
    )


def test_ledger_page_and_xlsx(world, login):
    m = meeting(world.branch, K.GENERAL_ASSEMBLY, date(2025, 5, 18))
    Meeting.objects.filter(pk=m.pk).update(topic=FORMULA_TEXT)
    services.mark_attendance(m, {world.member.pk: ("present", "")}, actor=None)
    services.record_review(world.member, 2025, grade="excellent", votes_excellent=4, actor=None)
    client = login(world.users["observer"])
    page = client.get(reverse("meetings:ledger", args=[world.branch.pk]), {"year": 2025})
    assert page.status_code == 200
    assert "A4" in page.content.decode()
    response = client.get(reverse("meetings:ledger_xlsx", args=[world.branch.pk]), {"year": 2025})
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["会议登记", "出勤登记", "民主评议"]
    assert book["会议登记"]["C3"].value == "支部党员大会"
    rates = {row[0].value: row[5].value for row in book["出勤登记"].iter_rows(min_row=2)}
    assert rates["张三"] == 1.0 and rates["李四"] == 0.0
    assert book["民主评议"]["B2"].value == "优秀"
    assert book["会议登记"]["A3"].is_date and book["出勤登记"]["F2"].number_format == "0.0%"
    assert_safe_and_printable(book["会议登记"], header_row=2)


def test_review_page_records_a_result(world, login):
    client = login(world.users["branch_secretary"])
    response = client.post(
        f"{reverse('meetings:reviews', args=[world.branch.pk])}?year=2025",
        {"member": world.member.pk, "grade": "qualified", "basis": "党员互评"},
    )
    assert response.status_code == 302
    assert ReviewResult.objects.get(member=world.member, year=2025).grade == "qualified"
    observer = login(world.users["observer"])
    response = observer.post(reverse("meetings:reviews", args=[world.branch.pk]), {})
    assert response.status_code == 403


def test_plan_page_adds_copies_and_deletes(world, login):
    client = login(world.users["branch_secretary"])
    url = reverse("meetings:plan", args=[world.branch.pk])
    client.post(f"{url}?year=2025", {"kind": K.THEME_DAY, "due_on": "2025-04-08"})
    client.post(reverse("meetings:plan_copy", args=[world.branch.pk]), {"year": 2025})
    page = client.get(url, {"year": 2026})
    items = [i for _q, rows in page.context["quarters"] for i in rows]
    assert [i.due_on for i in items] == [date(2026, 4, 8)]
    client.post(f"{url}?year=2026", {"delete": items[0].pk})
    assert not world.branch.meeting_plan.filter(year=2026).exists()


def test_api_lists_scoped_meetings_and_compliance(world, api):
    meeting(world.branch, K.THEME_DAY, date(2025, 3, 8))
    meeting(world.other_branch, K.THEME_DAY, date(2025, 3, 8))
    response = api(world.users["branch_secretary"]).get("/api/v1/meetings/")
    assert [row["organization"] for row in response.json()["results"]] == [world.branch.pk]
    m = response.json()["results"][0]
    detail = api(world.users["branch_secretary"]).get(f"/api/v1/meetings/{m['id']}/").json()
    assert detail["attendance"]["planned"] == 4
    response = api(world.users["branch_secretary"]).get(
        "/api/v1/meetings/compliance/", {"org": world.branch.pk, "year": 2025}
    )
    body = response.json()
    assert body["statuses"][str(world.branch.pk)]["theme_day"] == 4
    outsider = api(world.users["outsider"])
    assert outsider.get(f"/api/v1/meetings/{m['id']}/").status_code == 404
    assert outsider.get("/api/v1/meetings/compliance/", {"org": world.branch.pk}).status_code == 404
