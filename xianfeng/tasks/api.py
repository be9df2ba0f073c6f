"""Key tasks and brand plans API: scoped reads; the board's light comes with each task."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from xianfeng.accounts.permissions import HasScopedPerm
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import scope_orgs
from xianfeng.orgs.serializers import ERRORS

from . import services
from .models import BrandMilestone, BrandPlan, KeyTask, Milestone


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_on"]


class KeyTaskSerializer(serializers.ModelSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    light = serializers.SerializerMethodField(help_text="red / amber / green / done")
    light_reasons = serializers.SerializerMethodField()

    class Meta:
        model = KeyTask
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "organization",
            "organization_name",
            "lead_unit",
            "lead_person",
            "co_units",
            "starts_on",
            "due_on",
            "progress",
            "completed_on",
            "light",
            "light_reasons",
            "milestones",
        ]

    def get_light(self, task) -> str:
        return self.context["lights"][task.pk].colour

    def get_light_reasons(self, task) -> list[str]:
        return list(self.context["lights"][task.pk].reasons)


@extend_schema_view(
    list=extend_schema(
        summary="重点任务列表", responses={200: KeyTaskSerializer(many=True), **ERRORS}
    ),
    retrieve=extend_schema(summary="重点任务详情", responses={200: KeyTaskSerializer, **ERRORS}),
)
class KeyTaskViewSet(viewsets.ReadOnlyModelViewSet):
    """重点任务与突破项目 in the caller's subtrees, each with its red/amber/green light."""

    lookup_value_regex = "[^/]+"
    serializer_class = KeyTaskSerializer
    permission_classes = [HasScopedPerm]
    required_perms = {"*": Perm.ORG_VIEW}

    def get_queryset(self):
        orgs = scope_orgs(self.request.user, Perm.ORG_VIEW)
        return KeyTask.objects.filter(organization__in=orgs).order_by("due_on", "id")

    def get_serializer(self, *args, **kwargs):
        if args:
            rows = args[0] if kwargs.get("many") else [args[0]]
            tasks = KeyTask.objects.filter(pk__in=[t.pk for t in rows])
            lights = {t.pk: light for t, light in services.board(tasks, timezone.localdate())}
            kwargs["context"] = {**self.get_serializer_context(), "lights": lights}
        return super().get_serializer(*args, **kwargs)


class BrandMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = BrandMilestone
        fields = ["id", "title", "due_on", "done_on", "note"]


class BrandPlanSerializer(serializers.ModelSerializer):
    milestones = BrandMilestoneSerializer(many=True, read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = BrandPlan
        fields = [
            "id",
            "organization",
            "organization_name",
            "name",
            "year",
            "concept",
            "goals",
            "is_key",
            "guide",
            "status",
            "milestones",
        ]


@extend_schema_view(
    list=extend_schema(
        summary="党建品牌计划列表", responses={200: BrandPlanSerializer(many=True), **ERRORS}
    ),
    retrieve=extend_schema(
        summary="党建品牌计划详情", responses={200: BrandPlanSerializer, **ERRORS}
    ),
)
class BrandPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """党建品牌创建计划 in the caller's subtrees."""

    lookup_value_regex = "[^/]+"
    serializer_class = BrandPlanSerializer
    permission_classes = [HasScopedPerm]
    required_perms = {"*": Perm.ORG_VIEW}

    def get_queryset(self):
        orgs = scope_orgs(self.request.user, Perm.ORG_VIEW)
        plans = BrandPlan.objects.filter(organization__in=orgs)
        return plans.select_related("organization").prefetch_related("milestones").order_by("id")
