from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied

from .backends import LOCKED_MESSAGE, is_locked


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。",
        "inactive": "该账号已停用。",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if is_locked(username, self.request):
            raise forms.ValidationError(LOCKED_MESSAGE, code="locked")
        try:
            return super().clean()
        except PermissionDenied as exc:
            raise forms.ValidationError(LOCKED_MESSAGE, code="locked") from exc
