from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.members.forms import DATE, DomainErrorMixin

from .models import ItemStatus
from .rules import DOC_CHOICES, PATHS


class UploadForm(DomainErrorMixin, forms.Form):
    doc = forms.ChoiceField(label=_("材料类别"), choices=DOC_CHOICES)
    file = forms.FileField(
        label=_("扫描件(PDF、JPEG、PNG)"), error_messages={"required": "请选择要上传的文件"}
    )
    title = forms.CharField(label=_("材料题名(可不填)"), max_length=120, required=False)
    doc_date = forms.DateField(label=_("材料日期"), required=False, widget=DATE)
    pages = forms.IntegerField(label=_("页数"), min_value=1, max_value=999, initial=1)


class PathForm(DomainErrorMixin, forms.Form):
    path = forms.ChoiceField(
        label=_("入党途径"),
        choices=[("", "按入党日期和组织关系自动判断"), *PATHS.items()],
        required=False,
    )


class ReviewForm(DomainErrorMixin, forms.Form):
    verdict = forms.ChoiceField(
        label=_("审核结果"),
        choices=[(ItemStatus.ACCEPTED, "验收"), (ItemStatus.TO_FIX, "退回补正")],
    )
    note = forms.CharField(label=_("审核意见"), max_length=200, required=False)
