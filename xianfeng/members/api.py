"""Members API: scoped, searchable, paginated, masked; writes and reveals through services."""

from contextlib import contextmanager

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from xianfeng.accounts.permissions import HasScopedPerm
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import scope_members, scope_orgs
from xianfeng.orgs.api import IdFilter
from xianfeng.orgs.serializers import ERRORS

from . import services
from .filters import MemberFilter
from .masking import SensitiveView, can_see_sensitive, reveal_sensitive
from .models import Member
from .serializers import (
    MemberSerializer,
    MemberWriteSerializer,
    RevealRequestSerializer,
    RevealSerializer,
)

_WRITES = ("create", "update", "partial_update")
_SELF_ACTIONS = ("list", "retrieve", "reveal")


class MemberAccess(HasScopedPerm):
    """Every member may read their own record, so a linked login passes for reads."""

    def has_permission(self, request, view):
        if getattr(request.user, "member_id", None) and view.action in _SELF_ACTIONS:
            return True
        return super().has_permission(request, view)


class ApiMemberFilter(MemberFilter):
    org = IdFilter(label="组织(含下级)", method="filter_org")


_WRITE_SCHEMA = {"request": MemberWriteSerializer, "responses": {200: MemberSerializer, **ERRORS}}


@extend_schema_view(
    list=extend_schema(
        summary="党员列表(授权范围内，身份证号、手机号按权限打码)",
        responses={200: MemberSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(summary="党员详情", responses={200: MemberSerializer, **ERRORS}),
    create=extend_schema(
        summary="登记党员",
        request=MemberWriteSerializer,
        responses={201: MemberSerializer, **ERRORS},
    ),
    update=extend_schema(summary="修改党员信息", **_WRITE_SCHEMA),
    partial_update=extend_schema(summary="修改党员信息(部分字段)", **_WRITE_SCHEMA),
)
class MemberViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [MemberAccess]
    # Any id reaches the view, so a malformed one is a JSON 404 like a missing one.
    lookup_value_regex = "[^/]+"
    required_perms = {
        **dict.fromkeys(_WRITES, Perm.MEMBER_CHANGE),
        "reveal": Perm.MEMBER_SENSITIVE,
        "*": Perm.MEMBER_VIEW,
    }
    serializer_class = MemberSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiMemberFilter
    queryset = Member.objects.none()

    def get_queryset(self):
        perm = Perm.MEMBER_CHANGE if self.action in _WRITES else Perm.MEMBER_VIEW
        return (
            scope_members(self.request.user, perm)
            .select_related("organization")
            .prefetch_related("tags")
        )

    def get_serializer_class(self):
        return MemberWriteSerializer if self.action in _WRITES else MemberSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "sensitive": SensitiveView(self.request.user)}

    def get_serializer(self, *args, **kwargs):
        if self.action in _WRITES:
            kwargs["organizations"] = scope_orgs(self.request.user, Perm.MEMBER_CHANGE)
        return super().get_serializer(*args, **kwargs)

    def _read(self, member, code=status.HTTP_200_OK):
        member = scope_members(self.request.user).select_related("organization").get(pk=member.pk)
        return Response(
            MemberSerializer(member, context=self.get_serializer_context()).data, status=code
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        fields.pop("version", None)
        org = fields.pop("organization")
        with _field_errors():
            member = services.create_member(org, actor=request.user, **fields)
        return self._read(member, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        member = self.get_object()
        serializer = self.get_serializer(
            member, data=request.data, partial=kwargs.pop("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        with _field_errors():
            services.update_member(
                member,
                actor=request.user,
                expected_version=fields.pop("version", None),
                **fields,
            )
        return self._read(member)

    @extend_schema(
        summary="查看完整身份证号和手机号(记入审计日志)",
        request=RevealRequestSerializer,
        responses={200: RevealSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reveal(self, request, pk=None):
        member = self.get_object()
        if not can_see_sensitive(request.user, member):
            raise PermissionDenied("没有权限查看完整身份证号和手机号。")
        ask = RevealRequestSerializer(data=request.data)
        ask.is_valid(raise_exception=True)
        revealed = reveal_sensitive(member, actor=request.user, reason=ask.validated_data["reason"])
        return Response(RevealSerializer(revealed).data)


@contextmanager
def _field_errors():
    """Turn the service's per-field errors into DRF's {field: [reason]} 400 body."""
    try:
        yield
    except services.InvalidMember as exc:
        raise serializers.ValidationError(
            {field: [reason] for field, reason in exc.errors.items()}
        ) from exc
