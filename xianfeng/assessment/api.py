"""Assessment API: scoped reads of star ratings (with their scores) and member results."""

import django_filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from xianfeng.accounts.permissions import HasScopedPerm
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import scope_members, scope_orgs
from xianfeng.orgs.api import IdFilter
from xianfeng.orgs.serializers import ERRORS

from .models import ItemScore, MemberAssessment, StarRating


class ItemScoreSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="item.name")
    kind = serializers.CharField(source="item.kind")
    code = serializers.CharField(source="item.code")
    max_score = serializers.DecimalField(source="item.max_score", max_digits=7, decimal_places=2)

    class Meta:
        model = ItemScore
        fields = ["name", "kind", "code", "value", "score", "max_score", "connected", "counted"]


class StarRatingSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name")
    domain = serializers.CharField(source="organization.domain")
    score = serializers.DecimalField(source="assessment.score", max_digits=7, decimal_places=2)
    max_score = serializers.DecimalField(
        source="assessment.max_score", max_digits=7, decimal_places=2
    )
    percent = serializers.DecimalField(source="assessment.percent", max_digits=7, decimal_places=2)
    published = serializers.SerializerMethodField()
    items = ItemScoreSerializer(source="assessment.items", many=True)

    class Meta:
        model = StarRating
        fields = [
            "id",
            "organization",
            "organization_name",
            "domain",
            "year",
            "score",
            "max_score",
            "percent",
            "computed_stars",
            "stars",
            "previous_stars",
            "change",
            "weak_and_lax",
            "published",
            "items",
        ]

    def get_published(self, obj) -> bool:
        return obj.assessment.round.is_published


class MemberAssessmentSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name")

    class Meta:
        model = MemberAssessment
        fields = [
            "id",
            "member",
            "member_name",
            "organization",
            "year",
            "components",
            "weights",
            "missing",
            "total",
            "grade",
            "stage",
        ]


@extend_schema_field(OpenApiTypes.INT)
class SmallIntFilter(django_filters.NumberFilter):
    """A bounded integer (a huge year must be a 400, not a database error)."""

    field_class = forms.IntegerField

    def __init__(self, *args, low=1, high=9999, **kwargs):
        super().__init__(*args, min_value=low, max_value=high, **kwargs)


class _UnderFilter(django_filters.FilterSet):
    year = SmallIntFilter(label="年度", low=2000, high=2100)
    org = IdFilter(label="组织(含下级)", method="filter_org")

    def filter_org(self, queryset, name, value):
        path = scope_orgs(self.request.user, Perm.ASSESS_VIEW).filter(pk=value)
        path = path.values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(organization__path__startswith=path)


class StarRatingFilter(_UnderFilter):
    weak_and_lax = django_filters.BooleanFilter(label="软弱涣散")
    stars = SmallIntFilter(label="星级", low=1, high=5)

    class Meta:
        model = StarRating
        fields = ()


class MemberAssessmentFilter(_UnderFilter):
    class Meta:
        model = MemberAssessment
        fields = ()


@extend_schema_view(
    list=extend_schema(
        summary="评星定级结果(授权范围内)",
        responses={200: StarRatingSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="评星定级详情(含指标得分)", responses={200: StarRatingSerializer, **ERRORS}
    ),
)
class StarRatingViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasScopedPerm]
    lookup_value_regex = "[^/]+"
    required_perms = {"*": Perm.ASSESS_VIEW}
    serializer_class = StarRatingSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = StarRatingFilter
    queryset = StarRating.objects.none()

    def get_queryset(self):
        orgs = scope_orgs(self.request.user, Perm.ASSESS_VIEW)
        return (
            StarRating.objects.filter(organization__in=orgs)
            .select_related("organization", "assessment__round")
            .prefetch_related("assessment__items__item")
            .order_by("-year", "organization__path")
        )


@extend_schema_view(
    list=extend_schema(
        summary="党员考核结果(授权范围内)",
        responses={200: MemberAssessmentSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="党员考核结果详情", responses={200: MemberAssessmentSerializer, **ERRORS}
    ),
)
class MemberAssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasScopedPerm]
    lookup_value_regex = "[^/]+"
    required_perms = {"*": Perm.ASSESS_VIEW}
    serializer_class = MemberAssessmentSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = MemberAssessmentFilter
    queryset = MemberAssessment.objects.none()

    def get_queryset(self):
        members = scope_members(self.request.user, Perm.ASSESS_VIEW)
        return (
            MemberAssessment.objects.filter(member__in=members)
            .select_related("member")
            .order_by("-year", "member_id")
        )
