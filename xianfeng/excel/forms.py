from django import forms
from django.utils.translation import gettext_lazy as _

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
