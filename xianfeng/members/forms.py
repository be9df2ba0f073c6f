"""Member forms. Field rules live in services.member_errors so forms, API and import agree."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import scope_orgs
from xianfeng.core.errors import DomainError
from xianfeng.core.widgets import OrgPicker

from .masking import masked
from .models import Category, Education, Gender, MemberStatus, MemberTag
from .services import DATA_FIELDS, InvalidMember, member_errors

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KEPT_WHEN_BLANK = ("id_number", "phone", "birth_date")


class DomainErrorMixin:
    """Put a service's refusal next to the field it concerns."""

    def add_domain_error(self, exc: DomainError):
        errors = exc.errors if isinstance(exc, InvalidMember) else {exc.field: exc.message}
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)


class OrgChoiceField(forms.ModelChoiceField):
    widget = OrgPicker

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.code}）"


class MemberForm(DomainErrorMixin, forms.Form):
    organization = OrgChoiceField(
        label=_("所在党组织"),
        queryset=None,
        error_messages={
            "required": "请选择所在党组织",
            "invalid_choice": "所选党组织不存在或无权在其中登记党员",
        },
    )
    name = forms.CharField(
        label=_("姓名"), max_length=50, error_messages={"required": "请填写姓名"}
    )
    id_number = forms.CharField(
        label=_("身份证号"), max_length=18, error_messages={"required": "请填写身份证号"}
    )
    gender = forms.ChoiceField(
        label=_("性别"),
        choices=[("", "按身份证号自动填写"), *Gender.choices],
        required=False,
    )
    birth_date = forms.DateField(
        label=_("出生日期"), required=False, widget=DATE, help_text=_("留空则按身份证号自动填写")
    )
    ethnicity = forms.CharField(label=_("民族"), max_length=20, initial="汉族")
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    education = forms.ChoiceField(
        label=_("学历"), choices=[("", "—"), *Education.choices], required=False
    )
    employer = forms.CharField(label=_("工作单位"), max_length=120, required=False)
    post = forms.CharField(label=_("职务/岗位"), max_length=60, required=False)
    household_address = forms.CharField(label=_("户籍地址"), max_length=200, required=False)
    home_address = forms.CharField(label=_("现居住地址"), max_length=200, required=False)
    joined_on = forms.DateField(
        label=_("入党日期"),
        widget=DATE,
        error_messages={"required": "请填写入党日期", "invalid": "日期格式应为 2020-07-01"},
    )
    category = forms.ChoiceField(
        label=_("党员类别"), choices=Category.choices, initial=Category.FULL
    )
    confirmed_on = forms.DateField(label=_("转正日期"), required=False, widget=DATE)
    tags = forms.ModelMultipleChoiceField(
        label=_("标签"),
        queryset=MemberTag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    clear_phone = forms.BooleanField(label=_("清空手机号"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, member=None, **kwargs):
        self.member = member
        if member is not None:
            # The form never carries the full numbers: they show masked, blank keeps them.
            kwargs.setdefault("initial", {}).update(
                {f: getattr(member, f) for f in DATA_FIELDS if f not in KEPT_WHEN_BLANK},
                organization=member.organization_id,
                tags=list(member.tags.all()),
                version=member.version,
            )
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            scope_orgs(user, Perm.MEMBER_CHANGE).active().order_by("path")
        )
        if member is None:
            del self.fields["clear_phone"]
            return
        shown = masked(member)
        for field in KEPT_WHEN_BLANK:
            self.fields[field].required = False
            self.fields[field].widget.attrs["placeholder"] = shown[field]
            self.fields[field].help_text = _("留空则不修改")
        if not member.phone:
            del self.fields["clear_phone"]

    def clean(self):
        cleaned = super().clean()
        kept_id = self.member is not None and not cleaned.get("id_number")
        for field, message in member_errors(self.merged_fields()).items():
            if kept_id and field == "birth_date" and "身份证" in message:
                message = "出生日期与身份证号不一致"  # the stored number's date stays hidden
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def merged_fields(self):
        """What the member would look like: the kept values filled in, to check the rules."""
        fields = self.member_fields()
        if self.member is not None:
            for field in KEPT_WHEN_BLANK:
                fields.setdefault(field, getattr(self.member, field))
        return fields

    def member_fields(self):
        """The data fields as the services take them (blank gender/birth date: derive).

        When editing, a blank ID number, phone or birth date is left out (unchanged);
        a new ID number with a blank birth date takes the birth date from the number.
        """
        fields = {f: self.cleaned_data.get(f) for f in DATA_FIELDS}
        fields["gender"] = fields["gender"] or None
        fields["phone"] = (fields["phone"] or "").strip()
        if self.member is None:
            return fields
        if self.cleaned_data.get("clear_phone"):
            fields["phone"] = ""
        elif not fields["phone"]:
            del fields["phone"]
        if not fields["id_number"]:
            del fields["id_number"]
            if not fields["birth_date"]:
                del fields["birth_date"]
        if not fields["gender"]:
            del fields["gender"]
        return fields


class StatusForm(DomainErrorMixin, forms.Form):
    # 停止党籍 has its own procedure with its time rule (党籍管理, xianfeng.standing).
    to_status = forms.ChoiceField(
        label=_("新的党籍状态"),
        choices=[c for c in MemberStatus.choices if c[0] != MemberStatus.SUSPENDED],
    )
    on = forms.DateField(label=_("变化日期"), widget=DATE, initial=date.today)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConfirmForm(DomainErrorMixin, forms.Form):
    confirmed_on = forms.DateField(label=_("转正日期"), widget=DATE, initial=date.today)
    version = forms.IntegerField(widget=forms.HiddenInput)


class TagsForm(DomainErrorMixin, forms.Form):
    tags = forms.ModelMultipleChoiceField(
        label=_("标签"),
        queryset=MemberTag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
