"""/api/v1/me/notices/: the caller's own notices (any login), unread count, mark read."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from xianfeng.orgs.serializers import ERRORS

from . import services
from .models import Notice, NoticeKind


class NoticeSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "kind", "kind_display", "title", "body", "link", "created_at", "read_at"]


class ReadAllSerializer(serializers.Serializer):
    count = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(
        summary="我的通知(分页，另含未读数 unread)",
        parameters=[
            OpenApiParameter("kind", str, enum=NoticeKind.values),
            OpenApiParameter("unread", bool, description="true 只列未读"),
        ],
        responses={200: NoticeSerializer(many=True), **ERRORS},
    )
)
class MyNoticeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    lookup_value_regex = "[0-9]+"  # ids only: anything else is a 404, never a 500
    serializer_class = NoticeSerializer
    filter_backends = []
    queryset = Notice.objects.none()

    def get_queryset(self):
        notices = Notice.objects.filter(recipient=self.request.user)
        kind = self.request.query_params.get("kind", "")
        if kind:
            if kind not in NoticeKind.values:
                raise ValidationError({"kind": ["通知类型无效"]})
            notices = notices.filter(kind=kind)
        unread = self.request.query_params.get("unread", "")
        if unread not in ("", "true", "false", "1", "0"):
            raise ValidationError({"unread": ["应为 true 或 false"]})
        if unread in ("true", "1"):
            notices = notices.filter(read_at__isnull=True)
        return notices

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response.data["unread"] = services.unread_count(request.user)
        return response

    @extend_schema(
        operation_id="me_notice_read",
        summary="标记一条通知为已读",
        request=None,
        responses={200: NoticeSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notice = None
        if str(pk).isdigit():
            notice = Notice.objects.filter(recipient=request.user, pk=pk).first()
        if notice is None:
            raise Http404("通知不存在")
        return Response(NoticeSerializer(services.mark_read(notice, actor=request.user)).data)

    @extend_schema(
        operation_id="me_notices_read_all",
        summary="全部标为已读(可按类型)",
        request=None,
        responses={200: ReadAllSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="read")
    def read_all(self, request):
        kind = request.query_params.get("kind", "")
        if kind and kind not in NoticeKind.values:
            raise ValidationError({"kind": ["通知类型无效"]})
        return Response({"count": services.mark_all_read(actor=request.user, kind=kind)})
