from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from xianfeng.core.widgets import MemberPicker, OrgPicker
from xianfeng.members.models import Member

from .backends import LOCKED_MESSAGE, lock_message
from .roles import Perm, Role
from .scoping import scope_members, scope_orgs


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。",
        "inactive": "该账号已停用。",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        message = lock_message(username, self.request)
        if message:
            raise forms.ValidationError(message, code="locked")
        try:
            return super().clean()
        except PermissionDenied as exc:
            message = lock_message(username, self.request) or LOCKED_MESSAGE
            raise forms.ValidationError(message, code="locked") from exc


class _ScopedChoicesMixin:
    def _limit_to(self, manager):
        if "organization" in self.fields:
            self.fields["organization"].queryset = scope_orgs(manager, Perm.USER_MANAGE).active()
        if "member" in self.fields:
            self.fields["member"].queryset = scope_members(manager, Perm.USER_MANAGE).active()


class GrantForm(_ScopedChoicesMixin, forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    organization = forms.ModelChoiceField(
        label=_("授权组织(含下级)"), queryset=None, widget=OrgPicker
    )

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_to(manager)


class UserCreateForm(_ScopedChoicesMixin, forms.Form):
    username = forms.RegexField(
        label=_("用户名"),
        regex=r"^[A-Za-z0-9_.@-]{3,40}$",
        error_messages={"invalid": "用户名只能包含字母、数字和 _ . @ -，3到40位"},
    )
    display_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput, min_length=10)
    member = forms.ModelChoiceField(
        label=_("对应党员(可选)"),
        queryset=Member.objects.none(),
        required=False,
        widget=MemberPicker,
    )
    role = forms.ChoiceField(
        label=_("角色(可选)"), choices=[("", "—")] + Role.choices, required=False
    )
    organization = forms.ModelChoiceField(
        label=_("授权组织"), queryset=None, required=False, widget=OrgPicker
    )

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_to(manager)

    def clean(self):
        data = super().clean()
        if data.get("role") and not data.get("organization"):
            self.add_error("organization", "授予角色时须选择授权组织")
        if not data.get("role") and not data.get("member"):
            raise forms.ValidationError("新账号须关联党员或授予一个角色")
        return data
