"""Issue 19: every xlsx export is streamed with flat memory.

Each export is requested with about 10 rows and again with about 100: the number of queries is
the same (rows are read in chunks, related rows joined or fetched once per chunk), the
response is streamed (no Content-Length) and the workbook holds the new rows. The largest
export (党员) is run with a small chunk under tracemalloc: its peak does not grow with rows.
The unmasked exports (党员, 住户) ask the same reason and write the same audit row.
"""

import tracemalloc
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xianfeng.cadres import services as cadre_services
from xianfeng.core.models import AuditLog
from xianfeng.excel.exporters import export_members
from xianfeng.grid.models import CareTag, Household, HouseholdTag
from xianfeng.grid.testing import build_grid_world
from xianfeng.instructors import services as instructor_services
from xianfeng.instructors.models import VisitKind
from xianfeng.instructors.tests.factories import appoint
from xianfeng.meetings.rules import MeetingKind
from xianfeng.meetings.tests.factories import meeting
from xianfeng.members.models import Member, MemberTag
from xianfeng.tasks.tests.factories import task
from xianfeng.testing import make_member, make_org, make_user

pytestmark = pytest.mark.django_db
YEAR = date.today().year


def export(client, url):
    """(queries, workbook) of one export request, its body read to the end."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        body = b"".join(response.streaming_content)
    assert response.status_code == 200, body[:200]
    assert response.streaming and not response.has_header("Content-Length")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return len(ctx.captured_queries), load_workbook(BytesIO(body))


def rows_in(book, sheet):
    return [row for row in book[sheet].iter_rows(values_only=True) if any(row)]


def assert_flat(client, url, grow, sheet, *, first=10, then=100):
    """Export with `first` rows grown, then with `then`: same queries, the rows all there."""
    client.get(url)  # warm: the session's first save, per-process caches
    grow(0, first)
    few, book = export(client, url)
    before = len(rows_in(book, sheet))
    grow(first, then)
    many, book = export(client, url)
    assert len(rows_in(book, sheet)) - before == then - first
    assert many == few, f"{few} queries for {first} rows, {many} for {then}"


def test_members_export(world, login):
    tag = MemberTag.objects.get(code="mobile")

    def grow(start, stop):
        for i in range(start, stop):
            member = make_member(world.branch2, f"成员{i}")
            if i % 3 == 0:
                member.tags.add(tag)

    client = login(world.users["street_admin"])
    assert_flat(client, reverse("excel:export_members"), grow, "党员")
    unmasked = reverse("excel:export_members") + "?unmasked=1&reason=核对"
    assert_flat(client, unmasked, lambda a, b: grow(a + 200, b + 200), "党员", first=5, then=50)


def test_orgs_export(world, login):
    def grow(start, stop):
        for i in range(start, stop):
            make_org(f"新支部{i}", parent=world.street)

    client = login(world.users["street_admin"])
    assert_flat(client, reverse("excel:export_orgs"), grow, "党组织")


def test_households_export(world, login):
    gw = build_grid_world(world)

    def grow(start, stop):
        for i in range(start, stop):
            h = Household.objects.create(
                grid=gw.building1, address=f"2单元{i}", head_name="王", phone=f"1380000{i:04d}"
            )
            if i % 2:
                HouseholdTag.objects.create(household=h, tag=CareTag.choices[0][0])

    client = login(world.users["street_admin"])
    url = reverse("grid:households_export", args=[gw.community.pk])
    assert_flat(client, url, grow, "住户")
    assert_flat(
        client, url + "?unmasked=1&reason=入户走访", lambda a, b: grow(a + 500, b + 500), "住户"
    )


def test_dues_ledger_export(world, login):
    def grow(start, stop):
        for i in range(start, stop):
            make_member(world.branch, f"交费{i}")

    client = login(world.users["street_admin"])
    url = reverse("dues:ledger_xlsx", args=[world.branch.pk]) + f"?year={YEAR}"
    assert_flat(client, url, grow, f"{YEAR}年党费")


def test_meeting_ledger_export(world, login):
    def grow(start, stop):
        for i in range(start, stop):
            meeting(
                world.branch, MeetingKind.PARTY_LECTURE, date(YEAR, 1, 1 + i % 28), topic=f"课{i}"
            )

    client = login(world.users["street_admin"])
    url = reverse("meetings:ledger_xlsx", args=[world.branch.pk]) + f"?year={YEAR}"
    assert_flat(client, url, grow, "会议登记", first=5, then=40)


def test_meeting_ledger_attendance_sheet_grows_without_queries(world, login):
    def grow(start, stop):
        for i in range(start, stop):
            make_member(world.branch, f"出勤{i}")

    client = login(world.users["street_admin"])
    url = reverse("meetings:ledger_xlsx", args=[world.branch.pk]) + f"?year={YEAR}"
    assert_flat(client, url, grow, "出勤登记")


def test_task_board_export(world, login):
    def grow(start, stop):
        for i in range(start, stop):
            task(world, title=f"任务{i}")

    client = login(world.users["street_admin"])
    assert_flat(client, reverse("tasks:export"), grow, "重点任务")


def test_cadre_export(world, login):
    def grow(start, stop):
        for i in range(start, stop):
            member = make_member(world.branch, f"后备{i}")
            cadre_services.add_reserve_cadre(
                world.branch,
                member,
                actor=world.users["org_officer"],
                intended_post="支部委员",
                entered_on=date(YEAR, 1, 1),
            )

    client = login(world.users["street_admin"])
    assert_flat(client, reverse("cadres:export"), grow, "后备干部")


def test_instructor_ledger_export(world, login):
    user = make_user("li5", member=Member.objects.get(name="李五"))
    instructor = appoint(world, started_on=date(YEAR, 1, 1))

    def grow(start, stop):
        for i in range(start, stop):
            instructor_services.record_visit(
                instructor,
                world.branch2,
                visited_on=date(YEAR, 1, 1) + timedelta(days=i // len(VisitKind.values)),
                kind=VisitKind.values[i % len(VisitKind.values)],
                content=f"走访{i}",
                actor=user,
            )

    client = login(user)
    url = reverse("instructors:ledger_xlsx", args=[instructor.pk]) + f"?year={YEAR}"
    assert_flat(client, url, grow, "到岗履责")


@pytest.mark.parametrize("name", ["learning:bank_template", "excel:template"])
def test_templates_are_streamed(world, login, name):
    args = ["members"] if name == "excel:template" else []
    user = world.users["street_admin"] if args else world.users["branch_secretary"]
    _queries, book = export(login(user), reverse(name, args=args))
    assert book.sheetnames


def _peak(queryset, actor):
    tracemalloc.start()
    try:
        out, count = export_members(queryset, actor=actor)
        out.close()
        return tracemalloc.get_traced_memory()[1], count
    finally:
        tracemalloc.stop()


def test_members_export_memory_is_flat(world, settings):
    """The biggest export (党员): 20 rows a chunk, 40 rows then 400, the peak stays put."""
    settings.XIANFENG_EXPORT_CHUNK = 20
    org = make_org("大支部", parent=world.street)
    for i in range(40):
        make_member(org, f"甲{i}")
    members = Member.objects.filter(organization=org)
    actor = world.users["street_admin"]
    _peak(members, actor)  # warm: imports, translations, openpyxl's first workbook
    small, count = _peak(members, actor)
    assert count == 40
    for i in range(360):
        make_member(org, f"乙{i}")
    large, count = _peak(members, actor)
    assert count == 400
    assert large < small * 1.3 + 200_000, (small, large)


def test_household_export_with_full_phones_asks_the_members_reason(world, login):
    gw = build_grid_world(world)
    Household.objects.create(
        grid=gw.building1, address="1单元101", head_name="王", phone="13800001234"
    )
    url = reverse("grid:households_export", args=[gw.community.pk])
    client = login(world.users["street_admin"])
    refused = client.get(url, {"unmasked": "1"})
    assert refused.status_code == 400 and "事由" in refused.content.decode()
    members = client.get(reverse("excel:export_members"), {"unmasked": "1"})
    assert members.status_code == 400 and members.content == refused.content
    assert not AuditLog.objects.filter(action__contains="export").exists()

    masked = client.get(url)
    book = load_workbook(BytesIO(b"".join(masked.streaming_content)))
    assert rows_in(book, "住户")[1][4] == "138****1234"
    full = client.get(url, {"unmasked": "1", "reason": "入户走访"})
    book = load_workbook(BytesIO(b"".join(full.streaming_content)))
    assert rows_in(book, "住户")[1][4] == "13800001234"
    client.get(reverse("excel:export_members"), {"unmasked": "1", "reason": "换届核对"})

    logs = {
        log.action: log.data
        for log in AuditLog.objects.filter(
            action__in=["grid.export_households", "excel.export_members"]
        ).exclude(data__reason="")
    }
    households, members = logs["grid.export_households"], logs["excel.export_members"]
    assert set(households) == set(members)
    assert households["reason"] == "入户走访" and households["filters"] == {
        "grid": gw.community.code
    }
    assert (households["rows"], households["masked"], households["unmasked_rows"]) == (1, False, 1)
    masked_log = AuditLog.objects.filter(action="grid.export_households", data__reason="").get()
    assert (masked_log.data["masked"], masked_log.data["masked_rows"]) == (True, 1)


def test_household_full_phones_only_with_grid_contact(world, login):
    gw = build_grid_world(world)
    url = reverse("grid:households_export", args=[gw.community.pk])
    officer = login(world.users["org_officer"])  # may change grids, not see full contacts
    assert officer.get(url).status_code == 200
    refused = officer.get(url, {"unmasked": "1", "reason": "核对"})
    assert refused.status_code == 403
    assert not AuditLog.objects.filter(data__reason="核对").exists()
    page = officer.get(reverse("grid:detail", args=[gw.community.pk]))
    assert "导出住户(完整电话)" not in page.content.decode()
    page = login(world.users["street_admin"]).get(reverse("grid:detail", args=[gw.community.pk]))
    assert "导出住户(完整电话)" in page.content.decode()
