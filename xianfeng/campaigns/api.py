"""Campaigns API: the campaigns in the caller's scope with their progress board, their
households (cases) with filters and masked personal data, and the writes the services offer
(stage, visit, assign, correcting the file with a version, reveal). Scoped like the pages: a
campaign of another street is a 404; a 包户 cadre without grants reaches their households."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from xianfeng.accounts.permissions import HasScopedPerm
from xianfeng.accounts.roles import Perm
from xianfeng.members.masking import mask_id_number, mask_phone
from xianfeng.orgs.api import IdFilter
from xianfeng.orgs.serializers import ERRORS

from . import services
from .forms import team
from .models import Campaign, Case, CasePerson
from .progress import board
from .rules import STAGES, CampaignKind, CampaignStatus, stage_label, stages_of
from .scoping import (
    may_change_campaign,
    may_change_case,
    may_reveal_case,
    scope_campaigns,
    scope_cases,
)

_ALL_STAGES = sorted({(code, str(label)) for stages in STAGES.values() for code, label in stages})


# ---------------------------------------------------------------- campaigns


class LabelledSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class PartSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CampaignSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    street_name = serializers.CharField(source="street.name", read_only=True)
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    stages = serializers.SerializerMethodField()
    classes = serializers.SerializerMethodField()
    groups = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "street",
            "street_name",
            "branch",
            "branch_name",
            "starts_on",
            "ends_on",
            "closed_on",
            "description",
            "allocation_rule",
            "allocation_seed",
            "allocation_published_at",
            "stages",
            "classes",
            "groups",
        ]

    @extend_schema_field(LabelledSerializer(many=True))
    def get_stages(self, campaign):
        return [{"code": c, "label": str(label)} for c, label in stages_of(campaign.kind)]

    @extend_schema_field(PartSerializer(many=True))
    def get_classes(self, campaign):
        return [{"id": k.pk, "name": k.name} for k in campaign.classes.all()]

    @extend_schema_field(PartSerializer(many=True))
    def get_groups(self, campaign):
        return [{"id": g.pk, "name": g.name} for g in campaign.groups.all()]


class BoardRowSerializer(serializers.Serializer):
    name = serializers.CharField()
    counts = serializers.ListField(child=serializers.IntegerField(), help_text="按进度顺序")
    total = serializers.IntegerField()


class BoardDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    reached = serializers.ListField(
        child=serializers.IntegerField(), help_text="截至当日到达各进度的户数"
    )


class BoardSerializer(serializers.Serializer):
    stages = LabelledSerializer(many=True)
    total = serializers.IntegerField()
    now = serializers.ListField(child=serializers.IntegerField(), help_text="各进度现有户数")
    done = serializers.IntegerField()
    done_pct = serializers.IntegerField()
    by_class = BoardRowSerializer(many=True)
    by_group = BoardRowSerializer(many=True)
    days = BoardDaySerializer(many=True)


def board_data(campaign):
    figures = board(campaign)
    rows = lambda items: [{"name": n, "counts": c, "total": t} for n, c, t in items]  # noqa: E731
    return {
        "stages": [{"code": c, "label": label} for c, label in figures["stages"]],
        "total": figures["total"],
        "now": figures["now"],
        "done": figures["done"],
        "done_pct": figures["done_pct"],
        "by_class": rows(figures["by_class"]),
        "by_group": rows(figures["by_group"]),
        "days": [{"day": d, "reached": r} for d, r in figures["days"]],
    }


class CampaignFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=CampaignStatus.choices)
    kind = django_filters.ChoiceFilter(label="类别", choices=CampaignKind.choices)

    class Meta:
        model = Campaign
        fields = ()


@extend_schema_view(
    list=extend_schema(
        summary="专项工作列表(本街道及临时党支部授权范围内)",
        responses={200: CampaignSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(summary="专项工作详情", responses={200: CampaignSerializer, **ERRORS}),
)
class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasScopedPerm]
    required_perms = {"*": Perm.ORG_VIEW}
    lookup_value_regex = "[^/]+"
    serializer_class = CampaignSerializer
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = CampaignFilter
    queryset = Campaign.objects.none()

    def get_queryset(self):
        return (
            scope_campaigns(self.request.user)
            .select_related("street", "branch")
            .prefetch_related("classes", "groups")
            .order_by("-starts_on", "id")
        )

    @extend_schema(
        summary="进度看板(各进度、类别×进度、小组×进度、逐日)",
        responses={200: BoardSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def board(self, request, pk=None):
        return Response(BoardSerializer(board_data(self.get_object())).data)


# ---------------------------------------------------------------- cases


class PersonSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField(help_text="打码")

    class Meta:
        model = CasePerson
        fields = ["id", "name", "relation", "id_number"]

    def get_id_number(self, person) -> str:
        return mask_id_number(person.id_number)


class CaseSerializer(serializers.ModelSerializer):
    """A household; 身份证号 and phone always masked (the full values only through reveal)."""

    stage_label = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField(help_text="打码")
    phone = serializers.SerializerMethodField(help_text="打码")
    case_class_name = serializers.CharField(source="case_class.name", default="", read_only=True)
    group_name = serializers.CharField(source="group.name", default="", read_only=True)
    responsible_name = serializers.SerializerMethodField()
    persons = PersonSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "campaign",
            "number",
            "village",
            "head_name",
            "id_number",
            "phone",
            "people",
            "address",
            "area",
            "property_note",
            "case_class",
            "case_class_name",
            "group",
            "group_name",
            "responsible",
            "responsible_name",
            "stage",
            "stage_label",
            "stage_since",
            "signed_on",
            "choose_order",
            "note",
            "version",
            "persons",
        ]

    def get_stage_label(self, case) -> str:
        return str(stage_label(case.campaign.kind, case.stage))

    def get_id_number(self, case) -> str:
        return mask_id_number(case.id_number)

    def get_phone(self, case) -> str:
        return mask_phone(case.phone)

    def get_responsible_name(self, case) -> str:
        return str(case.responsible) if case.responsible_id else ""


class CaseFilter(django_filters.FilterSet):
    campaign = IdFilter(label="专项工作 id", field_name="campaign_id")
    stage = django_filters.ChoiceFilter(label="进度", choices=_ALL_STAGES)
    case_class = IdFilter(label="类别 id", field_name="case_class_id")
    group = IdFilter(label="工作小组 id", field_name="group_id")
    responsible = IdFilter(label="包户人(账号 id)", field_name="responsible_id")
    search = django_filters.CharFilter(label="户号或户主包含", method="filter_search")

    class Meta:
        model = Case
        fields = ()

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(head_name__icontains=value))


class PersonWriteSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="已有成员的 id；新增留空"
    )
    name = serializers.CharField(max_length=50)
    relation = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(
        max_length=18, required=False, allow_blank=True, help_text="不传则保持原值"
    )


class CaseWriteSerializer(serializers.Serializer):
    """Corrections to a household's file; `version` (read with the household) is required."""

    version = serializers.IntegerField(
        min_value=0, error_messages={"required": "修改时必须提供读取时的版本号 version"}
    )
    head_name = serializers.CharField(max_length=50, required=False)
    village = serializers.CharField(max_length=50, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    people = serializers.IntegerField(min_value=1, max_value=99, required=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    area = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=0, required=False, coerce_to_string=False
    )
    property_note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    case_class = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="类别 id；null 为未分类"
    )
    persons = PersonWriteSerializer(
        many=True, required=False, help_text="完整的家庭成员名单；不在名单中的已有成员被移出"
    )


class StageSerializer(serializers.Serializer):
    stage = serializers.CharField(max_length=20, help_text="进度代码(见专项工作的 stages)")
    on = serializers.DateField(required=False, help_text="默认今天")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class VisitSerializer(serializers.Serializer):
    visited_on = serializers.DateField(required=False, help_text="默认今天")
    talked_with = serializers.CharField(max_length=50, required=False, allow_blank=True)
    said = serializers.CharField(
        error_messages={"required": "请填写谈话内容", "blank": "请填写谈话内容"}
    )
    issues = serializers.CharField(required=False, allow_blank=True, default="")
    key = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text="提交令牌：重复提交只记一次"
    )


class VisitResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    visited_on = serializers.DateField()
    visitor_name = serializers.CharField()
    talked_with = serializers.CharField()
    said = serializers.CharField()
    issues = serializers.CharField()


class AssignSerializer(serializers.Serializer):
    case_class = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    group = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    responsible = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="包户人账号 id"
    )


class CaseRevealRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=200,
        help_text="查看事由(记入审计日志)",
        error_messages={
            "required": "请填写查看完整信息的事由",
            "blank": "请填写查看完整信息的事由",
        },
    )


class RevealedPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number = serializers.CharField(allow_blank=True)


class CaseRevealSerializer(serializers.Serializer):
    id_number = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    persons = RevealedPersonSerializer(many=True)


def _one_of(queryset, pk, field, message):
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise serializers.ValidationError({field: [message]})
    return found


_CASE = {"responses": {200: CaseSerializer, **ERRORS}}


@extend_schema_view(
    list=extend_schema(
        summary="户档案列表(可按专项工作、进度、类别、小组、包户人筛选；身份证号、电话打码)",
        responses={200: CaseSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(summary="户档案详情", **_CASE),
    partial_update=extend_schema(
        summary="修改户档案(须带读取时的 version；他人已修改则拒绝)",
        request=CaseWriteSerializer,
        **_CASE,
    ),
)
class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    # Any login: a 包户 cadre without grants sees (only) the households given to them.
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = "[^/]+"
    serializer_class = CaseSerializer
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = CaseFilter
    queryset = Case.objects.none()

    def get_queryset(self):
        return (
            scope_cases(self.request.user)
            .select_related(
                "campaign__street", "campaign__branch", "case_class", "group", "responsible"
            )
            .prefetch_related("persons")
            .order_by("campaign_id", "number")
        )

    def _read(self, case):
        return Response(CaseSerializer(self.get_queryset().get(pk=case.pk)).data)

    def _changeable(self):
        case = self.get_object()
        if not may_change_case(self.request.user, case):
            raise PermissionDenied("无权办理该户")
        return case

    def _body(self, serializer_class):
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    def update(self, request, *args, **kwargs):
        case = self._changeable()
        data = dict(self._body(CaseWriteSerializer))
        if "case_class" in data:
            if not may_change_campaign(request.user, case.campaign):
                raise PermissionDenied("只有临时党支部或街道可以调整户类别")
            data["case_class"] = _one_of(
                case.campaign.classes.all(),
                data["case_class"],
                "case_class",
                "类别不属于该专项工作",
            )
        if "persons" in data:
            data["persons"] = [dict(p) for p in data["persons"]]
        services.update_case(case, actor=request.user, expected_version=data.pop("version"), **data)
        return self._read(case)

    @extend_schema(
        summary="变更进度(前进一步，或说明原因退回一步)", request=StageSerializer, **_CASE
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def stage(self, request, pk=None):
        case = self._changeable()
        data = self._body(StageSerializer)
        services.change_stage(
            case,
            data["stage"],
            actor=request.user,
            on=data.get("on") or timezone.localdate(),
            note=data["note"],
        )
        return self._read(case)

    @extend_schema(
        summary="登记走访谈话",
        request=VisitSerializer,
        responses={201: VisitResultSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def visits(self, request, pk=None):
        case = self._changeable()
        data = self._body(VisitSerializer)
        visit = services.add_visit(
            case,
            actor=request.user,
            visited_on=data.get("visited_on") or timezone.localdate(),
            visitor_name=str(request.user)[:50],
            talked_with=data.get("talked_with", ""),
            said=data["said"],
            issues=data["issues"],
            key=data.get("key") or None,
        )
        return Response(VisitResultSerializer(visit).data, status=201)

    @extend_schema(summary="分类、分组与包户(临时党支部或街道)", request=AssignSerializer, **_CASE)
    @action(detail=True, methods=["post"], filter_backends=[])
    def assign(self, request, pk=None):
        case = self.get_object()
        campaign = case.campaign
        if not may_change_campaign(request.user, campaign):
            raise PermissionDenied("只有临时党支部或街道可以分配包户")
        data = self._body(AssignSerializer)
        services.assign_case(
            case,
            actor=request.user,
            case_class=_one_of(
                campaign.classes.all(), data.get("case_class"), "case_class", "类别不属于该专项工作"
            ),
            group=_one_of(
                campaign.groups.all(), data.get("group"), "group", "工作小组不属于该专项工作"
            ),
            responsible=_one_of(
                team(campaign),
                data.get("responsible"),
                "responsible",
                "包户人不在该专项工作的人员中",
            ),
        )
        return self._read(case)

    @extend_schema(
        summary="显示完整身份证号和电话(须填写事由，记入审计日志)",
        request=CaseRevealRequestSerializer,
        responses={200: CaseRevealSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reveal(self, request, pk=None):
        case = self.get_object()
        if not may_reveal_case(request.user, case):
            raise PermissionDenied("没有权限查看完整身份证号和手机号。")
        data = self._body(CaseRevealRequestSerializer)
        revealed = services.reveal_case(case, actor=request.user, reason=data["reason"])
        return Response(CaseRevealSerializer(revealed).data)
