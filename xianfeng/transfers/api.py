"""Transfers API: scoped reads of transfers (with their chain) and the step actions."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xianfeng.accounts.permissions import HasScopedPerm
from xianfeng.accounts.roles import Perm
from xianfeng.core.errors import DomainError
from xianfeng.orgs.serializers import ERRORS

from . import services
from .models import Transfer, TransferStep
from .queries import scope_transfers, with_steps


class StepSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = TransferStep
        fields = (
            "position",
            "organization",
            "organization_name",
            "action",
            "decision",
            "decided_at",
            "reason",
        )


class TransferSerializer(serializers.ModelSerializer):
    steps = StepSerializer(many=True, read_only=True)
    from_label = serializers.CharField(read_only=True)
    to_label = serializers.CharField(read_only=True)

    class Meta:
        model = Transfer
        fields = (
            "id",
            "kind",
            "status",
            "member",
            "name",
            "from_org",
            "to_org",
            "from_label",
            "to_label",
            "reason",
            "batch",
            "by_member",
            "created_at",
            "closed_at",
            "letter_no",
            "issued_on",
            "valid_until",
            "receipt_on",
            "incoming_letter_no",
            "steps",
        )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


_ACTIONS = ("approve", "reject", "withdraw", "accept")
_ACTION_SCHEMA = {"responses": {200: TransferSerializer, **ERRORS}}


@extend_schema_view(
    list=extend_schema(
        summary="组织关系转接列表(转出或转入组织在授权范围内)",
        responses={200: TransferSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(summary="组织关系转接详情(含审批环节)", **_ACTION_SCHEMA),
)
class TransferViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasScopedPerm]
    lookup_value_regex = "[^/]+"
    required_perms = {**dict.fromkeys(_ACTIONS, Perm.TRANSFER_ACT), "*": Perm.TRANSFER_VIEW}
    serializer_class = TransferSerializer
    queryset = Transfer.objects.none()

    def get_queryset(self):
        return with_steps(scope_transfers(self.request.user)).order_by("-created_at", "-id")

    def _do(self, service, **extra):
        transfer = self.get_object()
        try:
            service(transfer, actor=self.request.user, **extra)
        except DomainError as exc:
            if exc.code == "forbidden":
                raise PermissionDenied(exc.message) from exc
            raise
        return Response(TransferSerializer(self.get_queryset().get(pk=transfer.pk)).data)

    def _reason(self):
        data = ReasonSerializer(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data["reason"]

    @extend_schema(summary="同意当前环节", request=ReasonSerializer, **_ACTION_SCHEMA)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._do(services.approve_step, reason=self._reason())

    @extend_schema(summary="退回(须填写理由)", request=ReasonSerializer, **_ACTION_SCHEMA)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._do(services.reject_transfer, reason=self._reason())

    @extend_schema(summary="撤回(发起方，接收前)", request=ReasonSerializer, **_ACTION_SCHEMA)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._do(services.withdraw_transfer, reason=self._reason())

    @extend_schema(summary="接收(转入组织；重复接收只转一次)", request=None, **_ACTION_SCHEMA)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._do(services.accept_transfer)
