"""Forms for the org pages. Rules live in orgs/services.py; these only validate input."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import scope_orgs
from xianfeng.core.widgets import MemberPicker

from .models import Organization, SeatPost
from .services import EDITABLE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date_field(label, **kwargs):
    return forms.DateField(label=label, widget=DateInput(), **kwargs)


class OrgForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = EDITABLE_FIELDS
        widgets = {"founded_on": DateInput()}


class CommitteeForm(forms.Form):
    elected_on = _date_field(_("选举日期"), initial=timezone.localdate)
    term_years = forms.IntegerField(label=_("任期(年)"), min_value=1, max_value=10)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class SeatForm(forms.Form):
    member = forms.ModelChoiceField(label=_("党员"), queryset=None, widget=MemberPicker)
    post = forms.ChoiceField(label=_("职务"), choices=SeatPost.choices)
    started_on = _date_field(_("任职日期"), initial=timezone.localdate)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class EndSeatForm(forms.Form):
    ended_on = _date_field(_("离任日期"), initial=timezone.localdate)


class OrgCodeField(forms.CharField):
    """An organization chosen by its code, among those the user may restructure."""

    def __init__(self, *, label, **kwargs):
        help_text = _("填写组织代码（可在组织页面查看）")
        super().__init__(label=label, max_length=32, help_text=help_text, **kwargs)
        self.user = None

    def clean(self, value):
        code = super().clean(value).strip()
        org = scope_orgs(self.user, Perm.ORG_RESTRUCTURE).filter(code=code).first()
        if org is None:
            raise forms.ValidationError(
                _("找不到组织代码“%(code)s”，或您无权调整该组织"), params={"code": code}
            )
        return org


class _RestructureForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, OrgCodeField):
                field.user = user


class MoveForm(_RestructureForm):
    new_parent = OrgCodeField(label=_("新的上级组织代码"))
    on = _date_field(_("调整日期"), initial=timezone.localdate)


class MergeForm(_RestructureForm):
    target = OrgCodeField(label=_("并入的组织代码"))
    on = _date_field(_("合并日期"), initial=timezone.localdate)
    confirm = forms.BooleanField(
        label=_("确认合并：本组织的党员和下级组织将转入目标组织，本组织撤销")
    )


class SplitForm(forms.Form):
    new_name = forms.CharField(label=_("新组织名称"), max_length=120)
    new_code = forms.CharField(label=_("新组织代码"), max_length=32)
    members = forms.ModelMultipleChoiceField(
        label=_("分出的党员"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    children = forms.ModelMultipleChoiceField(
        label=_("分出的下级组织"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    on = _date_field(_("拆分日期"), initial=timezone.localdate)

    def __init__(self, *args, members, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.fields["children"].queryset = children


class DissolveForm(forms.Form):
    on = _date_field(_("撤销日期"), initial=timezone.localdate)
    confirm = forms.BooleanField(label=_("确认撤销该组织（历史记录保留）"))


class SizeExceptionForm(forms.Form):
    approved_on = _date_field(_("上级批准日期（留空为撤销例外）"), required=False)
    approval = forms.CharField(label=_("批准文件或文号"), max_length=120, required=False)
