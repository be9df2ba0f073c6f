from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExemptionKind, PaymentMethod
from .rules import IncomeCategory


class MonthField(forms.DateField):
    """A month as YYYY-MM (HTML <input type=month>), cleaned to its first day."""

    input_formats = ["%Y-%m"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class BasisForm(forms.Form):
    category = forms.ChoiceField(label=_("收入类别"), choices=IncomeCategory.choices)
    income = forms.DecimalField(
        label=_("月收入（税后，元；年薪制填当月实际领取薪酬，个体经营等填上季度月平均纯收入）"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        initial=0,
    )
    chosen_amount = forms.DecimalField(
        label=_("农民党员月交纳额（0.2至1元，留空按0.5元）"),
        required=False,
        max_digits=12,
        decimal_places=2,
    )
    from_month = MonthField(label=_("起始月份"))


class PaymentForm(forms.Form):
    month = MonthField(label=_("月份"))
    amount = forms.DecimalField(
        label=_("实交金额（元，留空按应交）"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    paid_on = forms.DateField(label=_("交纳日期"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(
        label=_("交纳方式"),
        choices=[
            (PaymentMethod.SELF, PaymentMethod.SELF.label),
            (PaymentMethod.ON_BEHALF, PaymentMethod.ON_BEHALF.label),
        ],
    )


class VoluntaryForm(forms.Form):
    amount = forms.DecimalField(
        label=_("金额（元）"), min_value=0.01, max_digits=12, decimal_places=2
    )
    paid_on = forms.DateField(label=_("交纳日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class ExemptionForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ExemptionKind.choices)
    monthly_amount = forms.DecimalField(
        label=_("少交后月交纳额（元，仅少交）"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    from_month = MonthField(label=_("起始月份"))
    until_month = MonthField(label=_("截止月份（含）"))
    reason = forms.CharField(label=_("困难情况"), max_length=200)
    approved_by = forms.CharField(label=_("批准的上一级党委"), max_length=120)
    approved_on = forms.DateField(
        label=_("批准日期"), widget=forms.DateInput(attrs={"type": "date"})
    )


class BulkForm(forms.Form):
    month = MonthField(label=_("月份"))
    paid_on = forms.DateField(label=_("交纳日期"), widget=forms.DateInput(attrs={"type": "date"}))
    members = forms.TypedMultipleChoiceField(label=_("党员"), coerce=int, choices=())

    def __init__(self, *args, member_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(pk, pk) for pk in member_ids]
