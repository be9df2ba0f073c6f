from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.core.widgets import MemberPicker
from xianfeng.members.forms import DATE, DomainErrorMixin

from .models import FileKind, ReviewGrade
from .rules import MeetingKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MemberChoiceField(forms.ModelChoiceField):
    widget = MemberPicker

    def label_from_instance(self, obj):
        return obj.name


class MeetingForm(DomainErrorMixin, forms.Form):
    """Create and edit; `members` is the organization's members (presider, lecturer)."""

    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    local_kind = forms.CharField(label=_("自定义类型名称"), max_length=40, required=False)
    topic = forms.CharField(label=_("主题"), max_length=200)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME, required=False)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    presided_by = MemberChoiceField(label=_("主持人"), queryset=None, required=False)
    lecturer = MemberChoiceField(label=_("党课讲授人"), queryset=None, required=False)
    lecturer_name = forms.CharField(label=_("讲授人（非本组织）"), max_length=50, required=False)

    def __init__(self, *args, members, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("presided_by", "lecturer"):
            self.fields[name].queryset = members
        if editing:
            del self.fields["kind"], self.fields["local_kind"]


class MinutesForm(DomainErrorMixin, forms.Form):
    minutes = forms.CharField(label=_("会议记录"), widget=forms.Textarea(attrs={"rows": 6}))
    resolutions = forms.CharField(
        label=_("会议决议"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class FileForm(DomainErrorMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=FileKind.choices)
    file = forms.FileField(label=_("文件"))
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200)


class ReviewForm(DomainErrorMixin, forms.Form):
    member = MemberChoiceField(label=_("党员"), queryset=None)
    grade = forms.ChoiceField(label=_("评议等次"), choices=ReviewGrade.choices)
    votes_excellent = forms.IntegerField(label=_("优秀票"), min_value=0, required=False)
    votes_qualified = forms.IntegerField(label=_("合格票"), min_value=0, required=False)
    votes_basic = forms.IntegerField(label=_("基本合格票"), min_value=0, required=False)
    votes_unqualified = forms.IntegerField(label=_("不合格票"), min_value=0, required=False)
    basis = forms.CharField(
        label=_("评定依据"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class PlanItemForm(DomainErrorMixin, forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    due_on = forms.DateField(label=_("计划日期"), widget=DATE)
    topic = forms.CharField(label=_("计划主题"), max_length=200, required=False)
