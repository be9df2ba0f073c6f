"""Meetings API (read only): scoped meetings with attendance counts, and compliance."""

import django_filters
from django import forms
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from xianfeng.accounts.permissions import HasScopedPerm
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import get_org_for_user
from xianfeng.orgs.api import IdFilter
from xianfeng.orgs.serializers import ERRORS

from . import services
from .access import scope_meetings
from .compliance import CODES, STATUS_LABELS, compliance
from .models import Meeting
from .rules import MeetingKind
from .views_org import period_of


class MeetingSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    kind_label = serializers.CharField(read_only=True)
    attendance = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = (
            "id",
            "organization",
            "organization_name",
            "kind",
            "kind_label",
            "topic",
            "starts_at",
            "ends_at",
            "held_on",
            "place",
            "presided_by",
            "lecturer",
            "lecturer_name",
            "status",
            "notice_sent_at",
            "attendance",
        )

    def get_attendance(self, meeting) -> dict:
        return services.attendance_counts(meeting) if self.context.get("detail") else None


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=2000, max_value=2100, **kwargs)


class MeetingFilter(django_filters.FilterSet):
    org = IdFilter(label="组织(含下级)", method="filter_org")
    kind = django_filters.ChoiceFilter(label="会议类型", choices=MeetingKind.choices)
    year = YearFilter(label="年度", field_name="held_on", lookup_expr="year")

    class Meta:
        model = Meeting
        fields = ()

    def filter_org(self, queryset, name, value):
        org = get_org_for_user(self.request.user, value, Perm.MEETING_VIEW)
        return queryset.filter(organization__path__startswith=org.path)


class ComplianceSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    share_compliant = serializers.FloatField(allow_null=True)
    rules = serializers.DictField()
    statuses = serializers.DictField()


@extend_schema_view(
    list=extend_schema(
        summary="会议列表(授权范围内)", responses={200: MeetingSerializer(many=True), **ERRORS}
    ),
    retrieve=extend_schema(
        summary="会议详情(含出席人数与法定人数)", responses={200: MeetingSerializer, **ERRORS}
    ),
)
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasScopedPerm]
    lookup_value_regex = "[^/]+"
    required_perms = {"*": Perm.MEETING_VIEW}
    serializer_class = MeetingSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = MeetingFilter
    queryset = Meeting.objects.none()

    def get_queryset(self):
        return (
            scope_meetings(self.request.user)
            .select_related("organization")
            .order_by("-starts_at", "-id")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "detail": self.action == "retrieve"}

    @extend_schema(
        summary="组织生活合规情况(组织及其下级，一个年度或季度)",
        parameters=[
            OpenApiParameter("org", int, required=True, description="组织 id"),
            OpenApiParameter("year", int),
            OpenApiParameter("quarter", int, description="1–4；不填为全年"),
        ],
        responses={200: ComplianceSerializer, **ERRORS},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def compliance(self, request):
        if not request.query_params.get("org"):
            raise ValidationError({"org": ["请指定组织"]})
        root = get_org_for_user(request.user, request.query_params["org"], Perm.MEETING_VIEW)
        _year, _quarter, start, end = period_of(request)
        result = compliance([root], start, end, timezone.localdate())
        by_rule = result.by_rule()
        data = {
            "organization": root.pk,
            "start": start,
            "end": end,
            "share_compliant": result.share_compliant(),
            "rules": {
                code: {STATUS_LABELS[s]: n for s, n in sorted(by_rule[code].items())}
                for code in CODES
            },
            "statuses": {
                str(org_id): {c: s for c, s in zip(CODES, row, strict=True) if s}
                for org_id, row in result.statuses.items()
            },
        }
        return Response(ComplianceSerializer(data).data)
