"""Residents verify a phone by an SMS code (no password): the code goes through the notices
outbox (`tell_phone`), only its keyed hash is stored, it expires, it allows five tries, and
sending is rate-limited per phone and per client address.

A verified phone lives in the resident's session (`SESSION_KEY`) and is all the portal needs
to follow that phone's bookings, sign-ups and requests.
"""

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from xianfeng.core import audit, crypto
from xianfeng.core.errors import DomainError
from xianfeng.members.masking import mask_phone

from .models import PhoneCode

SESSION_KEY = "portal_phone"
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
MAX_TRIES = 5
HOUR = 3600


def clean_phone(text) -> str:
    phone = re.sub(r"[\s-]", "", text or "")
    if not PHONE_RE.match(phone):
        raise DomainError("请输入 11 位手机号", field="phone")
    return phone


def phone_hash(phone) -> str:
    return crypto.blind_index("venues.phone", "".join(c for c in phone if c.isdigit()))


def _code_hash(phone, code) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{phone_hash(phone)}:{code}".encode(), hashlib.sha256).hexdigest()


def _bump(key, window) -> int:
    try:
        return cache.incr(key)
    except ValueError:
        return 1 if cache.add(key, 1, window) else cache.incr(key)


def send_code(phone, *, ip, now=None) -> PhoneCode:
    """Send a six-digit code to `phone`; refuses with a Chinese message when rate-limited."""
    phone = clean_phone(phone)
    now = now or timezone.now()
    digest = phone_hash(phone)
    if settings.XIANFENG_PORTAL_CODE_GAP and not cache.add(
        f"portal-gap:{digest}", 1, settings.XIANFENG_PORTAL_CODE_GAP
    ):
        raise DomainError("验证码发送过于频繁，请稍后再试", code="rate_limited")
    if _bump(f"portal-ip:{ip}", HOUR) > settings.XIANFENG_PORTAL_CODES_PER_IP:
        raise DomainError("本网络发送验证码过多，请一小时后再试", code="rate_limited")
    if _bump(f"portal-phone:{digest}", HOUR) > settings.XIANFENG_PORTAL_CODES_PER_PHONE:
        raise DomainError("该手机号获取验证码过多，请一小时后再试", code="rate_limited")
    from xianfeng.notices.services import tell_phone

    code = f"{secrets.randbelow(10**6):06d}"
    minutes = settings.XIANFENG_PORTAL_CODE_MINUTES
    with transaction.atomic():
        row = PhoneCode.objects.create(
            phone_hash=digest,
            code_hash=_code_hash(phone, code),
            expires_at=now + timedelta(minutes=minutes),
        )
        sent = tell_phone(phone, f"您的验证码是 {code}，{minutes} 分钟内有效。请勿告诉他人。")
        if sent is None:
            raise DomainError("短信通道未开通，暂时不能验证手机号", code="no_sms")
        audit.record("portal.code", row, phone=mask_phone(phone))
    return row


def verify_code(phone, code, *, now=None) -> str:
    """The phone, verified; refuses a wrong, used or expired code (five tries a code)."""
    phone = clean_phone(phone)
    now = now or timezone.now()
    code = (code or "").strip()
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone_hash=phone_hash(phone), used_at=None, expires_at__gt=now)
            .order_by("-created_at", "-pk")
            .first()
        )
        if row is None or row.attempts >= MAX_TRIES:
            raise DomainError("验证码已失效，请重新获取", field="code")
        right = hmac.compare_digest(row.code_hash, _code_hash(phone, code))
        if right:
            row.used_at = now
            row.save(update_fields=["used_at"])
            audit.record("portal.verified", row, phone=mask_phone(phone))
        else:  # the try counts: committed before the refusal
            row.attempts += 1
            row.save(update_fields=["attempts"])
    if not right:
        raise DomainError("验证码不正确", field="code")
    return phone


def verified_phone(request) -> str:
    return request.session.get(SESSION_KEY, "")


def remember(request, phone):
    request.session.cycle_key()
    request.session[SESSION_KEY] = phone
