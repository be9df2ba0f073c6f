from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PlanStatus


class ReviewForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.DecimalField(label=_("评分"), min_value=0, max_digits=7, decimal_places=2)
    evidence = forms.CharField(label=_("评分依据"), widget=forms.Textarea(attrs={"rows": 2}))


class SecretaryForm(forms.Form):
    score = forms.DecimalField(
        label=_("书记评价"), min_value=0, max_value=100, max_digits=7, decimal_places=2
    )
    comment = forms.CharField(label=_("评语"), max_length=200, required=False)


class PlanForm(forms.Form):
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 4}))
    owner = forms.CharField(label=_("责任人"), max_length=50)
    deadline = forms.DateField(label=_("整改时限"), widget=forms.DateInput(attrs={"type": "date"}))


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=PlanStatus.choices)


class WeightsForm(forms.Form):
    """One whole-percent field per component code."""

    def __init__(self, *args, components=(), **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in components:
            self.fields[code] = forms.IntegerField(label=label, min_value=0, max_value=100)
