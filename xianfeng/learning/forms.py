from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import scope_orgs
from xianfeng.core.uploads import check_upload
from xianfeng.members.forms import DATE, DomainErrorMixin, OrgChoiceField

from .models import Course, CourseKind, Quiz

KINDS_BY_COURSE = {
    CourseKind.VIDEO: ("mp4", "webm", "ogg"),
    CourseKind.AUDIO: ("mp3", "mp4", "ogg"),
    CourseKind.DOCUMENT: ("pdf",),
}
MAX_MEDIA = 500 * 1024 * 1024


def _orgs(user):
    return scope_orgs(user, Perm.LEARNING_MANAGE).order_by("path")


class CourseForm(DomainErrorMixin, forms.ModelForm):
    organization = OrgChoiceField(label=_("发布组织"), queryset=None)

    class Meta:
        model = Course
        fields = ["organization", "title", "kind", "minutes", "summary", "body", "file"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(user)
        self.fields["minutes"].min_value = 1

    def clean(self):
        data = super().clean()
        upload, kind = data.get("file"), data.get("kind")
        if upload and kind in KINDS_BY_COURSE:
            try:
                check_upload(upload, kinds=KINDS_BY_COURSE[kind], max_bytes=MAX_MEDIA)
            except forms.ValidationError as exc:
                self.add_error("file", exc)
        elif upload and kind == CourseKind.TEXT:
            self.add_error("file", "图文课程不需要上传文件")
        if kind == CourseKind.TEXT and not data.get("body"):
            self.add_error("body", "图文课程须填写正文")
        return data


class RequireForm(DomainErrorMixin, forms.Form):
    organization = OrgChoiceField(label=_("适用组织"), queryset=None)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("截止日期"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(user)


class QuizForm(DomainErrorMixin, forms.ModelForm):
    organization = OrgChoiceField(label=_("发布组织"), queryset=None)

    class Meta:
        model = Quiz
        fields = [
            "organization",
            "title",
            "topic",
            "question_count",
            "pass_score",
            "attempts_allowed",
            "opens_on",
            "closes_on",
        ]
        widgets = {"opens_on": DATE, "closes_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(user)

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "截止日期不能早于开始日期")
        return data


class BankUploadForm(forms.Form):
    organization = OrgChoiceField(label=_("所属组织"), queryset=None)
    file = forms.FileField(label=_("题库 Excel 文件(.xlsx)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(user)
