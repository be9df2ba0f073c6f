"""Token login for API clients; the same throttled backend as the login page."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from xianfeng.core.clientip import client_ip
from xianfeng.orgs.serializers import ErrorSerializer

from . import tokens
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


class OwnTokenSerializer(serializers.Serializer):
    prefix = serializers.CharField(help_text="令牌开头几位")
    created = serializers.DateTimeField()
    expires = serializers.DateTimeField()
    expired = serializers.BooleanField()


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
            200: inline_serializer(
                "TokenResponse",
                {"token": serializers.CharField(), "expires": serializers.DateTimeField()},
            ),
            400: OpenApiResponse(ErrorSerializer, description="用户名或密码错误"),
            429: OpenApiResponse(ErrorSerializer, description="尝试过于频繁或账号已临时锁定"),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = tokens.issue_token(serializer.validated_data["user"])
        return Response({"token": token.key, "expires": tokens.expires_at(token)})


class OwnTokens(APIView):
    """The caller's own API tokens: list them (never the whole key) or revoke them all."""

    @extend_schema(
        summary="我的 API 令牌",
        responses={200: OwnTokenSerializer(many=True)},
    )
    def get(self, request):
        return Response(
            OwnTokenSerializer(tokens.shown(tokens.own_tokens(request.user)), many=True).data
        )

    @extend_schema(
        summary="撤销我的 API 令牌",
        request=None,
        responses={
            204: None,
            # The token that made the call is revoked with the rest: the next call answers 401.
            401: OpenApiResponse(ErrorSerializer, description="未登录或令牌已撤销"),
        },
    )
    def delete(self, request):
        tokens.revoke_own_tokens(request.user, actor=request.user)
        return Response(status=204)
