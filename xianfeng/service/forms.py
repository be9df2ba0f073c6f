from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import scope_members, scope_orgs
from xianfeng.core.uploads import check_upload
from xianfeng.members.forms import DATE, DomainErrorMixin, OrgChoiceField
from xianfeng.members.search import search_q
from xianfeng.orgs.models import OrgKind

from .models import (
    AllianceRole,
    Direction,
    PartnerUnit,
    ReviewDirection,
    ReviewGrade,
    ServiceProject,
    Studio,
)


def _orgs(user):
    return scope_orgs(user, Perm.ORG_CHANGE).exclude(kind=OrgKind.GROUP).order_by("path")


class ProjectForm(DomainErrorMixin, forms.ModelForm):
    organization = OrgChoiceField(label=_("发布组织"), queryset=None)

    class Meta:
        model = ServiceProject
        fields = [
            "organization",
            "direction",
            "offered_by",
            "studio",
            "title",
            "description",
            "slots",
            "claim_by",
        ]
        widgets = {"claim_by": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = _orgs(user)
        self.fields["organization"].queryset = orgs
        self.fields["direction"].choices = Direction.choices
        self.fields["studio"].queryset = Studio.objects.filter(community__in=orgs)
        self.fields["slots"].min_value = 1


class ClaimForOthersForm(DomainErrorMixin, forms.Form):
    """Staff record a unit's claim (of a need) or their community's claim (of an offer)."""

    unit = forms.ModelChoiceField(
        label=_("认领单位"), queryset=PartnerUnit.objects.all(), required=False
    )
    community = OrgChoiceField(label=_("认领社区"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = _orgs(user)


class DoneForm(DomainErrorMixin, forms.Form):
    completed_on = forms.DateField(label=_("完成日期"), widget=DATE)
    evidence = forms.FileField(label=_("佐证材料(PDF/JPG/PNG)"), required=False)

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            check_upload(upload)
        return upload


class ProgressForm(DomainErrorMixin, forms.Form):
    progress = forms.CharField(label=_("进展"), widget=forms.Textarea(attrs={"rows": 2}))


class CheckInForm(DomainErrorMixin, forms.Form):
    community = OrgChoiceField(label=_("报到社区"), queryset=None)
    unit = forms.ModelChoiceField(
        label=_("报到单位"), queryset=PartnerUnit.objects.all(), required=False
    )
    member_id_last4 = forms.CharField(label=_("或报到党员(身份证后4位或姓名)"), required=False)
    reason = forms.ChoiceField(
        label=_("报到方式"),
        choices=[("", "—"), ("结对共建", "结对共建"), ("居住地报到", "居住地报到")],
        required=False,
    )
    registered_on = forms.DateField(label=_("报到日期"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["community"].queryset = _orgs(user)

    def clean(self):
        data = super().clean()
        data["member"] = find_member(self, "member_id_last4")
        return data


def find_member(form, field):
    """The one member in the user's scope matching the search text of `field`, or None."""
    text = form.cleaned_data.get(field, "").strip()
    if not text:
        return None
    found = list(scope_members(form.user).filter(search_q(text, form.user))[:2])
    if len(found) != 1:
        form.add_error(field, "未找到唯一的党员，请输入更完整的姓名或身份证后4位")
        return None
    return found[0]


class ServiceRecordForm(DomainErrorMixin, forms.Form):
    served_on = forms.DateField(label=_("服务日期"), widget=DATE)
    content = forms.CharField(label=_("服务内容"), max_length=200)
    hours = forms.DecimalField(
        label=_("服务时长(小时)"), min_value=0, max_value=24, decimal_places=1
    )
    residents_served = forms.IntegerField(label=_("服务群众人次"), min_value=0, initial=0)


class ReviewForm(DomainErrorMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    direction = forms.ChoiceField(label=_("评议方向"), choices=ReviewDirection.choices)
    grade = forms.ChoiceField(label=_("评议等次"), choices=ReviewGrade.choices)
    comment = forms.CharField(label=_("评语"), max_length=200, required=False)


class UnitForm(DomainErrorMixin, forms.ModelForm):
    class Meta:
        model = PartnerUnit
        fields = ["name", "kind", "contact", "phone", "address"]


class StudioForm(DomainErrorMixin, forms.ModelForm):
    community = OrgChoiceField(label=_("所在社区"), queryset=None)

    class Meta:
        model = Studio
        fields = ["community", "name", "holder", "speciality", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = _orgs(user)


class JoinForm(DomainErrorMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=PartnerUnit.objects.all())
    role = forms.ChoiceField(label=_("职务"), choices=AllianceRole.choices)
    joined_on = forms.DateField(label=_("加入日期"), widget=DATE)


class EventForm(DomainErrorMixin, forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=100)
    held_on = forms.DateField(label=_("活动日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("参加单位"), queryset=PartnerUnit.objects.none(), required=False
    )
    summary = forms.CharField(
        label=_("活动内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = PartnerUnit.objects.filter(alliances__alliance=alliance)


class VolunteerForm(DomainErrorMixin, forms.Form):
    organization = OrgChoiceField(label=_("所属队伍(组织)"), queryset=None)
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=20)
    skills = forms.CharField(label=_("服务特长"), max_length=100, required=False)
    registered_on = forms.DateField(label=_("注册日期"), widget=DATE)
    member_search = forms.CharField(label=_("是党员的，输入姓名或身份证后4位关联"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organization"].queryset = _orgs(user)

    def clean(self):
        data = super().clean()
        data["member"] = find_member(self, "member_search")
        data.pop("member_search", None)
        return data


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(DomainErrorMixin, forms.Form):
    organization = OrgChoiceField(label=_("组织单位"), queryset=None)
    title = forms.CharField(label=_("活动名称"), max_length=100)
    place = forms.CharField(label=_("地点"), max_length=100)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)
    capacity = forms.IntegerField(label=_("招募人数"), min_value=1, max_value=1000)
    description = forms.CharField(
        label=_("活动内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(user)
