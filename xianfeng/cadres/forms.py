from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import scope_orgs
from xianfeng.members.forms import DATE, DomainErrorMixin, OrgChoiceField

from .models import CadreStatus, EvaluationResult


class CadreForm(DomainErrorMixin, forms.Form):
    organization = OrgChoiceField(label=_("所属党组织"), queryset=None)
    id_number = forms.CharField(
        label=_("党员身份证号"), max_length=18, error_messages={"required": "请填写党员身份证号"}
    )
    intended_post = forms.CharField(label=_("拟任岗位"), max_length=60)
    entered_on = forms.DateField(label=_("入库日期"), widget=DATE)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = scope_orgs(user, Perm.CADRE_MANAGE).active().order_by("path")
        self.fields["organization"].queryset = orgs


class TrainingForm(DomainErrorMixin, forms.Form):
    course = forms.CharField(label=_("培训内容"), max_length=120)
    organizer = forms.CharField(label=_("主办单位"), max_length=120, required=False)
    started_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ended_on = forms.DateField(label=_("结束日期"), required=False, widget=DATE)
    hours = forms.IntegerField(label=_("学时"), min_value=0, max_value=2000, initial=0)


class EvaluationForm(DomainErrorMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    result = forms.ChoiceField(label=_("评价结果"), choices=EvaluationResult.choices)
    evaluator = forms.CharField(label=_("评价人/评价组织"), max_length=60)
    comment = forms.CharField(
        label=_("评价意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StatusForm(DomainErrorMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("变更为"),
        choices=[(CadreStatus.APPOINTED, "已任用"), (CadreStatus.REMOVED, "已出库")],
    )
    on = forms.DateField(label=_("日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
