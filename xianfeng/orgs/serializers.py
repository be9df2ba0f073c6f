"""Organization representations for the API; writes go through orgs.services."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from .models import Domain, Organization
from .services import EDITABLE_FIELDS

# `detail` is the Chinese reason; a rule refusal adds `code` and `field`, a field validation
# error is {field name: [reasons]} instead (so the other keys are left free).
ErrorSerializer = inline_serializer(
    "Error", {"detail": serializers.JSONField(required=False, help_text="中文错误说明")}
)

# Documented on every operation so clients (and schemathesis) know the error shapes.
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="请求参数有误"),
    401: OpenApiResponse(ErrorSerializer, description="未登录"),
    403: OpenApiResponse(ErrorSerializer, description="没有权限"),
    404: OpenApiResponse(ErrorSerializer, description="不存在或无权查看"),
}

ORG_FIELDS = (
    "id",
    "code",
    "name",
    "short_name",
    "kind",
    "kind_label",
    "is_temporary",
    "is_joint",
    "domain",
    "founded_on",
    "address",
    "contact_name",
    "contact_phone",
    "status",
    "dissolved_on",
    "parent",
    "depth",
    "numchild",
    "member_count",
    "full_member_count",
    "probationary_member_count",
)


class OrganizationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(read_only=True)
    domain = serializers.ChoiceField(choices=Domain.choices, allow_blank=True, read_only=True)
    parent = serializers.IntegerField(
        source="parent_id", read_only=True, allow_null=True, help_text="上级组织 id(根为 null)"
    )

    class Meta:
        model = Organization
        fields = ORG_FIELDS
        read_only_fields = ORG_FIELDS


class OrganizationWriteSerializer(serializers.ModelSerializer):
    """Fields a client may set; `parent` only on create, checked against the user's scope."""

    parent = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(),
        required=False,
        help_text="上级组织 id(须在授权范围内)",
    )

    class Meta:
        model = Organization
        fields = ("parent", *EDITABLE_FIELDS)
        # Uniqueness of `code` is checked by orgs.services, the one place for the rule.
        extra_kwargs = {"code": {"validators": []}}

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields.pop("parent")
        elif parents is not None:
            self.fields["parent"].queryset = parents
            self.fields["parent"].required = True


class SubtreeStatsSerializer(serializers.Serializer):
    members = serializers.IntegerField(help_text="党员总数(含下级)")
    full_members = serializers.IntegerField(help_text="正式党员")
    probationary_members = serializers.IntegerField(help_text="预备党员")
    committees = serializers.IntegerField(help_text="党委")
    general_branches = serializers.IntegerField(help_text="党总支")
    branches = serializers.IntegerField(help_text="党支部")
    groups = serializers.IntegerField(help_text="党小组")
    organizations = serializers.IntegerField(help_text="组织总数(含自身)")
