from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import scope_orgs
from xianfeng.core.uploads import check_upload
from xianfeng.members.forms import DATE, DomainErrorMixin, OrgChoiceField

from .models import BrandPlan, KeyTask, TaskKind

MILESTONE_HELP = _("每行一个节点：节点名称 日期，如“完成方案 2026-03-31”")


class MilestoneLinesField(forms.CharField):
    """Milestones typed one per line as `title YYYY-MM-DD`: how organizers write them in Excel."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value):
        rows = []
        for n, line in enumerate((value or "").splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            title, _sep, day = line.rpartition(" ")
            try:
                due_on = forms.DateField().to_python(day)
            except forms.ValidationError:
                due_on = None
            if not title.strip() or due_on is None:
                raise forms.ValidationError(f"第 {n} 行格式不对：应为“节点名称 YYYY-MM-DD”")
            rows.append((title.strip(), due_on))
        return rows


class TaskForm(DomainErrorMixin, forms.ModelForm):
    organization = OrgChoiceField(label=_("责任党组织"), queryset=None)
    milestones = MilestoneLinesField(label=_("任务节点"), required=False, help_text=MILESTONE_HELP)

    class Meta:
        model = KeyTask
        fields = [
            "kind",
            "title",
            "organization",
            "lead_unit",
            "lead_person",
            "co_units",
            "starts_on",
            "due_on",
            "description",
        ]
        widgets = {
            "starts_on": DATE,
            "due_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = TaskKind.choices
        self.fields["organization"].queryset = scope_orgs(user, Perm.TASK_MANAGE).order_by("path")


class ReportForm(DomainErrorMixin, forms.Form):
    progress = forms.IntegerField(label=_("当前进度(%)"), min_value=0, max_value=100)
    summary = forms.CharField(label=_("本周进展"), widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(
        label=_("困难问题"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DoneForm(DomainErrorMixin, forms.Form):
    done_on = forms.DateField(label=_("完成日期"), widget=DATE)


class BrandForm(DomainErrorMixin, forms.ModelForm):
    organization = OrgChoiceField(label=_("党组织"), queryset=None)
    milestones = MilestoneLinesField(label=_("创建节点"), required=False, help_text=MILESTONE_HELP)

    class Meta:
        model = BrandPlan
        fields = ["organization", "name", "year", "concept", "goals", "guide"]
        widgets = {
            "concept": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = scope_orgs(user, Perm.ORG_CHANGE).order_by("path")


class EvidenceForm(DoneForm):
    evidence = forms.FileField(label=_("佐证材料(PDF/JPG/PNG)"), required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            check_upload(upload)
        return upload
