"""The outbox against the real provider SDKs, with only their HTTP transport intercepted.

The Aliyun Tea runtime (darabonba) and the Tencent and wechatpy clients all send through
`requests`, so `responses` answers for the providers."""

import json
import re
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import requests
import responses
import time_machine
from django.core import mail
from django.utils import timezone

from xianfeng.testing import in_threads, needs_pg

from ..models import Delivery, DeliveryState
from ..outbox import deliver, sweep
from ..services import notify, save_preference, tell_phone

ALIYUN = re.compile(r"https://dysmsapi\.aliyuncs\.com/.*")
TENCENT = "https://sms.tencentcloudapi.com/"
WORK_TOKEN = re.compile(r"https://qyapi\.weixin\.qq\.com/cgi-bin/gettoken.*")
WORK_SEND = re.compile(r"https://qyapi\.weixin\.qq\.com/cgi-bin/message/send.*")

ALIYUN_OK = {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "r1"}


def aliyun_params(call):
    query = parse_qs(urlparse(call.request.url).query)
    body = call.request.body or b""
    if isinstance(body, bytes):
        body = body.decode()
    query.update(parse_qs(body))
    return {k: v[0] for k, v in query.items()}


def sms_to(user, phone="13912345678"):
    save_preference(user, channels={}, phone=phone, actor=user)


@pytest.fixture
def aliyun(channels):
    channels(sms="aliyun")


@responses.activate
def test_aliyun_sms_goes_out_once_with_the_key(aliyun, alice, django_capture_on_commit_callbacks):
    sms_to(alice)
    responses.add(responses.POST, ALIYUN, json=ALIYUN_OK)
    with django_capture_on_commit_callbacks(execute=True):
        notify([alice.pk], kind="meeting", title="支部党员大会", body="周五 15:00")
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.SENT and delivery.provider_ref == ALIYUN_OK["BizId"]
    (call,) = responses.calls
    params = aliyun_params(call)
    assert call.request.headers["x-acs-action"] == "SendSms"
    assert params["PhoneNumbers"] == "13912345678"
    assert params["OutId"] == str(delivery.key)
    assert json.loads(params["TemplateParam"]) == {"content": "支部党员大会：周五 15:00"}


@responses.activate
def test_provider_down_then_recovers_delivers_exactly_once(aliyun, alice):
    sms_to(alice)
    responses.add(responses.POST, ALIYUN, body=requests.ConnectionError("down"))
    responses.add(responses.POST, ALIYUN, status=503, body="busy")
    responses.add(responses.POST, ALIYUN, json=ALIYUN_OK)
    notify([alice.pk], kind="meeting", title="支部党员大会")
    delivery = Delivery.objects.get()
    start = timezone.now()

    assert deliver(delivery.pk, now=start) is False
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert (
        delivery.not_before == start + timedelta(seconds=30) and "阿里云短信" in delivery.last_error
    )
    assert sweep(now=start + timedelta(seconds=10)) == 0, "waits out the backoff"

    assert sweep(now=start + timedelta(seconds=31)) == 0  # 503: the second attempt fails too
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.not_before == start + timedelta(seconds=31 + 60)

    assert sweep(now=start + timedelta(seconds=92)) == 1
    assert sweep(now=start + timedelta(hours=1)) == 0
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 3
    assert len(responses.calls) == 3 and responses.calls[-1].response.status_code == 200


@responses.activate
def test_worker_killed_mid_send_is_resent_once_after_the_lease(aliyun, alice, settings):
    sms_to(alice)
    responses.add(responses.POST, ALIYUN, json=ALIYUN_OK)
    notify([alice.pk], kind="meeting", title="支部党员大会")
    delivery = Delivery.objects.get()
    # A worker claimed it and died before the provider answered.
    claimed = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.CLAIMED, claimed_at=claimed, attempts=1
    )
    assert sweep(now=claimed + timedelta(seconds=60)) == 0, "still within the lease"
    lease = timedelta(seconds=settings.XIANFENG_NOTICE_LEASE_SECONDS)
    assert sweep(now=claimed + lease + timedelta(seconds=1)) == 1
    assert sweep(now=claimed + lease + timedelta(seconds=2)) == 0
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 2
    (call,) = responses.calls
    assert aliyun_params(call)["OutId"] == str(delivery.key), "the same key on the retry"


@responses.activate
def test_duplicate_delivery_attempts_send_once(aliyun, alice):
    sms_to(alice)
    responses.add(responses.POST, ALIYUN, json=ALIYUN_OK)
    notify([alice.pk], kind="meeting", title="支部党员大会")
    pk = Delivery.objects.get().pk
    # The job ran twice (a queue redelivery) and the sweep came by as well.
    assert deliver(pk) is True
    assert deliver(pk) is False
    assert sweep() == 0
    assert len(responses.calls) == 1


@responses.activate
def test_a_held_claim_is_not_taken_by_a_second_worker(aliyun, alice):
    sms_to(alice)
    notify([alice.pk], kind="meeting", title="支部党员大会")
    pk = Delivery.objects.get().pk
    Delivery.objects.filter(pk=pk).update(state=DeliveryState.CLAIMED, claimed_at=timezone.now())
    assert deliver(pk) is False
    assert not responses.calls


@responses.activate
def test_queue_down_the_sweep_sends(aliyun, alice, settings):
    """No job ran at all (Redis was down at commit): the row waits for the sweep."""
    sms_to(alice)
    responses.add(responses.POST, ALIYUN, json=ALIYUN_OK)
    notify([alice.pk], kind="meeting", title="支部党员大会")  # on_commit never fires here
    assert Delivery.objects.get().state == DeliveryState.PENDING
    assert sweep() == 1 and len(responses.calls) == 1


@responses.activate
def test_bad_number_is_failed_without_retries(aliyun, alice):
    sms_to(alice)
    responses.add(
        responses.POST,
        ALIYUN,
        json={"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", "RequestId": "r"},
    )
    notify([alice.pk], kind="meeting", title="支部党员大会")
    delivery = Delivery.objects.get()
    assert deliver(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and "MOBILE_NUMBER_ILLEGAL" in delivery.last_error
    assert sweep(now=timezone.now() + timedelta(days=1)) == 0


@responses.activate
def test_gives_up_after_the_last_attempt(aliyun, alice, settings):
    settings.XIANFENG_NOTICE_MAX_ATTEMPTS = 2
    sms_to(alice)
    responses.add(responses.POST, ALIYUN, status=500, body="err")
    notify([alice.pk], kind="meeting", title="支部党员大会")
    pk = Delivery.objects.get().pk
    deliver(pk)
    sweep(now=timezone.now() + timedelta(minutes=5))
    assert Delivery.objects.get().state == DeliveryState.FAILED
    assert len(responses.calls) == 2


@responses.activate
def test_tencent_sms_carries_the_key(channels, alice):
    channels(sms="tencent")
    sms_to(alice)
    responses.add(
        responses.POST,
        TENCENT,
        json={
            "Response": {
                "SendStatusSet": [
                    {
                        "SerialNo": "5000:1045710669157053657849499619",
                        "PhoneNumber": "13912345678",
                        "Fee": 1,
                        "SessionContext": "",
                        "Code": "Ok",
                        "Message": "send success",
                        "IsoCode": "CN",
                    }
                ],
                "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279",
            }
        },
    )
    tell_phone("13912345678", "您的诉求 Q1 已办结，请评价")
    delivery = Delivery.objects.get()
    assert sweep() == 1
    sent = json.loads(responses.calls[0].request.body)
    assert sent["SessionContext"] == str(delivery.key)
    assert sent["TemplateParamSet"] == ["您的诉求 Q1 已办结，请评价"]
    assert responses.calls[0].request.headers["X-TC-Action"] == "SendSms"
    delivery.refresh_from_db()
    assert delivery.provider_ref.startswith("5000:")


@responses.activate
def test_tencent_limit_exceeded_is_retried(channels, alice):
    channels(sms="tencent")
    responses.add(
        responses.POST,
        TENCENT,
        json={
            "Response": {
                "Error": {"Code": "LimitExceeded.PhoneNumberDailyLimit", "Message": "超限"},
                "RequestId": "r",
            }
        },
    )
    tell_phone("13912345678", "您的诉求 Q1 已办结")
    delivery = Delivery.objects.get()
    assert deliver(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and "LimitExceeded" in delivery.last_error


@responses.activate
def test_wechat_work_message_with_duplicate_check(channels, alice):
    channels(wechat="work")
    save_preference(alice, channels={}, wechat_id="ZhangSan", actor=alice)
    responses.add(
        responses.GET, WORK_TOKEN, json={"errcode": 0, "access_token": "T", "expires_in": 7200}
    )
    responses.add(responses.POST, WORK_SEND, json={"errcode": 0, "errmsg": "ok", "msgid": "MSGID1"})
    notify([alice.pk], kind="transfer", title="转接待审批")
    assert sweep() == 1
    sent = json.loads(responses.calls[-1].request.body)
    assert sent["touser"] == "ZhangSan" and sent["agentid"] == "1000002"
    assert sent["enable_duplicate_check"] == 1 and sent["text"]["content"] == "转接待审批"
    assert Delivery.objects.get().provider_ref == "MSGID1"


@responses.activate
def test_wechat_work_unknown_user_fails_at_once(channels, alice):
    channels(wechat="work")
    save_preference(alice, channels={}, wechat_id="nobody", actor=alice)
    responses.add(
        responses.GET, WORK_TOKEN, json={"errcode": 0, "access_token": "T", "expires_in": 7200}
    )
    responses.add(responses.POST, WORK_SEND, json={"errcode": 81013, "errmsg": "user invalid"})
    notify([alice.pk], kind="transfer", title="转接待审批")
    sweep()
    assert Delivery.objects.get().state == DeliveryState.FAILED


@responses.activate
def test_wechat_official_account_template(channels, alice):
    channels(wechat="mp")
    save_preference(alice, channels={}, wechat_id="oOPENID", actor=alice)
    responses.add(
        responses.GET,
        re.compile(r"https://api\.weixin\.qq\.com/cgi-bin/token.*"),
        json={"access_token": "T", "expires_in": 7200},
    )
    responses.add(
        responses.POST,
        re.compile(r"https://api\.weixin\.qq\.com/cgi-bin/message/template/send.*"),
        json={"errcode": 0, "errmsg": "ok", "msgid": 200228332},
    )
    notify([alice.pk], kind="meeting", title="主题党日")
    assert sweep() == 1
    sent = json.loads(responses.calls[-1].request.body)
    assert sent["touser"] == "oOPENID" and sent["template_id"] == "T1"
    assert Delivery.objects.get().provider_ref == "200228332"


def test_email_carries_the_key_as_message_id(channels, alice):
    channels(email="email")
    alice.email = "alice@example.cn"
    alice.save()
    notify([alice.pk], kind="term", title="本届任期将于30天后届满")
    assert sweep() == 1
    (message,) = mail.outbox
    delivery = Delivery.objects.get()
    assert message.to == ["alice@example.cn"] and message.subject == "本届任期将于30天后届满"
    assert message.extra_headers["Message-ID"] == f"<{delivery.key}@xianfeng>"


@responses.activate
def test_quiet_hours_defer_not_drop(aliyun, alice):
    responses.add(responses.POST, ALIYUN, json=ALIYUN_OK)
    from datetime import time

    save_preference(
        alice,
        channels={},
        phone="13912345678",
        quiet_from=time(22, 0),
        quiet_until=time(7, 30),
        actor=alice,
    )
    night = timezone.make_aware(timezone.datetime(2026, 12, 4, 23, 15))
    with time_machine.travel(night, tick=False):
        (notice,) = notify([alice.pk], kind="meeting", title="支部党员大会")
        assert sweep() == 0
    delivery = Delivery.objects.get()
    assert delivery.not_before == timezone.make_aware(timezone.datetime(2026, 12, 5, 7, 30))
    assert notice.read_at is None, "the in-app notice is there at once"
    assert sweep(now=delivery.not_before) == 1


@needs_pg
@pytest.mark.django_db(transaction=True)
@responses.activate
def test_three_workers_at_once_send_once(aliyun):
    def slow_ok(request):
        time.sleep(0.3)  # the provider takes a while: the other workers arrive meanwhile
        return 200, {}, json.dumps(ALIYUN_OK)

    responses.add_callback(responses.POST, ALIYUN, callback=slow_ok)
    # A pending row whose job has not run yet (writing it through notify would send it here).
    pk = Delivery.objects.create(
        channel="sms",
        address="13912345678",
        text="支部党员大会",
        kind="meeting",
        not_before=timezone.now(),
    ).pk
    outcomes = in_threads(*[lambda: deliver(pk) for _ in range(3)])
    assert sorted(outcomes) == [False, False, True]
    assert len(responses.calls) == 1
    assert Delivery.objects.get().state == DeliveryState.SENT
