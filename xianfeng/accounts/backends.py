"""Login with failed-attempt throttling per username and per client address."""

import hashlib

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

LOCKED_MESSAGE = "登录失败次数过多，请15分钟后再试。"


def _keys(username, request):
    ip = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    # Hashed so any username is a safe cache key on every backend.
    name = hashlib.sha256((username or "").lower().encode()).hexdigest()[:32]
    return [f"login-fail:u:{name}", f"login-fail:ip:{ip}"]


def is_locked(username, request) -> bool:
    """Locked after LIMIT failures for one username, or 4×LIMIT from one address."""
    user_key, ip_key = _keys(username, request)
    limit = settings.LOGIN_FAILURE_LIMIT
    return (cache.get(user_key) or 0) >= limit or (cache.get(ip_key) or 0) >= 4 * limit


def _note_failure(username, request):
    for key in _keys(username, request):
        cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW)


def _clear(username, request):
    cache.delete(_keys(username, request)[0])


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if is_locked(username, request):
            raise PermissionDenied(LOCKED_MESSAGE)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            _note_failure(username, request)
        else:
            _clear(username, request)
        return user
