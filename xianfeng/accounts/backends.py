"""Login with failed-attempt throttling per (username, client address) and per client address.

A username alone is never locked for everyone: that would let anyone lock out the street
secretary by typing wrong passwords. Failures for one pair first slow down (a growing wait
between attempts), then lock the pair for the window; many failures from one address lock
that address. The address comes from core.clientip (trusted proxies only).
"""

import hashlib
import time

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from xianfeng.core import audit
from xianfeng.core.clientip import client_ip

from .models import User

LOCKED_MESSAGE = "登录失败次数过多，请15分钟后再试。"
SLOW_MESSAGE = "登录失败次数较多，请稍候几秒再试。"
FREE_FAILURES = 2  # failures before the wait between attempts starts
MAX_WAIT = 60


def _keys(username, request):
    ip = client_ip(request) if request is not None else ""
    # Hashed so any username and address make a safe cache key on every backend.
    pair = hashlib.sha256(f"{(username or '').lower()}\0{ip}".encode()).hexdigest()[:32]
    return f"login-fail:pair:{pair}", f"login-fail:ip:{ip}", f"login-wait:pair:{pair}"


def lock_message(username, request) -> str | None:
    """Why this login attempt is refused before the password is checked, or None."""
    pair_key, ip_key, wait_key = _keys(username, request)
    limit = settings.LOGIN_FAILURE_LIMIT
    if (cache.get(pair_key) or 0) >= limit or (cache.get(ip_key) or 0) >= 4 * limit:
        return LOCKED_MESSAGE
    if (cache.get(wait_key) or 0) > time.time():
        return SLOW_MESSAGE
    return None


def _note_failure(username, request):
    pair_key, ip_key, wait_key = _keys(username, request)
    window = settings.LOGIN_FAILURE_WINDOW
    failures = 0
    for key in (pair_key, ip_key):
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1
            cache.set(key, 1, window)
        if key == pair_key:
            failures = count
    if failures > FREE_FAILURES:
        wait = min(2 ** (failures - FREE_FAILURES - 1), MAX_WAIT)
        cache.set(wait_key, time.time() + wait, wait + 1)


def _clear(username, request):
    pair_key, _ip_key, wait_key = _keys(username, request)
    cache.delete_many([pair_key, wait_key])


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        message = lock_message(username, request)
        if message:
            raise PermissionDenied(message)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        address = client_ip(request) if request is not None else ""
        if user is None:
            _note_failure(username, request)
            known = User.objects.filter(username__iexact=username or "").first()
            audit.record("user.login_failed", known, username=username, address=address)
        else:
            _clear(username, request)
            audit.record("user.login", user, actor=user, address=address)
        return user
