"""The residents' portal: browsing without a login in small pages, the SMS code (hashed,
expiring, rate-limited per phone and per address), and signing up with a verified phone."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from xianfeng.grid.models import GridKind
from xianfeng.grid.testing import make_grid
from xianfeng.notices.models import Delivery
from xianfeng.venues import activities, phones
from xianfeng.venues.models import PhoneCode, Signup

from .factories import activity, room, venue

pytestmark = pytest.mark.django_db
LIMIT = 50 * 1024


@pytest.fixture(autouse=True)
def sms(settings):
    settings.XIANFENG_NOTICE_CHANNELS = {"sms": "xianfeng.core.notify.LoggingChannel"}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def place(world):
    community = make_grid("北关社区", kind=GridKind.COMMUNITY, code="BG", organization=world.branch)
    v = venue(world)
    room(v)
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() + timedelta(days=2)
    a = activity(world, v, starts_at=start, ends_at=start + timedelta(hours=2), capacity=1)
    return community, v, a


def code_sent_to(phone):
    texts = [d.text for d in Delivery.objects.all() if d.address == phone]
    return re.search(r"\d{6}", texts[-1]).group()


def verify(client, phone="13812345678"):
    client.post(reverse("portal:phone"), {"phone": phone})
    client.post(reverse("portal:phone"), {"phone": phone, "code": code_sent_to(phone)})
    return phone


def test_pages_need_no_login_and_stay_under_50_kb(client, place):
    community, v, a = place
    urls = [
        reverse("portal:home"),
        reverse("portal:community", args=[community.code]),
        reverse("portal:venue", args=[v.pk]),
        reverse("portal:activity", args=[a.pk]),
        reverse("portal:phone"),
        reverse("portal:circle") + f"?c={community.code}",
        reverse("portal:volunteer"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) < LIMIT, (url, len(response.content))
        assert b"<script" not in response.content, url  # works without JS
    verify(client)
    response = client.get(reverse("portal:me"))
    assert response.status_code == 200 and len(response.content) < LIMIT


def test_home_groups_communities_by_street_and_finds_by_name(
    client, world, django_assert_max_num_queries
):
    make_grid("北关社区", kind=GridKind.COMMUNITY, code="BG", organization=world.branch)
    make_grid("北坦社区", kind=GridKind.COMMUNITY, code="BT", organization=world.branch2)
    make_grid("十里堡村", kind=GridKind.VILLAGE, code="SLP", organization=world.other_branch)
    with django_assert_max_num_queries(3):
        page = client.get(reverse("portal:home")).content.decode()
    # 北坦街道's two communities under its heading, 郭店街道's village under its own.
    streets = re.findall(r"<h2>(.*?)</h2>", page)
    assert streets == ["北坦街道党工委", "郭店街道党工委"]
    assert page.index("北关社区") < page.index("北坦社区") < page.index("郭店街道党工委")
    assert page.index("郭店街道党工委") < page.index("十里堡村")

    found = client.get(reverse("portal:home"), {"q": "十里"}).content.decode()
    assert "十里堡村" in found and "北关社区" not in found
    missing = client.get(reverse("portal:home"), {"q": "无此社区"}).content.decode()
    assert "没有名称含" in missing


def test_large_text_is_a_cookie(client, place):
    community, _, _ = place
    url = reverse("portal:community", args=[community.code])
    response = client.get(reverse("portal:text") + f"?next={url}")
    assert response.status_code == 302 and response["Location"] == url
    assert b'class="big"' in client.get(url).content
    evil = client.get(reverse("portal:text") + "?next=https://evil.example/")
    assert evil["Location"] == reverse("portal:home")


def test_code_is_hashed_expires_and_allows_five_tries(client, world):
    phone = "13812345678"
    client.post(reverse("portal:phone"), {"phone": phone})
    code = code_sent_to(phone)
    row = PhoneCode.objects.get()
    assert code not in row.code_hash and phone not in row.phone_hash
    for _ in range(5):
        response = client.post(reverse("portal:phone"), {"phone": phone, "code": "000000"})
        assert "验证码" in response.content.decode()
    response = client.post(reverse("portal:phone"), {"phone": phone, "code": code})
    assert "验证码已失效" in response.content.decode()  # the sixth try, even right
    assert phones.SESSION_KEY not in client.session


def test_rate_limited_per_phone_and_per_address(client, world, settings):
    settings.XIANFENG_PORTAL_CODE_GAP = 0
    settings.XIANFENG_PORTAL_CODES_PER_PHONE = 3
    settings.XIANFENG_PORTAL_CODES_PER_IP = 5
    for _ in range(3):
        client.post(reverse("portal:phone"), {"phone": "13800000001"})
    response = client.post(reverse("portal:phone"), {"phone": "13800000001"})
    assert "该手机号获取验证码过多" in response.content.decode()
    client.post(reverse("portal:phone"), {"phone": "13800000002"})
    response = client.post(reverse("portal:phone"), {"phone": "13800000003"})
    assert "本网络发送验证码过多" in response.content.decode()
    assert PhoneCode.objects.count() == 4
    settings.XIANFENG_PORTAL_CODE_GAP = 60
    cache.clear()
    client.post(reverse("portal:phone"), {"phone": "13800000009"})
    response = client.post(reverse("portal:phone"), {"phone": "13800000009"})
    assert "过于频繁" in response.content.decode()
    bad = client.post(reverse("portal:phone"), {"phone": "12345"})
    assert bad.status_code == 200 and "11 位手机号" in bad.content.decode()


def test_resident_signs_up_waits_and_follows(client, place):
    _, v, a = place
    url = reverse("portal:activity", args=[a.pk])
    assert client.post(url, {"name": "王大妈"})["Location"].startswith(reverse("portal:phone"))
    phone = verify(client)
    assert client.post(url, {"name": "王大妈"}).status_code == 302
    signup = Signup.objects.get()
    assert signup.status == "confirmed" and signup.phone == phone
    again = client.post(url, {"name": "王大妈"})
    assert "已报名" in again.content.decode()
    other = activities.sign_up(a, name="李", phone="13900000000")
    assert other.status == "waiting"
    me = client.get(reverse("portal:me")).content.decode()
    assert a.title in me and "13812345678" not in me
    client.post(reverse("portal:signup_cancel", args=[signup.pk]))
    other.refresh_from_db()
    assert other.status == "confirmed"


def test_resident_books_a_room_and_checks_in_by_the_qr_page(client, place):
    from xianfeng.venues.models import Booking

    _, v, a = place
    verify(client)
    response = client.post(
        reverse("portal:venue", args=[v.pk]),
        {
            "room": v.rooms.get().pk,
            "starts_at": "2099-06-10T09:00",
            "ends_at": "2099-06-10T10:00",
            "purpose": "老年合唱排练",
            "attendees": 8,
            "contact_name": "王大妈",
        },
    )
    booking = Booking.objects.get()
    assert response["Location"] == reverse("portal:booking", args=[booking.token])
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"data:image/svg+xml" in page.content
    # too early to check in: a message, not an error page
    client.post(response["Location"], {"action": "check_in"})
    booking.refresh_from_db()
    assert booking.status == "approved"
    assert client.get(reverse("portal:booking", args=["nope"])).status_code == 404
