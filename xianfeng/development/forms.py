from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import scope_orgs
from xianfeng.members.forms import DATE, DomainErrorMixin, OrgChoiceField
from xianfeng.members.models import Gender
from xianfeng.orgs.models import OrgKind

from .models import STEP_CHOICES, ReviewResult


def branch_choices(user):
    return scope_orgs(user, Perm.MEMBER_CHANGE).filter(kind=OrgKind.BRANCH).order_by("path")


class StartForm(DomainErrorMixin, forms.Form):
    organization = OrgChoiceField(label=_("所在党支部"), queryset=None)
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    gender = forms.ChoiceField(
        label=_("性别"), choices=[("", "按身份证号自动填写"), *Gender.choices], required=False
    )
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=DATE)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    applied_on = forms.DateField(label=_("递交入党申请书日期"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = branch_choices(user)


class StepForm(DomainErrorMixin, forms.Form):
    step = forms.ChoiceField(label=_("步骤"), choices=STEP_CHOICES)
    done_on = forms.DateField(label=_("完成日期"), widget=DATE)
    end_on = forms.DateField(label=_("结束日期(集中培训)"), required=False, widget=DATE)
    hours = forms.IntegerField(label=_("学时(集中培训)"), required=False, min_value=0)
    people = forms.CharField(label=_("相关人员"), max_length=200, required=False)
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    document = forms.FileField(label=_("材料"), required=False)
    voters_entitled = forms.IntegerField(
        label=_("应到会有表决权人数(支部大会)"), required=False, min_value=0
    )
    voters_present = forms.IntegerField(
        label=_("实到会有表决权人数(支部大会)"), required=False, min_value=0
    )
    votes_for = forms.IntegerField(
        label=_("赞成人数(含书面意见，支部大会)"), required=False, min_value=0
    )
    expected_departure_on = forms.DateField(
        label=_("预计离开工作、学习单位日期(如有)"), required=False, widget=DATE
    )
    departure_reason = forms.CharField(
        label=_("三个月内离开仍办理接收的理由"), max_length=300, required=False
    )


class ReportForm(DomainErrorMixin, forms.Form):
    submitted_on = forms.DateField(label=_("思想汇报递交日期"), widget=DATE)


class ReviewForm(DomainErrorMixin, forms.Form):
    reviewed_on = forms.DateField(label=_("考察日期"), widget=DATE)
    result = forms.ChoiceField(label=_("考察结果"), choices=ReviewResult.choices)
    comment = forms.CharField(
        label=_("考察意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProbationForm(DomainErrorMixin, forms.Form):
    """延长预备期 (with months) or 取消预备党员资格 (action=cancel)."""

    action = forms.ChoiceField(
        label=_("处理"),
        choices=[("extend", _("延长预备期")), ("cancel", _("取消预备党员资格"))],
    )
    decided_on = forms.DateField(label=_("支部大会决定日期"), widget=DATE)
    months = forms.IntegerField(label=_("延长月数（6至12）"), required=False)
    reason = forms.CharField(label=_("原因"), max_length=300)


class PlanForm(DomainErrorMixin, forms.Form):
    organization = OrgChoiceField(label=_("党支部"), queryset=None)
    planned = forms.IntegerField(label=_("计划发展人数"), min_value=0)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = branch_choices(user)
