"""The bell, the inbox, marking read, settings, and /api/v1/me/notices/."""

from datetime import time

from django.urls import reverse

from xianfeng.core.models import AuditLog

from ..models import Notice, Preference
from ..services import notify


def test_notify_skips_the_actor_and_inactive_logins(alice, bob):
    bob.is_active = False
    bob.save()
    carol = type(alice).objects.create_user("carol", password="x")
    made = notify([alice.pk, bob.pk, carol.pk], kind="request", title="新诉求", exclude=[carol.pk])
    assert [n.recipient for n in made] == [alice]


def test_bell_inbox_filters_and_read(login, alice, bob):
    notify([alice.pk], kind="request", title="新诉求 Q1", link="/requests/1/")
    notify([alice.pk], kind="meeting", title="主题党日")
    notify([bob.pk], kind="meeting", title="别人的通知")
    client = login(alice)
    page = client.get(reverse("notices:inbox")).content.decode()
    assert 'class="bell-count">2<' in page and "新诉求 Q1" in page and "别人的通知" not in page
    page = client.get(reverse("notices:inbox"), {"kind": "meeting"}).content.decode()
    assert "主题党日" in page and "新诉求 Q1" not in page
    mine = Notice.objects.get(title="新诉求 Q1")
    response = client.post(reverse("notices:read", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/requests/1/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    other = Notice.objects.get(recipient=bob)
    assert client.post(reverse("notices:read", args=[other.pk])).status_code == 404
    page = client.get(reverse("notices:inbox"), {"unread": "on"}).content.decode()
    assert "主题党日" in page and "新诉求 Q1" not in page
    client.post(reverse("notices:read_all"))
    assert not Notice.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notice.objects.filter(recipient=bob, read_at__isnull=True).exists()
    assert AuditLog.objects.filter(action="notices.read_all").exists()


def test_off_site_links_are_not_followed(login, alice):
    (notice,) = notify([alice.pk], kind="request", title="x", link="https://evil.example/")
    response = login(alice).post(reverse("notices:read", args=[notice.pk]))
    assert response["Location"] == reverse("notices:inbox")


def test_preferences_choose_channels_and_quiet_hours(login, alice, channels):
    channels(sms="aliyun", email="email")
    client = login(alice)
    assert "短信" in client.get(reverse("notices:preferences")).content.decode()
    response = client.post(
        reverse("notices:preferences"),
        {
            "phone": "13912345678",
            "quiet_from": "22:00",
            "quiet_until": "07:00",
            "kind_meeting": ["sms"],
        },
    )
    assert response.status_code == 302
    pref = Preference.objects.get(user=alice)
    assert pref.channels["meeting"] == ["sms"] and pref.channels["request"] == []
    assert pref.quiet_from == time(22, 0)
    page = client.post(
        reverse("notices:preferences"), {"phone": "123", "quiet_from": "22:00"}
    ).content.decode()
    assert "免打扰时段需同时填写开始和结束时间" in page


def test_api_lists_counts_and_marks_read(api, alice, bob):
    notify([alice.pk], kind="request", title="新诉求 Q1")
    notify([alice.pk], kind="meeting", title="主题党日")
    notify([bob.pk], kind="meeting", title="别人的通知")
    client = api(alice)
    data = client.get("/api/v1/me/notices/").json()
    assert data["unread"] == 2 and [n["title"] for n in data["results"]] == [
        "主题党日",
        "新诉求 Q1",
    ]
    assert client.get("/api/v1/me/notices/", {"kind": "nope"}).status_code == 400
    assert client.get("/api/v1/me/notices/", {"unread": "maybe"}).status_code == 400
    first = data["results"][0]["id"]
    assert client.post(f"/api/v1/me/notices/{first}/read/").json()["read_at"]
    other = Notice.objects.get(recipient=bob).pk
    assert client.post(f"/api/v1/me/notices/{other}/read/").status_code == 404
    assert client.post("/api/v1/me/notices/read/").json() == {"count": 1}
    assert client.get("/api/v1/me/notices/", {"unread": "true"}).json()["count"] == 0


def test_preferences_without_channels_offer_only_quiet_hours(login, alice, channels):
    page = login(alice).get(reverse("notices:preferences")).content.decode()
    assert "通知只在站内显示" in page and "kind_meeting" not in page
