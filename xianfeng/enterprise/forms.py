from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.accounts.models import User
from xianfeng.core.widgets import OrgPicker
from xianfeng.members.masking import mask_phone
from xianfeng.resident_requests.models import Category, Channel

from .models import GROUP, Enterprise
from .services import STAFF_CHANNELS


class EnterpriseForm(forms.ModelForm):
    """Field shapes only; the service validates the credit code and phone."""

    class Meta:
        model = Enterprise
        fields = (
            "name",
            "credit_code",
            "industry",
            "address",
            "contact_name",
            "contact_phone",
            "organization",
            "party_org",
            "specialist",
        )
        widgets = {"organization": OrgPicker, "party_org": OrgPicker}

    def __init__(self, *args, organizations, specialists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["party_org"].queryset = organizations
        self.fields["specialist"].queryset = specialists
        self.fields["credit_code"].help_text = _("18 位，末位为校验码")
        if self.instance.pk:
            # The edit form never carries the stored phone: shown masked, blank keeps it.
            self.initial["contact_phone"] = ""
            phone = self.fields["contact_phone"]
            phone.required = False
            phone.widget.attrs["placeholder"] = mask_phone(self.instance.contact_phone)
            phone.help_text = _("留空则不修改")

    def clean_contact_phone(self):
        value = (self.cleaned_data.get("contact_phone") or "").strip()
        return value or (self.instance.contact_phone if self.instance.pk else value)

    def validate_unique(self):
        """Duplicates are reported by the service (one message for form and retry alike)."""


def enterprise_categories():
    return Category.objects.filter(group=GROUP, is_active=True).prefetch_related("checklist")


class EnterpriseIntakeForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("事项类别"), queryset=Category.objects.none(), empty_label=_("请选择")
    )
    description = forms.CharField(
        label=_("事项内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    channel = forms.ChoiceField(
        label=_("来源"),
        choices=[(c, label) for c, label in Channel.choices if c in STAFF_CHANNELS],
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = enterprise_categories()


class FiguresForm(forms.Form):
    start = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))


def specialist_choices(paths_q):
    return User.objects.filter(paths_q, is_active=True).distinct().order_by("username")
