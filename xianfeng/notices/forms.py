from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NoticeKind
from .services import deployment_channels


class InboxFilter(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型")), *NoticeKind.choices]
    )
    unread = forms.BooleanField(label=_("只看未读"), required=False)


class PreferenceForm(forms.Form):
    phone = forms.CharField(label=_("接收短信的手机号"), max_length=11, required=False)
    wechat_id = forms.CharField(
        label=_("企业微信账号或公众号OpenID"), max_length=100, required=False
    )
    quiet_from = forms.TimeField(
        label=_("免打扰开始"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_until = forms.TimeField(
        label=_("免打扰结束"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("免打扰时段内的短信、微信和邮件推迟到结束时发送，站内通知照常显示。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = deployment_channels()
        for kind, label in NoticeKind.choices if choices else ():
            if kind == NoticeKind.RESIDENT:
                continue
            self.fields[f"kind_{kind}"] = forms.MultipleChoiceField(
                label=label,
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def channels(self):
        return {
            name.removeprefix("kind_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("kind_")
        }
