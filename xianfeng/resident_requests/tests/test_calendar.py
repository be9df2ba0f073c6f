"""The working calendar as the request office meets it: the import page with its preview,
the per-year form, and open deadlines re-counted in the background when a year is entered."""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from xianfeng.accounts.roles import Role
from xianfeng.core import holidays
from xianfeng.core.models import AuditLog, CalendarYear
from xianfeng.core.tests.notices import NOTICE_2027
from xianfeng.testing import make_user

from .. import services
from ..deadlines import recount_open_deadlines
from ..models import ResidentRequest
from ..testing import central_login, make_category, make_request


def at(*args):
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def office(world, client):
    client.force_login(make_user("office", role=Role.STREET_ADMIN, org=world.street))
    return client


def test_import_shows_a_preview_and_saves_only_on_confirm(
    office, django_capture_on_commit_callbacks
):
    url = reverse("requests:calendar_import")
    page = office.post(url, {"text": NOTICE_2027})
    assert page.status_code == 200
    body = page.content.decode()
    assert "请核对 2027 年的安排" in body and "2027-02-20" in body
    assert not CalendarYear.objects.filter(year=2027).exists()
    with django_capture_on_commit_callbacks(execute=True):
        saved = office.post(url, {"text": NOTICE_2027, "confirm": "1"})
    assert saved.status_code == 302
    calendar = CalendarYear.objects.get(year=2027)
    assert calendar.days.count() == 16 and calendar.notice_text == NOTICE_2027.strip()
    assert calendar.updated_by.username == "office"


def test_a_notice_that_does_not_read_is_explained_not_saved(office):
    page = office.post(
        reverse("requests:calendar_import"),
        {"text": "一、春节：2月6日（周五）至14日放假调休，共9天。", "year": 2027, "confirm": "1"},
    )
    assert page.status_code == 200
    assert "2月6日是周六，通知写的是周五" in page.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_the_year_form_edits_and_refuses_with_a_message(office):
    url = reverse("requests:calendar_year", args=[2027])
    assert "国务院办公厅关于2027年" in office.get(url).content.decode()
    bad = office.post(url, {"source": "通知", "days_off": "2027-02-06", "workdays": "2027-02-08"})
    assert bad.status_code == 200 and "调休上班日应为周末" in bad.content.decode()
    ok = office.post(
        url,
        {"source": "通知", "days_off": "2027-02-06 至 2027-02-14 春节", "workdays": "2027-02-20"},
    )
    assert ok.status_code == 302
    assert CalendarYear.objects.get(year=2027).days.count() == 10
    page = office.get(reverse("requests:calendar"))
    assert "2027" in page.content.decode()


def test_the_calendar_page_warns_sixty_days_ahead(office):
    with time_machine.travel(at(2026, 12, 4, 10), tick=False):
        body = office.get(reverse("requests:calendar")).content.decode()
    assert "工作日历只录入到2026年" in body


def test_only_the_office_administrator_keeps_the_calendar(world, client):
    client.force_login(make_user("sec", role=Role.COMMITTEE_SECRETARY, org=world.street))
    assert client.get(reverse("requests:calendar")).status_code == 403


def test_entering_2027_recounts_open_deadlines_across_the_spring_festival(
    gw, admin_user, django_capture_on_commit_callbacks
):
    category = make_category(finish_within=2)
    zhao = central_login(gw)
    with time_machine.travel(at(2027, 2, 5, 10, 0), tick=False):
        req = make_request(grid=gw.building1, category=category)
        accepted = make_request(grid=gw.building1, category=category, description="第二件")
        services.accept_request(accepted, actor=zhao)
    # Weekends only, with a warning on the request's pages.
    assert req.finish_due == at(2027, 2, 9, 17, 30)
    assert req.respond_due == at(2027, 2, 5, 12, 0)
    assert "2027年节假日安排未录入" in req.calendar_warning
    with (
        time_machine.travel(at(2027, 2, 5, 11, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        holidays.save_calendar_year(holidays.parse_notice(NOTICE_2027), actor=admin_user)
    req.refresh_from_db()
    accepted.refresh_from_db()
    assert req.finish_due == at(2027, 2, 16, 17, 30)  # 15 and 16 Feb, after 春节
    assert req.next_due == req.respond_due == at(2027, 2, 5, 12, 0)
    assert req.calendar_warning == ""
    assert accepted.finish_due == accepted.next_due == at(2027, 2, 16, 17, 30)
    assert AuditLog.objects.filter(action="request.deadlines_recounted").count() == 2
    assert recount_open_deadlines(batch=1) == 0, "counting again changes nothing"


def test_closed_requests_keep_their_deadlines(gw, admin_user, category):
    with time_machine.travel(at(2027, 2, 5, 10, 0), tick=False):
        req = make_request(grid=gw.building1, category=category)
    ResidentRequest.objects.filter(pk=req.pk).update(status="solved")
    holidays.save_calendar_year(holidays.parse_notice(NOTICE_2027), actor=admin_user)
    assert recount_open_deadlines() == 0
