import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.accounts.models import User
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import scope_members, scope_orgs
from xianfeng.core.errors import DomainError
from xianfeng.core.photos import PhotosField
from xianfeng.core.widgets import MemberPicker, MembersPicker, pick_within
from xianfeng.members.forms import DATE, OrgChoiceField
from xianfeng.members.masking import mask_phone

from .models import ActivityKind, CareTag, Grid, GridKind, GridStaffRole
from .services import check_geometry


class DomainForm(forms.Form):
    def add_domain_error(self, exc: DomainError):
        self.add_error(exc.field if exc.field in self.fields else None, exc.message)


class MemberField(forms.ModelChoiceField):
    widget = MemberPicker

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.organization.name}）"


def pool_members(user, grid, form=None):
    """Members the user may pick for a grid: active, inside the top grid's organization.
    Given the form, its member pickers search only that organization's subtree."""
    root = grid if grid.depth == 1 else Grid.objects.get(path=grid.path[: Grid.steplen])
    if form is not None and root.scope_org_id:
        pick_within(form, root.scope_org_id)
    qs = scope_members(user).active().select_related("organization")
    if root.scope_org is None:
        return qs.none()
    return qs.filter(organization__path__startswith=root.scope_org.path).order_by(
        "organization__path", "name_pinyin"
    )


class GridForm(DomainForm):
    code = forms.CharField(
        label=_("网格编码"),
        max_length=40,
        help_text=_("字母、数字、连字符；用于二维码地址 /r/编码/"),
    )
    name = forms.CharField(label=_("名称"), max_length=120)
    kind = forms.ChoiceField(label=_("类别"), choices=GridKind.choices)
    organization = OrgChoiceField(label=_("对应党组织"), queryset=None, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    geometry = forms.JSONField(
        label=_("地理范围(GeoJSON geometry)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('例如 {"type": "Point", "coordinates": [121.33, 37.62]}'),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = scope_orgs(user, Perm.GRID_CHANGE).active()

    def clean_geometry(self):
        try:
            return check_geometry(self.cleaned_data.get("geometry"))
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc

    @staticmethod
    def initial_for(grid):
        return {
            f: getattr(grid, f)
            for f in ("code", "name", "kind", "organization", "address", "geometry")
        }


class StaffForm(DomainForm):
    role = forms.ModelChoiceField(label=_("角色"), queryset=GridStaffRole.objects.none())
    name = forms.CharField(label=_("姓名"), max_length=50)
    member = MemberField(label=_("对应党员(可不选)"), queryset=None, required=False)
    is_party_member = forms.BooleanField(label=_("是党员(组织关系不在本系统)"), required=False)
    username = forms.CharField(label=_("登录账号(网格员本人)"), max_length=150, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    publish_phone = forms.BooleanField(
        label=_("本人同意在服务公示牌和居民页面公开手机号"), required=False
    )
    started_on = forms.DateField(label=_("上岗日期"), widget=DATE)

    def __init__(self, *args, user, grid, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = GridStaffRole.objects.filter(district=district)
        self.fields["member"].queryset = pool_members(user, grid, self)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("没有这个登录账号"))
        return user


class CentralForm(DomainForm):
    member = MemberField(label=_("党员"), queryset=None)
    address = forms.CharField(label=_("中心户地址"), max_length=200, required=False)
    households_served = forms.IntegerField(label=_("联系户数"), min_value=0, initial=0)
    services = forms.CharField(label=_("服务承诺"), max_length=200, required=False)

    def __init__(self, *args, user, grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = pool_members(user, grid, self)


class ZoneForm(DomainForm):
    member = MemberField(label=_("党员"), queryset=None)
    households = forms.IntegerField(label=_("联系户数"), min_value=0, initial=0)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    started_on = forms.DateField(label=_("开始日期"), widget=DATE)

    def __init__(self, *args, user, grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = pool_members(user, grid, self)


class EndForm(DomainForm):
    ended_on = forms.DateField(label=_("离岗日期"), widget=DATE)


class HouseholdForm(DomainForm):
    address = forms.CharField(label=_("门牌地址"), max_length=200)
    head_name = forms.CharField(label=_("户主/联系人"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    size = forms.IntegerField(label=_("人口数"), min_value=1, max_value=99, initial=1)
    tags = forms.MultipleChoiceField(
        label=_("关爱标签"),
        choices=CareTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_party_household = forms.BooleanField(label=_("共产党员户"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    clear_phone = forms.BooleanField(label=_("清空联系电话"), required=False)

    def __init__(self, *args, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        if household is None or not household.phone:
            del self.fields["clear_phone"]
        if household is not None:
            # The form never carries the stored phone: shown masked, blank keeps it.
            self.fields["phone"].widget.attrs["placeholder"] = mask_phone(household.phone)
            self.fields["phone"].help_text = _("留空则不修改")

    @staticmethod
    def initial_for(household):
        fields = ("address", "head_name", "size", "is_party_household", "note")
        return {
            **{f: getattr(household, f) for f in fields},
            "tags": [t.tag for t in household.tags.all()],
        }

    def clean(self):
        data = super().clean()
        if self.household is not None:
            if data.pop("clear_phone", False):
                data["phone"] = ""
            elif not data.get("phone"):
                data["phone"] = self.household.phone
        else:
            data.pop("clear_phone", None)
        return data


class KeyedForm(DomainForm):
    """Carries a one-time token so a double submit records once."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)


class VisitForm(KeyedForm):
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE)
    visitor_name = forms.CharField(label=_("走访人"), max_length=50)
    found = forms.CharField(
        label=_("走访发现"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    needs_follow_up = forms.BooleanField(label=_("需跟进"), required=False)
    photos = PhotosField(label=_("照片（最多 4 张，每张不超过 5 MB）"), required=False)
    # The household's version when the page was loaded: an offline visit replayed after the
    # household changed is a conflict shown to the worker (see docs/modules/pwa.md).
    seen = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)


class ActivityForm(KeyedForm):
    title = forms.CharField(label=_("活动内容"), max_length=120)
    kind = forms.ChoiceField(label=_("类别"), choices=ActivityKind.choices)
    held_on = forms.DateField(label=_("日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    participants = forms.CharField(label=_("参加人员"), max_length=300, required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("参加党员(计入积分)"), queryset=None, required=False, widget=MembersPicker
    )
    residents_served = forms.IntegerField(label=_("服务群众人次"), min_value=0, initial=0)
    problems_solved = forms.IntegerField(label=_("解决问题数"), min_value=0, initial=0)

    def __init__(self, *args, user, grid, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = pool_members(user, grid, self)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("起始日期"), widget=DATE, required=False)
    end = forms.DateField(label=_("截止日期"), widget=DATE, required=False)

    def period(self):
        """(start, end): defaults to 1 January of this year until today; swapped if reversed."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or today.replace(month=1, day=1)
        end = data.get("end") or today
        return (start, end) if start <= end else (end, start)
