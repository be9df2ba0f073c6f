from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.core.widgets import MemberPicker, OrgsPicker
from xianfeng.members.forms import DATE, DomainErrorMixin, OrgChoiceField
from xianfeng.orgs.models import Domain, OrgKind, OrgStatus

from .models import MeetingKind, VisitKind, WindowKind

GUIDED = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH)


class MemberField(forms.ModelChoiceField):
    widget = MemberPicker

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.organization.name}）"


class OrgsField(forms.ModelMultipleChoiceField):
    widget = OrgsPicker

    def label_from_instance(self, obj):
        return obj.name


def guided_choices(orgs):
    return orgs.filter(kind__in=GUIDED, status=OrgStatus.ACTIVE).order_by("path")


class AppointForm(DomainErrorMixin, forms.Form):
    office = OrgChoiceField(label=_("选派党组织"), queryset=None)
    member = MemberField(label=_("党员(机关干部)"), queryset=None)
    department = forms.CharField(label=_("所在部门"), max_length=60, required=False)
    started_on = forms.DateField(label=_("选派日期"), widget=DATE)
    organizations = OrgsField(label=_("指导的党组织"), queryset=None)

    def __init__(self, *args, offices, members, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["member"].queryset = (
            members.active()
            .filter(organization__domain=Domain.ORGAN)
            .select_related("organization")
            .order_by("organization__path", "name_pinyin")
        )
        self.fields["organizations"].queryset = guided_choices(orgs)


class AssignForm(DomainErrorMixin, forms.Form):
    organization = OrgChoiceField(label=_("指导的党组织"), queryset=None)
    started_on = forms.DateField(label=_("开始日期"), widget=DATE)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = guided_choices(orgs)


class EndForm(DomainErrorMixin, forms.Form):
    ended_on = forms.DateField(label=_("结束日期"), widget=DATE)


class VisitForm(DomainErrorMixin, forms.Form):
    organization = OrgChoiceField(label=_("党组织"), queryset=None)
    visited_on = forms.DateField(label=_("日期"), widget=DATE)
    kind = forms.ChoiceField(label=_("类别"), choices=VisitKind.choices)
    content = forms.CharField(label=_("工作内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs


class ReportForm(DomainErrorMixin, forms.Form):
    reported_on = forms.DateField(label=_("汇报日期"), widget=DATE)
    title = forms.CharField(label=_("标题"), max_length=120)
    content = forms.CharField(label=_("汇报内容"), widget=forms.Textarea(attrs={"rows": 4}))


class WindowForm(DomainErrorMixin, forms.Form):
    office = OrgChoiceField(label=_("党组织"), queryset=None)
    kind = forms.ChoiceField(label=_("收取内容"), choices=WindowKind.choices)
    period_start = forms.DateField(label=_("所属期间起"), widget=DATE)
    period_end = forms.DateField(label=_("所属期间止"), widget=DATE)
    opens_on = forms.DateField(label=_("开始收取"), widget=DATE)
    closes_on = forms.DateField(label=_("截止日期"), widget=DATE)

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


class SubmitForm(DomainErrorMixin, forms.Form):
    instructor = forms.IntegerField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class MeetingForm(DomainErrorMixin, forms.Form):
    office = OrgChoiceField(label=_("党组织"), queryset=None)
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    held_on = forms.DateField(label=_("召开日期"), widget=DATE)
    topic = forms.CharField(label=_("议题"), max_length=200)
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 5}))
    attendees = forms.ModelMultipleChoiceField(label=_("参会指导员"), queryset=None, required=False)

    def __init__(self, *args, offices, instructors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["attendees"].queryset = instructors.select_related("member")
