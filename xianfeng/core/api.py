"""API helpers shared by every app's api.py."""

from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


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
