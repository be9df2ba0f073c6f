"""Issue 15 §3: every request event that needs a person writes a notice for exactly the people
who must act at the request's level — never for the one who acted — and the resident who left a
phone gets an SMS when asked for more and when the request is solved (none without a phone).

Nothing here commits, so the outbox's worker never runs: the rows written are what is checked."""

import pytest

from xianfeng.notices.models import Channel, Delivery, Notice, NoticeKind

from .. import services
from ..routing import handlers_of
from ..testing import central_login, make_request


@pytest.fixture
def sms(settings):
    settings.XIANFENG_NOTICE_CHANNELS = {"sms": "xianfeng.notices.channels.AliyunSms"}


def recipients(req, kind):
    return set(
        Notice.objects.filter(kind=kind, link__endswith=f"/requests/{req.pk}/").values_list(
            "recipient_id", flat=True
        )
    )


def test_new_request_tells_the_handlers_of_its_level_only(world, gw, category):
    req = make_request(grid=gw.building1, category=category)
    told = recipients(req, NoticeKind.REQUEST)
    assert told == handlers_of(req) and gw.worker.pk in told
    for outside in ("outsider", "street_admin", "member"):
        assert world.users[outside].pk not in told, outside


def test_escalation_tells_the_next_level_not_the_one_who_escalated(world, gw, category):
    zhao = central_login(gw)  # the 中心户 holds it first
    req = make_request(grid=gw.building1, category=category)
    services.accept_request(req, actor=zhao)
    req = services.escalate_request(req, actor=zhao, reason="本级无法解决")
    told = recipients(req, NoticeKind.REQUEST_ESCALATED)
    assert told, "the level above hears of it"
    assert zhao.pk not in told
    assert told == handlers_of(req) - {zhao.pk}
    for outside in ("outsider", "street_admin"):
        assert world.users[outside].pk not in told, outside

    # the grid worker escalates in turn: he is not told of his own step
    services.accept_request(req, actor=gw.worker)
    before = set(Notice.objects.values_list("pk", flat=True))
    req = services.escalate_request(req, actor=gw.worker, reason="需街道协调")
    fresh = Notice.objects.exclude(pk__in=before).filter(kind=NoticeKind.REQUEST_ESCALATED)
    assert gw.worker.pk not in {n.recipient_id for n in fresh}


def _solved(gw, category, zhao, **fields):
    req = make_request(grid=gw.building1, category=category, **fields)
    services.accept_request(req, actor=zhao)
    return services.solve_request(req, actor=zhao, note="已办结")


def test_low_rating_tells_the_handlers(world, gw, category):
    zhao = central_login(gw)
    req = _solved(gw, category, zhao)
    services.rate_request(req, rating=4)
    assert not recipients(req, NoticeKind.REQUEST_RATING)

    low = _solved(gw, category, zhao)
    services.rate_request(low, rating=1, comment="没人回访")
    told = recipients(low, NoticeKind.REQUEST_RATING)
    assert told == handlers_of(low) and world.users["outsider"].pk not in told


def test_resident_with_a_phone_gets_an_sms_when_asked_and_when_solved(gw, category, sms):
    zhao = central_login(gw)
    req = make_request(grid=gw.building1, category=category, resident_phone="13900001111")
    services.accept_request(req, actor=zhao)
    services.ask_resident(req, actor=zhao, note="请补充身份证照片")
    texts = [d.text for d in Delivery.objects.filter(kind=NoticeKind.RESIDENT)]
    assert len(texts) == 1 and "需补充" in texts[0] and req.tracking_code in texts[0]
    req.refresh_from_db()
    services.solve_request(req, actor=zhao, note="已办结")
    sent = Delivery.objects.filter(kind=NoticeKind.RESIDENT).order_by("pk")
    assert [d.channel for d in sent] == [Channel.SMS, Channel.SMS]
    assert {d.address for d in sent} == {"13900001111"}
    assert "已办结" in sent.last().text


def test_resident_without_a_phone_gets_no_sms(gw, category, sms):
    zhao = central_login(gw)
    req = make_request(grid=gw.building1, category=category, resident_phone="")
    services.accept_request(req, actor=zhao)
    services.ask_resident(req, actor=zhao, note="请补充身份证照片")
    assert not Delivery.objects.filter(kind=NoticeKind.RESIDENT).exists()
