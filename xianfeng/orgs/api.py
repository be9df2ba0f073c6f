"""Organizations API: scoped reads, subtree stats, children; writes through orgs.services."""

import django_filters
from django import forms
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Length, Substr
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xianfeng.accounts.permissions import HasScopedPerm
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import scope_orgs
from xianfeng.members.search import to_simplified

from . import services
from .models import Domain, Organization, OrgKind, OrgStatus
from .serializers import (
    ERRORS,
    OrganizationSerializer,
    OrganizationWriteSerializer,
    SubtreeStatsSerializer,
)
from .stats import subtree_stats


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """An integer id within the database's range (a huge number must be a 400, not a crash)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


MAX_ID = 2**63 - 1


class OrgFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        label="搜索(名称、简称包含，或代码开头)", method="filter_search"
    )
    kind = django_filters.ChoiceFilter(label="组织类别", choices=OrgKind.choices)
    domain = django_filters.ChoiceFilter(label="所属领域", choices=Domain.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=OrgStatus.choices)
    parent = IdFilter(label="直属下级(上级组织 id)", method="filter_parent")
    under = IdFilter(label="整个下级树(组织 id，含自身)", method="filter_under")

    class Meta:
        model = Organization
        fields = ()

    def filter_search(self, queryset, name, value):
        text = to_simplified(value.strip())
        return queryset.filter(
            Q(name__icontains=text) | Q(short_name__icontains=text) | Q(code__istartswith=text)
        )

    # `queryset` is already scoped, so an id outside the grant finds nothing.
    def filter_parent(self, queryset, name, value):
        node = queryset.filter(pk=value).values("path", "depth").first()
        if node is None:
            return queryset.none()
        return queryset.filter(path__startswith=node["path"], depth=node["depth"] + 1)

    def filter_under(self, queryset, name, value):
        path = queryset.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(path__startswith=path)


def with_parent_id(qs):
    """Annotate each organization with its parent's id in the same query (no query per row)."""
    parent_path = Substr(
        OuterRef("path"), 1, Length(OuterRef("path")) - Value(Organization.steplen)
    )
    parents = Organization.objects.filter(path=parent_path).order_by().values("pk")[:1]
    return qs.annotate(parent_id=Subquery(parents))


_CHANGE = Perm.ORG_CHANGE


@extend_schema_view(
    list=extend_schema(
        summary="组织列表(授权范围内)", responses={200: OrganizationSerializer(many=True), **ERRORS}
    ),
    retrieve=extend_schema(summary="组织详情", responses={200: OrganizationSerializer, **ERRORS}),
    create=extend_schema(
        summary="新建下级组织",
        request=OrganizationWriteSerializer,
        responses={201: OrganizationSerializer, **ERRORS},
    ),
    update=extend_schema(
        summary="修改组织",
        request=OrganizationWriteSerializer,
        responses={200: OrganizationSerializer, **ERRORS},
    ),
    partial_update=extend_schema(
        summary="修改组织(部分字段)",
        request=OrganizationWriteSerializer,
        responses={200: OrganizationSerializer, **ERRORS},
    ),
)
class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [HasScopedPerm]
    # Any id reaches the view, so a malformed one is a JSON 404 like a missing one.
    lookup_value_regex = "[^/]+"
    required_perms = {
        "create": _CHANGE,
        "update": _CHANGE,
        "partial_update": _CHANGE,
        "*": Perm.ORG_VIEW,
    }
    serializer_class = OrganizationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = OrgFilter
    queryset = Organization.objects.none()

    def get_queryset(self):
        perm = self.required_perms.get(self.action, Perm.ORG_VIEW)
        return with_parent_id(scope_orgs(self.request.user, perm))

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return OrganizationWriteSerializer
        return OrganizationSerializer

    def get_serializer(self, *args, **kwargs):
        if self.action == "create":
            kwargs["parents"] = scope_orgs(self.request.user, _CHANGE)
        return super().get_serializer(*args, **kwargs)

    def _read(self, org, code=status.HTTP_200_OK):
        org = self.get_queryset().get(pk=org.pk)
        return Response(OrganizationSerializer(org).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        parent = fields.pop("parent")
        org = services.create_org(parent, actor=request.user, **fields)
        return self._read(org, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        org = self.get_object()
        serializer = self.get_serializer(
            org, data=request.data, partial=kwargs.pop("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        org = services.update_org(org, actor=request.user, **serializer.validated_data)
        return self._read(org)

    @extend_schema(summary="下级树统计", responses={200: SubtreeStatsSerializer, **ERRORS})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def stats(self, request, pk=None):
        return Response(SubtreeStatsSerializer(subtree_stats(self.get_object())).data)

    @extend_schema(
        summary="直属下级组织",
        responses={200: OrganizationSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def children(self, request, pk=None):
        org = self.get_object()
        children = self.filter_queryset(self.get_queryset()).filter(
            path__startswith=org.path, depth=org.depth + 1
        )
        page = self.paginate_queryset(children)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
