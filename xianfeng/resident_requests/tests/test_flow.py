"""Routing, 首问负责制, escalation up the chain, solving, rating and reopening."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from xianfeng.core.errors import DomainError
from xianfeng.core.events import point_event

from .. import services, units
from ..models import RequestEvent, Status
from ..testing import central_login, dispatcher, make_request


def at(*args):
    return timezone.make_aware(datetime(*args))


def test_request_from_a_building_goes_to_its_central_household(gw, category):
    req = make_request(grid=gw.building1, category=category)
    assert req.status == Status.NEW
    assert req.level_code == "central_household"
    assert req.holder_member == gw.central.member
    assert req.organization == gw.building_group


def test_unlinked_building_starts_at_the_grid_branch(gw, category):
    req = make_request(grid=gw.building2, category=category)
    assert req.level_code == "grid"
    assert req.holder_org == gw.grid_branch


def test_first_acceptor_owns_it_to_the_end(gw, category):
    zhao = central_login(gw)
    req = make_request(grid=gw.building1, category=category)
    req = services.accept_request(req, actor=zhao)
    assert req.owner == zhao and req.owner_member == gw.central.member
    assert req.checklist == ["身份证", "近 14 天行程说明"]
    req = services.escalate_request(req, actor=zhao, reason="需网格协调")
    assert req.level_code == "building" and req.status == Status.ESCALATED
    req = services.accept_request(req, actor=gw.worker)
    assert req.owner == zhao, "a later acceptor never takes ownership"
    assert req.owner_name == "赵美菊"


def test_someone_not_holding_it_cannot_accept(world, gw, category):
    req = make_request(grid=gw.building1, category=category)
    with pytest.raises(DomainError):
        services.accept_request(req, actor=world.users["outsider"])


def test_a_second_accept_is_refused(gw, category):
    zhao = central_login(gw)
    req = make_request(grid=gw.building1, category=category)
    services.accept_request(req, actor=zhao)
    with pytest.raises(DomainError, match="已被受理"):
        services.accept_request(req, actor=zhao)


def test_solving_sends_a_point_event_for_the_owner(
    gw, category, django_capture_on_commit_callbacks
):
    zhao = central_login(gw)
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    point_event.connect(listener)
    try:
        req = make_request(grid=gw.building1, category=category)
        services.accept_request(req, actor=zhao)
        with django_capture_on_commit_callbacks(execute=True):
            services.solve_request(req, actor=zhao, note="已办理")
    finally:
        point_event.disconnect(listener)
    assert received[0]["rule_code"] == "request.solved"
    assert received[0]["member"] == gw.central.member
    assert received[0]["source"].pk == req.pk


def test_the_resident_rates_and_may_reopen_within_seven_days(gw, category):
    zhao = central_login(gw)
    req = make_request(grid=gw.building1, category=category)
    services.accept_request(req, actor=zhao)
    services.solve_request(req, actor=zhao, note="已办理")
    req = services.rate_request(req, rating=2, comment="太慢")
    assert req.rating == 2
    with pytest.raises(DomainError):
        services.rate_request(req, rating=5)
    with (
        time_machine.travel(timezone.now() + timedelta(days=8)),
        pytest.raises(DomainError, match="7 天"),
    ):
        services.reopen_request(req, reason="又坏了")
    req = services.reopen_request(req, reason="又坏了")
    assert req.status == Status.REOPENED and req.rating is None and req.next_due


def test_asking_the_resident_stops_the_clock(gw, category):
    zhao = central_login(gw)
    # Asked on Wednesday 30 Sep 2026 at 16:00; the resident answers on 8 Oct at 10:00 after
    # the National Day holiday: 1.5 + 1 working hours waited, added in working time.
    with time_machine.travel(at(2026, 9, 30, 15, 0), tick=False):
        req = make_request(grid=gw.building1, category=category)
        services.accept_request(req, actor=zhao)
    with time_machine.travel(at(2026, 9, 30, 16, 0), tick=False):
        req = services.ask_resident(req, actor=zhao, note="请提供身份证照片")
    assert req.status == Status.WAITING and req.next_due is None
    assert req.finish_due == at(2026, 10, 8, 17, 30)
    with time_machine.travel(at(2026, 10, 8, 10, 0), tick=False):
        req = services.resident_reply(req, text="已上传")
    assert req.status == Status.ACCEPTED
    assert req.waited_hours == 2.5
    # 17:30 on 8 Oct plus 2.5 working hours: 11:30 on Friday 9 Oct, never a day off.
    assert req.finish_due == req.next_due == at(2026, 10, 9, 11, 30)


def test_not_ours_goes_to_the_street_for_arbitration(world, gw, category):
    zhao = central_login(gw)
    req = make_request(grid=gw.building1, category=category)
    req = services.reject_request(req, actor=zhao, reason="属于物业")
    assert req.status == Status.REJECTED and req.level_code == "street"
    boss = dispatcher(world)
    req = services.arbitrate_request(req, actor=boss, level=2, note="交网格党支部")
    assert req.status == Status.NEW and req.holder_org == gw.grid_branch


def test_call_in_with_its_own_deadline(world, gw, category):
    boss = dispatcher(world)
    req = make_request(grid=gw.building1, category=category)
    call = units.call_in_unit(
        req,
        actor=boss,
        unit_name="区城管局",
        task="清理占道",
        due=timezone.now() + timedelta(days=2),
    )
    req.refresh_from_db()
    assert req.status == Status.CALLED_IN
    units.report_call_in(call, actor=boss, result="已清理")
    req.refresh_from_db()
    assert req.status == Status.ACCEPTED


def test_every_step_is_on_the_timeline(gw, category):
    zhao = central_login(gw)
    req = make_request(grid=gw.building1, category=category)
    services.accept_request(req, actor=zhao)
    services.escalate_request(req, actor=zhao, reason="需网格协调")
    actions = list(RequestEvent.objects.filter(request=req).values_list("action", "actor_name"))
    assert actions == [("submitted", "居民"), ("accepted", "赵美菊"), ("escalated", "赵美菊")]
    assert RequestEvent.objects.filter(request=req, action="escalated").get().note == "需网格协调"
