"""积分 API (read-only): a member's ledger and a subtree's ranking, both scoped."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from xianfeng.accounts.permissions import HasScopedPerm
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import get_member_for_user, get_org_for_user
from xianfeng.core.errors import DomainError
from xianfeng.core.pagination import StablePagination
from xianfeng.orgs.serializers import ERRORS

from . import periods, rankings
from .models import PointEvent


class PointEventSerializer(serializers.ModelSerializer):
    rule_name = serializers.CharField(source="rule.name")
    rule_version = serializers.IntegerField(source="rule.version")
    approved_by = serializers.StringRelatedField()

    class Meta:
        model = PointEvent
        fields = (
            "id",
            "booked_on",
            "occurred_on",
            "rule_code",
            "rule_name",
            "rule_version",
            "points",
            "kind",
            "source_type",
            "source_id",
            "reverses",
            "note",
            "approved_by",
            "created_at",
        )


class PlaceSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    member_id = serializers.IntegerField()
    member_name = serializers.CharField()
    org_name = serializers.CharField()
    total = serializers.IntegerField()


class RankingSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    period = serializers.CharField()
    closed = serializers.BooleanField()
    places = PlaceSerializer(many=True)


@extend_schema(summary="党员积分流水(授权范围内)", responses={200: PointEventSerializer, **ERRORS})
class MemberLedger(generics.ListAPIView):
    permission_classes = [HasScopedPerm]
    required_perms = {"*": Perm.POINTS_VIEW}
    serializer_class = PointEventSerializer
    pagination_class = StablePagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no member
            return PointEvent.objects.none()
        member = get_member_for_user(self.request.user, self.kwargs["pk"], Perm.POINTS_VIEW)
        return (
            PointEvent.objects.filter(member=member)
            .select_related("rule", "approved_by")
            .order_by("-booked_on", "-id")
        )


@extend_schema(
    summary="积分排名(组织含下级；已结账月份返回快照)",
    parameters=[
        OpenApiParameter("org", int, required=True, description="组织 id"),
        OpenApiParameter("period", str, description="2026-03、2026-Q1 或 2026；默认上月"),
        OpenApiParameter("n", int, description="前 N 名(1–100，默认 10)"),
    ],
    responses={200: RankingSerializer, **ERRORS},
)
class Ranking(APIView):
    permission_classes = [HasScopedPerm]
    required_perms = {"*": Perm.POINTS_VIEW}

    def get(self, request):
        if not request.query_params.get("org"):
            raise ValidationError({"org": ["请指定组织 org"]})
        org = get_org_for_user(request.user, request.query_params["org"], Perm.POINTS_VIEW)
        try:
            default = periods.previous_month(timezone.localdate())
            period = periods.parse(request.query_params.get("period") or default)
            n = int(request.query_params.get("n", 10))
        except DomainError as exc:
            raise ValidationError({"period": [exc.message]}) from exc
        except ValueError as exc:
            raise ValidationError({"n": ["n 应为整数"]}) from exc
        snap = rankings.snapshot(org, period.key)
        places = rankings.snapshot_places(snap) if snap else rankings.top(org, period.key, n)
        data = {
            "organization": org.pk,
            "period": period.key,
            "closed": snap is not None,
            "places": [p.__dict__ for p in places],
        }
        return Response(RankingSerializer(data).data)
