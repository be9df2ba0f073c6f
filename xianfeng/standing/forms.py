from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ActionKind

DATE = forms.DateInput(attrs={"type": "date"})


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("处置"), choices=ActionKind.choices)
    on = forms.DateField(label=_("日期"), widget=DATE, initial=date.today)
    note = forms.CharField(
        label=_("情况说明"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class StandingForm(forms.Form):
    OPS = (
        ("suspend", _("停止党籍")),
        ("restore", _("恢复党籍")),
        ("remove", _("按自行脱党除名")),
    )
    op = forms.ChoiceField(label=_("处理"), choices=OPS)
    on = forms.DateField(label=_("日期"), widget=DATE, initial=date.today)
    reason = forms.CharField(
        label=_("查找情况或依据"), max_length=150, widget=forms.Textarea(attrs={"rows": 3})
    )
