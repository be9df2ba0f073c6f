"""Grids API (read-only): scoped list and detail, direct children, the escalation chain."""

import django_filters
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Length, Substr
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xianfeng.accounts.permissions import HasScopedPerm
from xianfeng.accounts.roles import Perm
from xianfeng.orgs.api import IdFilter
from xianfeng.orgs.serializers import ERRORS

from .models import Grid, GridKind
from .scoping import scope_grids
from .services import responsible_chain


class GridSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, default=None
    )
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)

    class Meta:
        model = Grid
        fields = (
            "id",
            "code",
            "name",
            "kind",
            "kind_label",
            "parent",
            "depth",
            "organization",
            "organization_name",
            "scope_org",
            "address",
            "geometry",
        )
        read_only_fields = fields


class ChainStepSerializer(serializers.Serializer):
    level = serializers.CharField()
    label = serializers.CharField()
    name = serializers.CharField()
    grid = serializers.IntegerField(source="grid.pk", allow_null=True, default=None)
    organization = serializers.IntegerField(source="organization.pk", allow_null=True, default=None)
    member = serializers.IntegerField(source="member.pk", allow_null=True, default=None)


class GridFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label="搜索(名称包含，或编码开头)", method="filter_search")
    kind = django_filters.ChoiceFilter(label="类别", choices=GridKind.choices)
    parent = IdFilter(label="直属下级(上级网格 id)", method="filter_parent")
    under = IdFilter(label="整个下级树(网格 id，含自身)", method="filter_under")
    organization = IdFilter(label="对应党组织 id", field_name="organization_id")

    class Meta:
        model = Grid
        fields = ()

    def filter_search(self, queryset, name, value):
        text = value.strip()
        return queryset.filter(Q(name__icontains=text) | Q(code__istartswith=text))

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
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Value(Grid.steplen))
    parents = Grid.objects.filter(path=parent_path).order_by().values("pk")[:1]
    return qs.annotate(parent_id=Subquery(parents))


@extend_schema_view(
    list=extend_schema(
        summary="网格列表(授权范围内)", responses={200: GridSerializer(many=True), **ERRORS}
    ),
    retrieve=extend_schema(summary="网格详情", responses={200: GridSerializer, **ERRORS}),
)
class GridViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasScopedPerm]
    lookup_value_regex = "[^/]+"
    required_perms = {"*": Perm.GRID_VIEW}
    serializer_class = GridSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = GridFilter
    queryset = Grid.objects.none()

    def get_queryset(self):
        qs = scope_grids(self.request.user).select_related("organization")
        return with_parent_id(qs)

    @extend_schema(summary="直属下级网格", responses={200: GridSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def children(self, request, pk=None):
        grid = self.get_object()
        children = self.filter_queryset(self.get_queryset()).filter(
            path__startswith=grid.path, depth=grid.depth + 1
        )
        page = self.paginate_queryset(children)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="逐级响应链(中心户 → 楼栋党小组 → 网格党支部 → 社区党总支 → 街道)",
        responses={200: ChainStepSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def chain(self, request, pk=None):
        steps = responsible_chain(self.get_object())
        return Response(ChainStepSerializer(steps, many=True).data)
