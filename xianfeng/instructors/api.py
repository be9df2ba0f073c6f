"""Instructors API: an instructor's duty records (到岗履责), listed in scope and checked in
through the same service as the page, e.g. from a phone at the village."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from xianfeng.accounts.permissions import HasScopedPerm
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import scope_orgs
from xianfeng.orgs.models import Organization
from xianfeng.orgs.serializers import ERRORS

from . import services
from .models import Instructor, Visit, VisitKind
from .supervision import scope_instructors


class VisitSerializer(serializers.ModelSerializer):
    # Not "kind": orgs already names an enum after that field in the schema.
    visit_kind = serializers.ChoiceField(source="kind", choices=VisitKind.choices, read_only=True)
    instructor_name = serializers.CharField(source="instructor.member.name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "instructor",
            "instructor_name",
            "organization",
            "organization_name",
            "visited_on",
            "visit_kind",
            "content",
        ]


class VisitWriteSerializer(serializers.Serializer):
    instructor = serializers.PrimaryKeyRelatedField(
        queryset=Instructor.objects.none(), required=False, help_text="党建指导员 id；不填为本人"
    )
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    visited_on = serializers.DateField()
    visit_kind = serializers.ChoiceField(choices=VisitKind.choices)
    content = serializers.CharField()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["instructor"].queryset = scope_instructors(user)
            self.fields["organization"].queryset = scope_orgs(user, Perm.INSTRUCTOR_LOG)


@extend_schema_view(
    list=extend_schema(
        summary="到岗履责记录(本人或所督导的指导员)",
        responses={200: VisitSerializer(many=True), **ERRORS},
    ),
    create=extend_schema(
        summary="登记到岗履责",
        request=VisitWriteSerializer,
        responses={201: VisitSerializer, **ERRORS},
    ),
)
class VisitViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasScopedPerm]
    required_perms = {"*": Perm.INSTRUCTOR_LOG}
    serializer_class = VisitSerializer
    queryset = Visit.objects.none()

    def get_queryset(self):
        return Visit.objects.filter(
            instructor__in=scope_instructors(self.request.user)
        ).select_related("instructor__member", "organization")

    def create(self, request, *args, **kwargs):
        serializer = VisitWriteSerializer(data=request.data, user=request.user)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        instructor = data.get("instructor") or self._own()
        visit = services.record_visit(
            instructor,
            data["organization"],
            visited_on=data["visited_on"],
            kind=data["visit_kind"],
            content=data["content"],
            actor=request.user,
        )
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    def _own(self):
        own = scope_instructors(self.request.user).filter(member_id=self.request.user.member_id)
        instructor = own.first() if self.request.user.member_id else None
        if instructor is None:
            raise serializers.ValidationError({"instructor": ["请选择党建指导员"]})
        return instructor
