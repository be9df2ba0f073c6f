import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.core.widgets import OrgPicker
from xianfeng.orgs.models import Domain

from .evidence import check_evidence
from .models import PointRule

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class RuleForm(forms.ModelForm):
    domains = forms.MultipleChoiceField(
        label=_("适用领域(不选为全部)"),
        choices=Domain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PointRule
        fields = ("code", "name", "points", "per_hour", "cap_month", "cap_year", "claimable")
        fields += ("needs_approval", "valid_from", "valid_to", "domains", "scope", "source")
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
            "scope": OrgPicker,
        }

    def __init__(self, *args, scope_orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = scope_orgs
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["scope"].disabled = True


class AwardForm(forms.Form):
    rule = forms.ModelChoiceField(label=_("规则"), queryset=PointRule.objects.none())
    occurred_on = forms.DateField(label=_("发生日期"), required=False, **DATE)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, rules=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("token", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = PointRule.objects.filter(pk__in=[r.pk for r in rules])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


class ClaimForm(forms.Form):
    rule = forms.ModelChoiceField(label=_("申报事项"), queryset=PointRule.objects.none())
    occurred_on = forms.DateField(label=_("发生日期"), **DATE)
    description = forms.CharField(label=_("事由"), max_length=300, widget=forms.Textarea)
    evidence = forms.FileField(label=_("佐证材料(JPG、PNG 或 PDF，5 MB 以内)"))

    def __init__(self, *args, rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = PointRule.objects.filter(pk__in=[r.pk for r in rules])

    def clean_evidence(self):
        return check_evidence(self.cleaned_data["evidence"])
