"""Issue 13 §5: the client address behind a proxy, and logins locked per (username, address)."""

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse

from xianfeng.core.clientip import client_ip
from xianfeng.resident_requests.public import rate_limited

PROXY = "10.0.0.5"


def login(username, password, *, remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    client = Client(REMOTE_ADDR=remote, **extra)
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return response, "_auth_user_id" in client.session


@pytest.fixture
def clock():
    with time_machine.travel("2026-12-01 09:00 +0800", tick=False) as traveller:
        yield traveller


def fail(times, clock, **where):
    for _ in range(times):
        login("street_admin", "wrong-password-1", **where)
        clock.shift(120)  # past any slow-down wait, inside the lock window


def test_behind_a_trusted_proxy_an_attacker_locks_only_himself(world, password, settings, clock):
    settings.XIANFENG_TRUSTED_PROXIES = [PROXY]
    fail(settings.LOGIN_FAILURE_LIMIT, clock, remote=PROXY, forwarded="203.0.113.9")
    response, ok = login("street_admin", password, remote=PROXY, forwarded="203.0.113.9")
    assert not ok and "登录失败次数过多" in response.content.decode()
    _response, ok = login("street_admin", password, remote=PROXY, forwarded="198.51.100.7")
    assert ok


def test_a_username_is_not_locked_for_everyone(world, password, settings, clock):
    fail(settings.LOGIN_FAILURE_LIMIT, clock, remote="203.0.113.9")
    assert not login("street_admin", password, remote="203.0.113.9")[1]
    assert login("street_admin", password, remote="198.51.100.7")[1]


def test_forwarded_for_from_an_untrusted_client_is_ignored(world, password, settings, clock):
    settings.XIANFENG_TRUSTED_PROXIES = [PROXY]
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        login("street_admin", "wrong-password-1", remote="203.0.113.9", forwarded=f"192.0.2.{n}")
        clock.shift(120)
    assert not login("street_admin", password, remote="203.0.113.9", forwarded="192.0.2.99")[1]


def test_failed_logins_slow_down_before_the_lock(world, password, settings, clock):
    settings.LOGIN_FAILURE_LIMIT = 10
    for _ in range(3):
        login("street_admin", "wrong-password-1", remote="203.0.113.9")
    response, ok = login("street_admin", password, remote="203.0.113.9")
    assert not ok and "请稍候" in response.content.decode()
    clock.shift(5)
    assert login("street_admin", password, remote="203.0.113.9")[1]


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], PROXY, "198.51.100.7", PROXY),
        ([PROXY], PROXY, "198.51.100.7", "198.51.100.7"),
        ([PROXY], PROXY, "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        (["10.0.0.0/8"], PROXY, "198.51.100.7, 10.0.0.9", "198.51.100.7"),
        ([PROXY], PROXY, "not-an-address", PROXY),
        ([PROXY], "198.51.100.7", "6.6.6.6", "198.51.100.7"),
    ],
)
def test_client_ip(settings, trusted, remote, forwarded, expected):
    settings.XIANFENG_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_public_rate_limit_counts_each_client_behind_the_proxy(settings, db):
    settings.XIANFENG_TRUSTED_PROXIES = [PROXY]
    settings.XIANFENG_REQUEST_INTAKE_LIMIT = (2, 600)
    factory = RequestFactory()

    def from_client(address):
        return factory.post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)

    assert [rate_limited(from_client("203.0.113.9")) for _ in range(3)] == [False, False, True]
    assert not rate_limited(from_client("198.51.100.7"))
