"""志愿服务 pages: the roster, activities with sign-up and sign-in, and yearly certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can, has_perm_anywhere, lineage_paths, path_q, scope_orgs
from xianfeng.core.dates import year_param
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.members.masking import mask_phone

from . import services, volunteering
from .forms import ActivityForm, VolunteerForm
from .models import SignupStatus, Volunteer, VolunteerActivity, VolunteerSignup


def _volunteers(user):
    return Volunteer.objects.filter(organization__in=scope_orgs(user, Perm.ORG_VIEW))


def _activities(user):
    q = Q(organization__in=scope_orgs(user, Perm.ORG_VIEW))
    if user.member_id:
        q |= path_q("organization__path", services.member_area_paths(user.member))
    return VolunteerActivity.objects.filter(q)


@perm_required(Perm.ORG_VIEW)
def volunteer_list(request):
    form = VolunteerForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not has_perm_anywhere(request.user, Perm.ORG_CHANGE):
            raise PermissionDenied("没有权限访问此页面。")
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                volunteering.register_volunteer(
                    data.pop("organization"), actor=request.user, **data
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "已注册志愿者")
                return redirect("service:volunteers")
    year = timezone.localdate().year
    volunteers = volunteering.hours_by_volunteer(_volunteers(request.user), year).select_related(
        "organization"
    )
    page = page_of(request, volunteers.order_by("organization_id", "name", "pk"))
    rows = [(v, mask_phone(v.phone)) for v in page]
    context = {
        "rows": rows,
        "page": page,
        "form": form,
        "year": year,
        "on_duty": volunteers.filter(is_active=True).count(),
    }
    return render(request, "service/volunteers.html", context)


@login_required
def activity_list(request):
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not has_perm_anywhere(request.user, Perm.ORG_CHANGE):
            raise PermissionDenied("没有权限访问此页面。")
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                activity = volunteering.publish_activity(
                    data.pop("organization"), actor=request.user, **data
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                return redirect("service:activity", activity.pk)
    activities = (
        _activities(request.user)
        .select_related("organization")
        .annotate(taken=Count("signups", filter=~Q(signups__status=SignupStatus.CANCELLED)))
        .order_by("-starts_at", "-id")  # Meta.ordering is dropped once the query groups
    )
    page = page_of(request, activities)
    context = {
        "activities": page,
        "page": page,
        "form": form,
        "may_publish": has_perm_anywhere(request.user, Perm.ORG_CHANGE),
    }
    return render(request, "service/activities.html", context)


def _get_activity(user, pk):
    try:
        return _activities(user).select_related("organization").get(pk=pk)
    except (ValueError, VolunteerActivity.DoesNotExist) as exc:
        raise Http404("活动不存在或无权查看") from exc


def _own_volunteer(user, activity):
    """The user's own volunteer record in the activity's team or a team above it."""
    if not user.member_id:
        return None
    return (
        Volunteer.objects.filter(member_id=user.member_id, is_active=True)
        .filter(organization__path__in=lineage_paths(activity.organization))
        .first()
    )


@login_required
def activity_detail(request, pk):
    activity = _get_activity(request.user, pk)
    signups = activity.signups.select_related("volunteer").order_by("signed_up_at")
    live = [s for s in signups if s.status != SignupStatus.CANCELLED]
    own = _own_volunteer(request.user, activity)
    context = {
        "activity": activity,
        "signups": signups,
        "left": max(activity.capacity - len(live), 0),
        "own": own,
        "own_signup": next((s for s in live if own and s.volunteer_id == own.pk), None),
        "may_manage": can(request.user, Perm.ORG_CHANGE, activity.organization),
        "roster": Volunteer.objects.filter(
            organization__path__in=lineage_paths(activity.organization), is_active=True
        )
        if can(request.user, Perm.ORG_CHANGE, activity.organization)
        else [],
    }
    return render(request, "service/activity.html", context)


@require_POST
@login_required
def activity_sign_up(request, pk):
    """A member signs themselves up; managers may sign up any volunteer of the team."""
    activity = _get_activity(request.user, pk)
    volunteer = _own_volunteer(request.user, activity)
    if request.POST.get("volunteer") and can(request.user, Perm.ORG_CHANGE, activity.organization):
        volunteer = Volunteer.objects.filter(
            pk=request.POST["volunteer"],
            organization__path__in=lineage_paths(activity.organization),
        ).first()
    if volunteer is None:
        messages.error(request, "请先在社区注册为志愿者")
        return redirect("service:activity", activity.pk)
    try:
        volunteering.sign_up(activity, volunteer, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{volunteer.name} 报名成功")
    return redirect("service:activity", activity.pk)


def _get_signup(request, pk):
    try:
        signup = VolunteerSignup.objects.select_related("activity__organization", "volunteer").get(
            pk=pk
        )
    except (ValueError, VolunteerSignup.DoesNotExist) as exc:
        raise Http404("报名不存在") from exc
    own = (
        signup.volunteer.member_id is not None
        and signup.volunteer.member_id == request.user.member_id
    )
    if not (own or can(request.user, Perm.ORG_CHANGE, signup.activity.organization)):
        raise Http404("报名不存在")
    return signup


@require_POST
@login_required
def signup_cancel(request, pk):
    signup = _get_signup(request, pk)
    try:
        volunteering.cancel_signup(signup, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("service:activity", signup.activity_id)


@require_POST
@login_required
def signup_sign_in(request, pk):
    signup = _get_signup(request, pk)
    try:
        volunteering.sign_in(signup, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{signup.volunteer.name} 已签到")
    return redirect("service:activity", signup.activity_id)


@login_required
def certificate(request, pk):
    """志愿服务证明 for a year: the volunteer themselves or the team's managers."""
    try:
        volunteer = Volunteer.objects.select_related("organization").get(pk=pk)
    except (ValueError, Volunteer.DoesNotExist) as exc:
        raise Http404("志愿者不存在") from exc
    own = volunteer.member_id is not None and volunteer.member_id == request.user.member_id
    if not (own or can(request.user, Perm.ORG_VIEW, volunteer.organization)):
        raise Http404("志愿者不存在")
    year = year_param(request.GET.get("year"))
    [annotated] = volunteering.hours_by_volunteer(Volunteer.objects.filter(pk=volunteer.pk), year)
    attended = volunteer.signups.filter(
        status=SignupStatus.ATTENDED, activity__starts_at__year=year
    )
    context = {
        "volunteer": annotated,
        "year": year,
        "attended": attended.select_related("activity"),
    }
    return render(request, "service/certificate.html", context)
