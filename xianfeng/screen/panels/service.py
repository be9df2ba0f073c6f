"""服务共建 this year: activity counts, and volunteer and 双报到 hours, from the activity,
signup and service-record tables of the subtree (grouped counts, a fixed number of queries)."""

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xianfeng.service.models import (
    Claim,
    ClaimStatus,
    CommunityCheckIn,
    ServiceRecord,
    SignupStatus,
    Volunteer,
    VolunteerActivity,
    VolunteerSignup,
)

from . import screen_panel


def _number(value):
    value = value or 0
    return int(value) if value == int(value) else round(float(value), 1)


@screen_panel(
    "service",
    title=_("服务活动"),
    template="screen/panels/service.html",
    link=lambda org: reverse("service:activities"),
    refresh=600,
)
def service_panel(org, at):
    year = at.today.year
    inside = org.path
    activities = VolunteerActivity.objects.filter(
        organization__path__startswith=inside, starts_at__year=year
    ).aggregate(
        n=Count("pk"),
        upcoming=Count("pk", filter=Q(starts_at__gt=at.now)),
    )
    records = ServiceRecord.objects.filter(
        check_in__community__path__startswith=inside, served_on__year=year
    ).aggregate(n=Count("pk"), served=Sum("residents_served"))
    check_ins = CommunityCheckIn.objects.filter(
        community__path__startswith=inside, ended_on__isnull=True
    ).aggregate(units=Count("pk", filter=Q(unit__isnull=False)), members=Count("member"))
    claims = Claim.objects.filter(
        project__organization__path__startswith=inside,
        status=ClaimStatus.DONE,
        completed_on__year=year,
    ).count()
    return {
        "year": year,
        "tiles": [
            (_("志愿活动"), activities["n"], _("场")),
            (_("双报到服务"), records["n"], _("次")),
            (_("服务群众"), records["served"] or 0, _("人次")),
            (_("认领项目完成"), claims, _("个")),
        ],
        "upcoming": activities["upcoming"],
        "units": check_ins["units"],
        "check_in_members": check_ins["members"],
    }


@screen_panel(
    "volunteers",
    title=_("志愿服务时长"),
    template="screen/panels/volunteers.html",
    link=lambda org: reverse("service:volunteers"),
    refresh=600,
)
def volunteers_panel(org, at):
    year = at.today.year
    attended = VolunteerSignup.objects.filter(
        activity__organization__path__startswith=org.path,
        activity__starts_at__year=year,
        status=SignupStatus.ATTENDED,
    )
    by_month = dict(
        attended.annotate(m=ExtractMonth("activity__starts_at"))
        .order_by()
        .values_list("m")
        .annotate(h=Sum("hours"))
    )
    people = attended.aggregate(n=Count("volunteer", distinct=True))["n"]
    volunteers = Volunteer.objects.filter(
        organization__path__startswith=org.path, is_active=True
    ).count()
    check_in_hours = ServiceRecord.objects.filter(
        check_in__community__path__startswith=org.path, served_on__year=year
    ).aggregate(h=Sum("hours"))["h"]
    return {
        "year": year,
        "hours": _number(sum(by_month.values())),
        "month_hours": _number(by_month.get(at.today.month)),
        "check_in_hours": _number(check_in_hours),
        "volunteers": volunteers,
        "people": people,
    }
