from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.core.widgets import MemberPicker, pick_within
from xianfeng.members.forms import DATE, DomainErrorMixin
from xianfeng.members.models import Category
from xianfeng.orgs.models import SeatPost

from .models import NominationSource


class PlanForm(DomainErrorMixin, forms.Form):
    planned_on = forms.DateField(label=_("计划选举日期"), widget=DATE)
    seats = forms.IntegerField(label=_("应选人数"), min_value=1, max_value=15, initial=5)
    plan = forms.CharField(
        label=_("选举工作方案"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class MemberChoiceField(forms.ModelChoiceField):
    widget = MemberPicker

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.organization.name}）"


class NominationForm(DomainErrorMixin, forms.Form):
    member = MemberChoiceField(label=_("党员"), queryset=None)
    post = forms.ChoiceField(label=_("拟任职务"), choices=SeatPost.choices)
    source = forms.ChoiceField(label=_("推荐方式"), choices=NominationSource.choices)

    def __init__(self, *args, org, members, **kwargs):
        super().__init__(*args, **kwargs)
        pick_within(self, org)
        self.fields["member"].queryset = (
            members.filter(organization__path__startswith=org.path, category=Category.FULL)
            .active()
            .select_related("organization")
            .order_by("name_pinyin", "id")
        )


class VoteForm(DomainErrorMixin, forms.Form):
    held_on = forms.DateField(label=_("选举日期"), widget=DATE)
    eligible = forms.IntegerField(label=_("应到会有选举权人数"), min_value=1)
    present = forms.IntegerField(label=_("实到会有选举权人数"), min_value=0)

    def __init__(self, *args, nominations, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominations = list(nominations)
        for nomination in self.nominations:
            self.fields[f"votes_{nomination.pk}"] = forms.IntegerField(
                label=f"{nomination.member.name}（{nomination.get_post_display()}）得票",
                min_value=0,
            )

    def votes(self):
        return {n.pk: self.cleaned_data[f"votes_{n.pk}"] for n in self.nominations}


class DecideForm(DomainErrorMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("批复"),
        choices=[("1", _("同意")), ("0", _("不予批准"))],
        coerce=lambda value: value == "1",
    )
    on = forms.DateField(label=_("批复日期"), widget=DATE)
    note = forms.CharField(label=_("批复意见"), max_length=300, required=False)


class RescheduleForm(DomainErrorMixin, forms.Form):
    ends_on = forms.DateField(label=_("批准后的换届（届满）日期"), widget=DATE)
    approved_on = forms.DateField(label=_("上级批准日期"), widget=DATE)
    approval = forms.CharField(label=_("批准文件或文号"), max_length=100)
    reason = forms.CharField(label=_("延期或提前原因"), max_length=300)
