"""API tokens (DRF's one token per login) that expire, and that their owner can see and revoke.

A token lives `XIANFENG_TOKEN_TTL_DAYS` days from when it was issued; it is deleted when its
owner changes the password (User.save) or is deactivated (services.set_active).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from xianfeng.core import audit

EXPIRED_MESSAGE = "API 令牌已过期，请重新获取"


def expires_at(token):
    return token.created + timedelta(days=settings.XIANFENG_TOKEN_TTL_DAYS)


def is_expired(token) -> bool:
    return expires_at(token) <= timezone.now()


def issue_token(user) -> Token:
    """The user's valid token, or a new one when there is none or it expired."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None and not is_expired(token):
            return token
        if token is not None:
            token.delete()
        token = Token.objects.create(user=user)
        audit.record("user.token_issue", user, actor=user, expires=expires_at(token))
    return token


def own_tokens(user):
    """The user's tokens, newest first (a queryset to page; shown through `shown`)."""
    return Token.objects.filter(user=user).order_by("-created", "pk")


def shown(tokens) -> list[dict]:
    """Tokens as shown to their owner: never the whole key."""
    return [
        {
            "prefix": token.key[:6] + "…",
            "created": token.created,
            "expires": expires_at(token),
            "expired": is_expired(token),
        }
        for token in tokens
    ]


def revoke_own_tokens(user, *, actor) -> int:
    with transaction.atomic():
        count, _ = Token.objects.filter(user=user).delete()
        if count:
            audit.record("user.token_revoke", user, actor=actor, count=count)
    return count


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …` as DRF's, refused once the token is older than its lifetime."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            raise AuthenticationFailed(EXPIRED_MESSAGE)
        return user, token
