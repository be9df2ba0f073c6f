"""Issue 13: the outbox and the preferences keep phones encrypted, and logs keep none."""

import logging

from django.db import connection

from xianfeng.core.notify import LoggingChannel, Message
from xianfeng.notices.models import Delivery, Preference
from xianfeng.notices.services import tell_phone

PHONE = "13912345678"


def _stored(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_a_residents_sms_is_queued_with_the_phone_encrypted(db, channels):
    channels(sms="aliyun")  # queued only: the test transaction never commits
    delivery = tell_phone(PHONE, "您的诉求已办结")
    assert PHONE not in _stored("notices_delivery", "address", delivery.pk)
    assert Delivery.objects.get(pk=delivery.pk).address == PHONE
    assert PHONE not in str(delivery)


def test_a_preference_phone_is_stored_encrypted(alice):
    preference = Preference.objects.create(user=alice, phone=PHONE)
    assert PHONE not in _stored("notices_preference", "phone", preference.pk)
    assert Preference.objects.get(pk=preference.pk).phone == PHONE


def test_the_log_channel_writes_no_phone(caplog):
    with caplog.at_level(logging.INFO, logger="xianfeng.notify"):
        LoggingChannel().send(Message(address=PHONE, text="测试", key="k"))
    assert PHONE not in caplog.text and "5678" in caplog.text


def test_the_admin_shows_the_outbox_masked(channels, admin_client):
    channels(sms="aliyun")
    delivery = tell_phone(PHONE, "您的诉求已办结")
    listing = admin_client.get("/django-admin/notices/delivery/").content.decode()
    detail = admin_client.get(f"/django-admin/notices/delivery/{delivery.pk}/change/")
    assert PHONE not in listing and PHONE not in detail.content.decode()
    assert "139****5678" in listing
