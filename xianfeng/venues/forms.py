from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import scope_orgs
from xianfeng.members.forms import DomainErrorMixin, OrgChoiceField
from xianfeng.orgs.models import OrgKind

from .models import Activity, BookerKind, Venue

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _orgs(user):
    return scope_orgs(user, Perm.ORG_CHANGE).exclude(kind=OrgKind.GROUP).order_by("path")


class VenueForm(DomainErrorMixin, forms.ModelForm):
    organization = OrgChoiceField(label=_("运营党组织"), queryset=None)

    class Meta:
        model = Venue
        fields = [
            "organization",
            "name",
            "kind",
            "status",
            "address",
            "latitude",
            "longitude",
            "opens_at",
            "closes_at",
            "open_days_off",
            "desk_phone",
            "services",
            "description",
            "needs_approval",
            "cancel_hours",
            "no_show_limit",
        ]
        widgets = {
            "opens_at": TIME,
            "closes_at": TIME,
            "services": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = _orgs(user)


class RoomForm(DomainErrorMixin, forms.Form):
    name = forms.CharField(label=_("功能室"), max_length=60)
    capacity = forms.IntegerField(label=_("容纳人数"), min_value=1, max_value=2000)
    equipment = forms.CharField(label=_("设备"), max_length=200, required=False)
    bookable = forms.BooleanField(label=_("可预约"), required=False, initial=True)


class DutyForm(DomainErrorMixin, forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("星期"),
        coerce=int,
        choices=[(i, f"星期{n}") for i, n in enumerate("一二三四五六日")],
    )
    name = forms.CharField(label=_("值班人员"), max_length=50)
    post = forms.CharField(label=_("岗位"), max_length=50, required=False)


class PhotoForm(DomainErrorMixin, forms.Form):
    file = forms.FileField(label=_("照片"))
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)


class BookingForm(DomainErrorMixin, forms.Form):
    room = forms.ModelChoiceField(label=_("功能室"), queryset=None)
    booker_kind = forms.ChoiceField(
        label=_("预约方"), choices=[c for c in BookerKind.choices if c[0] != "resident"]
    )
    organization = OrgChoiceField(label=_("预约党组织"), queryset=None, required=False)
    unit = forms.ModelChoiceField(label=_("共建单位"), queryset=None, required=False)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)
    purpose = forms.CharField(label=_("用途"), max_length=100)
    attendees = forms.IntegerField(label=_("人数"), min_value=1, max_value=2000, initial=10)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)

    def __init__(self, *args, user, venue, manager, **kwargs):
        super().__init__(*args, **kwargs)
        from xianfeng.service.models import PartnerUnit

        self.fields["room"].queryset = venue.rooms.filter(bookable=True)
        self.fields["organization"].queryset = _orgs(user)
        if manager:
            self.fields["unit"].queryset = PartnerUnit.objects.filter(
                check_ins__ended_on__isnull=True,
                check_ins__community__path__startswith=venue.organization.path,
            ).distinct()
        else:
            del self.fields["unit"]
            self.fields["booker_kind"].choices = [("org", BookerKind.ORG.label)]


class ActivityForm(DomainErrorMixin, forms.ModelForm):
    organization = OrgChoiceField(label=_("主办党组织"), queryset=None)

    class Meta:
        model = Activity
        fields = [
            "organization",
            "venue",
            "room",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "capacity",
            "waitlist",
            "is_public",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, venues, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Room

        self.fields["organization"].queryset = _orgs(user)
        self.fields["venue"].queryset = venues
        self.fields["room"].queryset = Room.objects.filter(venue__in=venues)


# ---------------------------------------------------------------- the portal


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("手机号"), max_length=20)
    code = forms.CharField(label=_("验证码"), max_length=6, required=False)


class ResidentSignupForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)


class ResidentBookingForm(DomainErrorMixin, forms.Form):
    room = forms.ModelChoiceField(label=_("功能室"), queryset=None)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)
    purpose = forms.CharField(label=_("用途"), max_length=100)
    attendees = forms.IntegerField(label=_("人数"), min_value=1, max_value=200, initial=1)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)

    def __init__(self, *args, venue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = venue.rooms.filter(bookable=True)
