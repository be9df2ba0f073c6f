"""限时办结: the deadline job with frozen time, across the 2026 National Day holiday."""

from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from xianfeng.notices.models import Notice, NoticeKind

from .. import services
from ..escalation import due_ids, escalate_due
from ..models import RequestEvent, ResidentRequest, Status
from ..testing import central_login, make_request


def at(*args):
    return timezone.make_aware(datetime(*args))


def test_deadlines_count_working_hours_across_the_holiday(gw, category):
    # Wednesday 30 Sep 2026, 16:00: 1.5 working hours left that day, 1–7 Oct are off.
    with time_machine.travel(at(2026, 9, 30, 16, 0), tick=False):
        req = make_request(grid=gw.building1, category=category)
    assert req.respond_due == at(2026, 10, 8, 9, 30)  # 2 working hours
    assert req.finish_due == at(2026, 10, 8, 17, 30)  # 1 working day
    assert req.next_due == req.respond_due


def test_nothing_escalates_during_the_holiday(gw, category):
    with time_machine.travel(at(2026, 9, 30, 16, 0), tick=False):
        req = make_request(grid=gw.building1, category=category)
    with time_machine.travel(at(2026, 10, 7, 23, 0), tick=False):
        assert escalate_due() == 0
    req.refresh_from_db()
    assert req.level_code == "central_household"


def test_overdue_request_climbs_one_level_and_notifies(
    gw, category, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2026, 9, 30, 16, 0), tick=False):
        req = make_request(grid=gw.building1, category=category)
    with time_machine.travel(at(2026, 10, 8, 9, 31), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert escalate_due() == 1
        assert escalate_due() == 0, "one level per deadline, not one per run"
    req.refresh_from_db()
    assert req.status == Status.ESCALATED
    assert req.level_code == "building" and req.holder_org == gw.building_group
    assert req.respond_due == at(2026, 10, 8, 11, 31)
    event = RequestEvent.objects.get(request=req, action="escalated")
    assert event.actor is None and "超过响应时限" in event.note
    notice = Notice.objects.get(recipient=gw.worker, kind=NoticeKind.REQUEST_ESCALATED)
    assert req.tracking_code in notice.title and notice.link == f"/requests/{req.pk}/"


def test_accepted_request_escalates_when_the_finish_deadline_passes(gw, category):
    zhao = central_login(gw)
    with time_machine.travel(at(2026, 9, 30, 16, 0), tick=False):
        req = make_request(grid=gw.building1, category=category)
        services.accept_request(req, actor=zhao)
    req.refresh_from_db()
    assert req.next_due == at(2026, 10, 8, 17, 30)
    with time_machine.travel(at(2026, 10, 8, 17, 31), tick=False):
        assert escalate_due() == 1
    req.refresh_from_db()
    assert req.level_code == "building" and req.owner == zhao


def test_at_the_street_it_is_flagged_once(gw, category):
    req = make_request(grid=gw.grid2, category=category)  # grid → community → street
    later = timezone.now()
    for _ in range(5):
        later += timezone.timedelta(days=10)
        with time_machine.travel(later, tick=False):
            escalate_due()
    req.refresh_from_db()
    assert req.level_code == "street" and req.next_due is None
    assert RequestEvent.objects.filter(request=req, action="overdue_at_top").count() == 1


def test_the_job_reads_only_due_rows(gw, category, django_assert_max_num_queries):
    for _ in range(5):
        make_request(grid=gw.building1, category=category)
    ResidentRequest.objects.update(next_due=None)
    # nothing left unrouted, no request due, no called-in unit due
    with django_assert_max_num_queries(3):
        assert escalate_due() == 0


@pytest.mark.parametrize("status", [Status.SOLVED, Status.WAITING])
def test_closed_and_waiting_requests_are_never_due(gw, category, status):
    zhao = central_login(gw)
    req = make_request(grid=gw.building1, category=category)
    services.accept_request(req, actor=zhao)
    if status == Status.SOLVED:
        services.solve_request(req, actor=zhao, note="好了")
    else:
        services.ask_resident(req, actor=zhao, note="请补充")
    assert due_ids(timezone.now() + timezone.timedelta(days=400)) == []
