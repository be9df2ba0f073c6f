"""Token login for API clients; the same throttled backend as the login page."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled
from rest_framework.throttling import AnonRateThrottle

from xianfeng.orgs.serializers import ErrorSerializer

from .backends import LOCKED_MESSAGE, is_locked


class TokenThrottle(AnonRateThrottle):
    scope = "token"


class TokenSerializer(AuthTokenSerializer):
    """A locked account gets a clear 429 instead of the generic 'wrong password' answer."""

    def validate(self, attrs):
        if is_locked(attrs.get("username"), self.context["request"]):
            raise Throttled(detail=LOCKED_MESSAGE)
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
