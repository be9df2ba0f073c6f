"""Member representations for the API: sensitive fields masked per role; writes via services."""

from rest_framework import serializers

from xianfeng.orgs.models import Organization

from .models import Education, Member, MemberTag
from .services import DATA_FIELDS

READ_FIELDS = (
    "id",
    *(f for f in DATA_FIELDS if f != "birth_date"),
    "birth_year",
    "status",
    "organization",
    "organization_name",
    "tags",
    "party_age",
    "version",
    "sensitive_masked",
)


class MemberSerializer(serializers.ModelSerializer):
    """Needs `sensitive` (a masking.SensitiveView) in the context."""

    id_number = serializers.SerializerMethodField(help_text="身份证号(无权限时打码)")
    phone = serializers.SerializerMethodField(help_text="手机号(无权限时打码)")
    birth_year = serializers.SerializerMethodField(help_text="出生年份(完整出生日期须经查看并记录)")
    sensitive_masked = serializers.SerializerMethodField(
        help_text="身份证号、手机号、出生日期是否已打码(列表与详情总是打码)"
    )
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    tags = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    party_age = serializers.SerializerMethodField(help_text="党龄(整年)")
    education = serializers.ChoiceField(choices=Education.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Member
        fields = READ_FIELDS
        read_only_fields = READ_FIELDS

    def get_id_number(self, member) -> str:
        return self.context["sensitive"].id_number(member)

    def get_phone(self, member) -> str:
        return self.context["sensitive"].phone(member)

    def get_birth_year(self, member) -> int | None:
        return member.birth_date.year if member.birth_date else None

    def get_sensitive_masked(self, member) -> bool:
        return True

    def get_party_age(self, member) -> int | None:
        return member.party_age()


class MemberWriteSerializer(serializers.ModelSerializer):
    """Shape checks only; the rules (ID checksum, dates, duplicates) live in members.services.

    `organization` choices are the organizations where the user may change members.
    """

    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), help_text="所在党组织 id"
    )
    tags = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=MemberTag.objects.all(), required=False
    )
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="修改时：读取时的版本号，不一致则拒绝(防止覆盖他人修改)",
    )

    class Meta:
        model = Member
        fields = ("organization", *DATA_FIELDS, "tags", "version")
        extra_kwargs = {
            "id_number": {"validators": []},
            "birth_date": {"required": False, "help_text": "缺省取自身份证号"},
            "gender": {"required": False, "help_text": "缺省取自身份证号"},
        }

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations
        if self.instance is not None:
            self.fields["organization"].required = False

    def validate(self, attrs):
        # Without it the stale-edit check would silently compare the row with itself.
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError({"version": "修改时必须提供读取时的版本号 version"})
        return super().validate(attrs)


class RevealSerializer(serializers.Serializer):
    id_number = serializers.CharField()
    phone = serializers.CharField(allow_blank=True)
    birth_date = serializers.DateField()


class RevealRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=200,
        help_text="查看事由(记入审计日志)",
        error_messages={
            "required": "请填写查看完整信息的事由",
            "blank": "请填写查看完整信息的事由",
        },
    )
