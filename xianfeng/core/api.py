"""API helpers shared by every app's api.py."""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError
from .workbench import todo_for


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": exc.message, "code": exc.code}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ValidationError):
        return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ApiValidationError) and isinstance(exc.detail, list):
        # A bare list (e.g. a NUL character in a query value) keeps the documented 400 shape.
        return Response(
            {"detail": [str(m) for m in exc.detail]}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, PermissionDenied):
        return Response({"detail": "没有权限执行此操作。"}, status=status.HTTP_403_FORBIDDEN)
    return drf_exception_handler(exc, context)


class TodoItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    count = serializers.IntegerField()
    figure = serializers.CharField()
    urgency = serializers.CharField(source="urgency.code")
    due = serializers.DateField(allow_null=True)
    link = serializers.CharField()


class MyTodo(APIView):
    """GET /api/v1/me/todo/: the caller's workbench, most urgent first (not paginated)."""

    @extend_schema(responses=TodoItemSerializer(many=True), summary="我的工作台待办")
    def get(self, request):
        return Response(TodoItemSerializer(todo_for(request.user), many=True).data)


def document_unsupported_media(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation that takes a body may answer 415
    (DRF refuses a body it cannot parse, e.g. a broken multipart boundary) — say so."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault(
                    "415", {"description": "不支持的请求体类型 Unsupported media type"}
                )
    return result
