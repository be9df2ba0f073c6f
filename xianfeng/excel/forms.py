from django import forms
from django.utils.translation import gettext_lazy as _

from .exporters import EXPORT_REASON_REQUIRED
from .models import ImportMode

MAX_UPLOAD_MB = 50


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件(.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": "请选择要上传的文件", "empty": "文件为空"},
    )

    mode = forms.ChoiceField(
        label=_("导入方式"),
        choices=ImportMode.choices,
        initial=ImportMode.CREATE,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "导入方式无效"},
    )

    def clean_mode(self):
        return self.cleaned_data["mode"] or ImportMode.CREATE

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"文件不能超过 {MAX_UPLOAD_MB} MB")
        return upload


class UnmaskedExportForm(forms.Form):
    """The question every export that can show full numbers asks (党员 ID numbers and phones,
    住户 phones): unmasked or not, and why. Submitted by GET with the list's filter; rendered
    by excel/_unmasked_export.html; the exporters check it again (`export_reason`)."""

    unmasked = forms.CharField(required=False)
    reason = forms.CharField(
        label=_("导出事由"),
        max_length=200,
        required=False,
        error_messages={"max_length": "导出事由不能超过 200 字"},
    )

    @property
    def masked(self):
        return self.cleaned_data.get("unmasked") != "1"

    def clean(self):
        data = super().clean()
        if data.get("unmasked") == "1" and not data.get("reason"):
            self.add_error("reason", EXPORT_REASON_REQUIRED)
        return data

    def first_error(self):
        return next(iter(e for errors in self.errors.values() for e in errors), "")
