import uuid

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.accounts.models import User
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import scope_orgs
from xianfeng.core.errors import DomainError
from xianfeng.core.uploads import check_upload
from xianfeng.members.forms import DATE
from xianfeng.orgs.models import OrgKind, OrgStatus

from .allocation import AllocationRule
from .models import DocumentKind
from .rules import CampaignKind, DispatchKind


class DomainForm(forms.Form):
    def add_domain_error(self, exc: DomainError):
        self.add_error(exc.field if exc.field in self.fields else None, exc.message)


def team(campaign):
    """Logins a campaign hands work to: those granted on its branch, its leaders, its 包户."""
    return (
        User.objects.filter(
            Q(grants__organization__path__startswith=campaign.branch.path)
            | Q(pk=campaign.leader_id)
            | Q(pk__in=campaign.groups.values("leader_id"))
            | Q(pk__in=campaign.cases.exclude(responsible=None).values("responsible_id"))
        )
        .filter(is_active=True)
        .distinct()
        .order_by("username")
    )


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj}（{obj.username}）"


class CampaignForm(DomainForm):
    street = forms.ModelChoiceField(label=_("发起街道党组织"), queryset=None)
    name = forms.CharField(label=_("专项工作名称"), max_length=80)
    kind = forms.ChoiceField(label=_("类别"), choices=CampaignKind.choices)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("计划完成日期"), widget=DATE)
    branch_code = forms.CharField(label=_("临时党支部组织代码"), max_length=30)
    groups = forms.CharField(
        label=_("党小组"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("每行一个：小组名称 组长姓名，如“拆迁第一党小组 王强”"),
    )
    classes = forms.CharField(
        label=_("户类别"),
        required=False,
        help_text=_("用顿号分隔；拆迁留空则用六类(积极配合……钉子户)"),
    )
    description = forms.CharField(label=_("工作内容"), widget=forms.Textarea, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = scope_orgs(user, Perm.TASK_MANAGE).filter(
            kind=OrgKind.COMMITTEE, status=OrgStatus.ACTIVE
        )

    def clean_groups(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["groups"].splitlines(), 1):
            if not line.strip():
                continue
            name, _sep, leader = line.strip().rpartition(" ")
            if not name.strip() or not leader.strip():
                raise forms.ValidationError(f"第 {n} 行格式不对：应为“小组名称 组长姓名”")
            rows.append((name.strip(), leader.strip(), None))
        return rows

    def clean_classes(self):
        text = self.cleaned_data["classes"].replace(",", "、").replace("，", "、")
        names = [n.strip() for n in text.split("、") if n.strip()]
        return names or None


class StageForm(DomainForm):
    stage = forms.ChoiceField(label=_("进度"))
    on = forms.DateField(label=_("日期"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = choices


class VisitForm(DomainForm):
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE, initial=timezone.localdate)
    talked_with = forms.CharField(label=_("谈话对象"), max_length=50, required=False)
    said = forms.CharField(label=_("谈话内容"), widget=forms.Textarea(attrs={"rows": 3}))
    issues = forms.CharField(
        label=_("提出的问题与诉求"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = uuid.uuid4().hex


class DocumentForm(DomainForm):
    kind = forms.ChoiceField(label=_("材料类别"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("材料名称"), max_length=100)
    file = forms.FileField(label=_("文件(PDF/JPG/PNG)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class AssignForm(DomainForm):
    case_class = forms.ModelChoiceField(label=_("类别"), queryset=None, required=False)
    group = forms.ModelChoiceField(label=_("工作小组"), queryset=None, required=False)
    responsible = UserChoice(label=_("包户人"), queryset=None, required=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_class"].queryset = campaign.classes.all()
        self.fields["group"].queryset = campaign.groups.all()
        self.fields["responsible"].queryset = team(campaign)


class DispatchForm(DomainForm):
    held_on = forms.DateField(label=_("日期"), widget=DATE, initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("会议"), choices=DispatchKind.choices)
    attendees = forms.CharField(label=_("参会人员"), max_length=300, required=False)
    issues = forms.CharField(label=_("当日问题"), widget=forms.Textarea(attrs={"rows": 3}))
    decisions = forms.CharField(
        label=_("研究决定"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    task = forms.CharField(label=_("交办事项"), max_length=300, required=False)
    owner = UserChoice(label=_("责任人"), queryset=None, required=False)
    due_on = forms.DateField(label=_("完成时限"), widget=DATE, required=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team(campaign)

    def clean(self):
        data = super().clean()
        task = data.get("task")
        if task and (not data.get("owner") or not data.get("due_on")):
            raise forms.ValidationError("交办事项须选择责任人并填写完成时限")
        return data

    def assignments(self):
        data = self.cleaned_data
        return [(data["task"], data["owner"], data["due_on"], None)] if data.get("task") else []


class DoneForm(DomainForm):
    result = forms.CharField(label=_("办理结果"), max_length=300, required=False)


class DrawForm(DomainForm):
    rule = forms.ChoiceField(label=_("选房顺序规则"), choices=AllocationRule.choices)
    seed = forms.CharField(
        label=_("抽签种子"),
        max_length=64,
        required=False,
        help_text=_("公开抽签时当场确定(如公证员摇出的号码)，公布后任何人可复核"),
    )


class ChooseForm(DomainForm):
    unit = forms.ModelChoiceField(label=_("房号"), queryset=None, to_field_name="code")
    on = forms.DateField(label=_("选房日期"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = campaign.units.filter(case=None)
        self.fields["unit"].widget = forms.TextInput()


class NoticeForm(DomainForm):
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}))


class ImportForm(DomainForm):
    what = forms.ChoiceField(
        label=_("导入内容"), choices=(("cases", _("户档案")), ("units", _("安置房源")))
    )
    file = forms.FileField(label=_("Excel 文件(.xlsx)"))


KEEP_HELP = _("出于保护，原值打码显示；留空则不变")


class CaseEditForm(DomainForm):
    """Correct a household's file. 身份证号 and phone are never put in the page: the masked
    value is the placeholder, an empty box keeps the stored one."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    head_name = forms.CharField(label=_("户主"), max_length=50)
    village = forms.CharField(label=_("村(社区)"), max_length=50, required=False)
    id_number = forms.CharField(label=_("户主身份证号"), max_length=18, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    people = forms.IntegerField(label=_("人口数"), min_value=1, max_value=99)
    address = forms.CharField(label=_("房产坐落"), max_length=200, required=False)
    area = forms.DecimalField(
        label=_("原房面积(㎡)"), max_digits=8, decimal_places=2, min_value=0, required=False
    )
    property_note = forms.CharField(label=_("房产情况"), max_length=300, required=False)
    case_class = forms.ModelChoiceField(label=_("类别"), queryset=None, required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args, case, may_classify, **kwargs):
        from xianfeng.members.masking import mask_id_number, mask_phone

        initial = {
            "version": case.version,
            "case_class": case.case_class_id,
            **{k: getattr(case, k) for k in ("head_name", "village", "people", "address")},
            **{k: getattr(case, k) for k in ("area", "property_note", "note")},
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["case_class"].queryset = case.campaign.classes.all()
        if not may_classify:
            del self.fields["case_class"]
        for key, mask in (("id_number", mask_id_number), ("phone", mask_phone)):
            field = self.fields[key]
            field.help_text = KEEP_HELP
            field.widget.attrs.update(placeholder=mask(getattr(case, key)), autocomplete="off")

    def case_fields(self):
        data = dict(self.cleaned_data)
        data.pop("version")
        for key in ("id_number", "phone"):
            if not data[key]:
                data.pop(key)
        if data.get("area") is None:
            data["area"] = 0
        return data


class PersonForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    relation = forms.CharField(label=_("与户主关系"), max_length=20, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)

    def clean(self):
        data = super().clean()
        if self.has_changed() and not data.get("name") and not data.get("DELETE"):
            raise forms.ValidationError("请填写家庭成员姓名")
        return data


PersonFormSet = forms.formset_factory(PersonForm, extra=2, can_delete=True, max_num=30)


def person_formset(case, data=None):
    from xianfeng.members.masking import mask_id_number

    people = list(case.persons.all())
    formset = PersonFormSet(
        data,
        prefix="p",
        initial=[{"id": p.pk, "name": p.name, "relation": p.relation} for p in people],
    )
    masked = {p.pk: mask_id_number(p.id_number) for p in people}
    for form in formset.forms:
        pk = form.initial.get("id")
        if pk:
            form.fields["id_number"].widget.attrs["placeholder"] = masked.get(pk, "")
        form.fields["id_number"].widget.attrs["autocomplete"] = "off"
    return formset


def persons_of(formset):
    """The service's family list: kept and new rows; an empty ID box keeps the stored one."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not data.get("name"):
            continue
        row = {"id": data.get("id"), "name": data["name"], "relation": data["relation"]}
        if data.get("id_number") or not data.get("id"):
            row["id_number"] = data.get("id_number") or ""
        rows.append(row)
    return rows


class RevealForm(DomainForm):
    reason = forms.CharField(label=_("查看事由"), max_length=200)
