from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import scope_orgs
from xianfeng.members.forms import DATE, DomainErrorMixin, OrgChoiceField
from xianfeng.members.models import Category, Gender
from xianfeng.orgs.models import Organization, OrgKind, OrgStatus

from .models import MobileReason, TransferKind

RECEIVING_KINDS = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.GROUP)


def receiving_orgs(org):
    """Where a member of `org` may move inside the system: any active unit of the tree.

    The sender has to name the receiver, so organization names are offered beyond the
    sender's grant; nothing else of the receiving side (members, data) is shown.
    """
    return Organization.objects.filter(status=OrgStatus.ACTIVE, kind__in=RECEIVING_KINDS).exclude(
        pk=org.pk
    )


def acting_orgs(user):
    return scope_orgs(user, Perm.TRANSFER_ACT).filter(status=OrgStatus.ACTIVE)


class StartForm(DomainErrorMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("转接类型"),
        choices=[(k, v) for k, v in TransferKind.choices if k != TransferKind.INBOUND],
        widget=forms.RadioSelect,
        initial=TransferKind.INTERNAL,
    )
    to_org = OrgChoiceField(label=_("转入党组织(系统内)"), queryset=None, required=False)
    destination = forms.CharField(label=_("去往党组织(系统外)"), max_length=200, required=False)
    reason = forms.CharField(label=_("转接原因"), max_length=200)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = receiving_orgs(member.organization).order_by("path")


class ReasonForm(DomainErrorMixin, forms.Form):
    reason = forms.CharField(label=_("意见/理由"), max_length=200, required=False)


class IssueForm(DomainErrorMixin, forms.Form):
    months = forms.IntegerField(label=_("有效期(月)"), min_value=1, max_value=12, initial=3)


class ReceiptForm(DomainErrorMixin, forms.Form):
    returned_on = forms.DateField(label=_("回执日期"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("回执说明"), max_length=200, required=False)


class InboundForm(DomainErrorMixin, forms.Form):
    to_org = OrgChoiceField(label=_("接收党组织"), queryset=None)
    incoming_letter_no = forms.CharField(label=_("来信介绍信编号"), max_length=60)
    origin = forms.CharField(label=_("转出党组织(系统外)"), max_length=200)
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    gender = forms.ChoiceField(
        label=_("性别"), choices=[("", _("按身份证号自动填写")), *Gender.choices], required=False
    )
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=DATE)
    joined_on = forms.DateField(label=_("入党日期"), widget=DATE)
    category = forms.ChoiceField(label=_("党员类别"), choices=Category.choices)
    confirmed_on = forms.DateField(label=_("转正日期"), required=False, widget=DATE)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    reason = forms.CharField(label=_("转接原因"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = acting_orgs(user).filter(kind__in=RECEIVING_KINDS)
        self.fields["to_org"].queryset = orgs.order_by("path")


class BatchForm(DomainErrorMixin, forms.Form):
    from_org = OrgChoiceField(label=_("转出党组织(整建制)"), queryset=None)
    to_org = OrgChoiceField(label=_("转入党组织"), queryset=None)
    reason = forms.CharField(
        label=_("转接原因"), max_length=200, initial=_("村(社区)合并整建制转接")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        mine = acting_orgs(user).exclude(kind=OrgKind.COMMITTEE).order_by("path")
        self.fields["from_org"].queryset = mine
        targets = Organization.objects.filter(status=OrgStatus.ACTIVE, kind__in=RECEIVING_KINDS)
        self.fields["to_org"].queryset = targets.order_by("path")


class MobileForm(DomainErrorMixin, forms.Form):
    place = forms.CharField(label=_("流入地"), max_length=120)
    since = forms.DateField(label=_("外出日期"), widget=DATE)
    reason = forms.ChoiceField(label=_("外出原因"), choices=MobileReason.choices)
    fixed_place = forms.BooleanField(
        label=_("外出地点相对固定"),
        required=False,
        initial=True,
        help_text=_("在外满6个月且地点相对固定的，应当转移组织关系"),
    )
    managing_org = forms.CharField(label=_("流入地管理党组织"), max_length=120, required=False)
    contact_name = forms.CharField(label=_("流入地联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("流入地联系电话"), max_length=30, required=False)
    mobile_branch = forms.CharField(
        label=_("流动党员党支部/党小组"), max_length=120, required=False
    )
    liaison = forms.CharField(label=_("流出地联系人"), max_length=50, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class ReturnForm(DomainErrorMixin, forms.Form):
    returned_on = forms.DateField(label=_("返回日期"), widget=DATE, initial=timezone.localdate)
