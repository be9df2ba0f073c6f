"""Token login for API clients; the same throttled backend as the login page."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled
from rest_framework.throttling import AnonRateThrottle

from xianfeng.core.clientip import client_ip
from xianfeng.orgs.serializers import ErrorSerializer

from .backends import lock_message


class TokenThrottle(AnonRateThrottle):
    scope = "token"

    def get_ident(self, request):
        # DRF's own reading believes any X-Forwarded-For; only trusted proxies' counts.
        return client_ip(request)


class TokenSerializer(AuthTokenSerializer):
    """A locked account gets a clear 429 instead of the generic 'wrong password' answer."""

    def validate(self, attrs):
        message = lock_message(attrs.get("username"), self.context["request"])
        if message:
            raise Throttled(detail=message)
        return super().validate(attrs)


class ObtainToken(ObtainAuthToken):
    """POST username and password, get the token for `Authorization: Token …`."""

    serializer_class = TokenSerializer
    throttle_classes = [TokenThrottle]

    @extend_schema(
        summary="用用户名和密码换取 API 令牌",
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(ErrorSerializer, description="用户名或密码错误"),
            429: OpenApiResponse(ErrorSerializer, description="尝试过于频繁或账号已临时锁定"),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
