from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.core.photos import PhotosField
from xianfeng.core.widgets import OrgPicker

from . import catalog
from .models import RATING_WORDS, Channel, TimeUnit, stars


class CategorySelect(forms.Select):
    """Its options are the catalog's when it is rendered."""

    def __init__(self, *, empty_label):
        super().__init__()
        self.empty_label = empty_label

    def optgroups(self, name, value, attrs=None):
        self.choices = [("", self.empty_label)] + [
            (c.pk, c.name) for c in catalog.active_categories()
        ]
        return super().optgroups(name, value, attrs)


class CategoryField(forms.Field):
    """An active category, looked up in the catalog (no query per post)."""

    default_error_messages = {"invalid_choice": _("选择一个有效的选项。该选择不在可用的选项中。")}

    def __init__(self, *, empty_label, **kwargs):
        super().__init__(widget=CategorySelect(empty_label=empty_label), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            category = catalog.active_category(int(value))
        except (TypeError, ValueError):
            category = None
        if category is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return category


class IntakeForm(forms.Form):
    """What a resident (or staff on their behalf) fills in; the services validate the rest."""

    category = CategoryField(label=_("诉求类别"), empty_label=_("请选择"))
    description = forms.CharField(
        label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    address = forms.CharField(label=_("地址（小区、楼号、单元）"), max_length=200, required=False)
    photos = PhotosField(label=_("照片（最多 4 张，每张不超过 5 MB）"), required=False)
    photos_public = forms.BooleanField(
        label=_("照片可在诉求公开查询中展示（不勾选则仅工作人员可见）"), required=False
    )
    resident_name = forms.CharField(label=_("姓名（可不填）"), max_length=40, required=False)
    resident_phone = forms.CharField(
        label=_("手机号（可不填，用于回访）"), max_length=20, required=False
    )
    lat = forms.DecimalField(
        required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6
    )
    long = forms.DecimalField(
        required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class StaffIntakeForm(IntakeForm):
    photos_public = None  # staff-entered cases are never published
    channel = forms.ChoiceField(
        label=_("来源"),
        choices=[(c, label) for c, label in Channel.choices if c in ("phone", "visit", "walk_in")],
    )
    grid_code = forms.CharField(label=_("网格/楼栋编码（可不填）"), max_length=40, required=False)
    organization = forms.ModelChoiceField(
        label=_("所属组织"),
        queryset=None,
        required=False,
        empty_label=_("按网格确定"),
        widget=OrgPicker,
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CallInForm(forms.Form):
    unit_name = forms.CharField(label=_("报到单位（部门或共建单位）"), max_length=80)
    task = forms.CharField(label=_("任务"), max_length=300)
    within = forms.IntegerField(
        label=_("报到时限"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("按工作日历计算，节假日不计"),
    )
    unit = forms.ChoiceField(
        label=_("时限单位"), choices=TimeUnit.choices, initial="workdays", required=False
    )
    due = forms.DateTimeField(
        label=_("或指定截止时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("落在休息日时顺延到下一个工作日"),
    )
    contact_phone = forms.CharField(
        label=_("报到单位联系电话"),
        max_length=20,
        required=False,
        help_text=_("填写后以短信发送报到链接"),
    )

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("within") is None and data.get("due") is None:
            raise forms.ValidationError(_("请填写报到时限（工作日数）或截止时间"))
        return data


class UnitReportForm(forms.Form):
    result = forms.CharField(
        label=_("处理结果"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class ArbitrateForm(forms.Form):
    level = forms.TypedChoiceField(label=_("交由层级"), coerce=int, choices=())
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(i, level.label) for i, level in enumerate(levels)]


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("满意度"),
        coerce=int,
        choices=[(n, f"{stars(n)} {word}") for n, word in RATING_WORDS.items()],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("评价（可不填）"), max_length=300, required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("回复或补充"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = PhotosField(label=_("照片"), required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("重新打开的原因"), max_length=500)


class FiguresForm(forms.Form):
    start = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))


class FindForm(forms.Form):
    """查询我的诉求: the 查询码 and the last four digits of the phone left with the request."""

    code = forms.CharField(label=_("查询码"), max_length=12)
    phone_last4 = forms.RegexField(
        label=_("留下的手机号后四位"),
        regex=r"^\d{4}$",
        error_messages={"invalid": "请输入手机号的后四位数字"},
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class CalendarYearForm(forms.Form):
    source = forms.CharField(label=_("依据的通知"), max_length=200)
    days_off = forms.CharField(
        label=_("放假日期（每行一天或一段，如 2027-02-06 至 2027-02-14 春节）"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
    )
    workdays = forms.CharField(
        label=_("调休上班日期（周末上班的日子，每行一天）"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )


class NoticeImportForm(forms.Form):
    year = forms.IntegerField(
        label=_("年份（可不填，按通知标题识别）"), min_value=2000, max_value=2100, required=False
    )
    text = forms.CharField(
        label=_("国务院办公厅节假日安排通知全文"),
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=20000,
    )
