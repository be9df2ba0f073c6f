"""志愿服务 use cases: sign-up within the limit, sign-in around the activity, hours, certificates."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.core.events import point_code, point_event

from .models import SignupStatus, Volunteer, VolunteerActivity, VolunteerSignup

HOURS_CODE = point_code("volunteer.hours")  # paid per hour of the activity
SIGN_IN_EARLY = timedelta(hours=1)  # sign-in opens an hour before the start, closes at the end


def register_volunteer(org, *, actor, name, phone, registered_on, member=None, skills=""):
    try:
        with transaction.atomic():
            volunteer = Volunteer.objects.create(
                organization=org,
                member=member,
                name=name,
                phone=phone,
                skills=skills,
                registered_on=registered_on,
            )
            audit.record("volunteer.register", volunteer, actor=actor, organization=org.code)
    except IntegrityError as exc:
        raise DomainError("该手机号已注册为本队伍志愿者", field="phone") from exc
    return volunteer


def publish_activity(org, *, actor, **fields) -> VolunteerActivity:
    if fields["ends_at"] <= fields["starts_at"]:
        raise DomainError("结束时间须晚于开始时间", field="ends_at")
    with transaction.atomic():
        activity = VolunteerActivity.objects.create(organization=org, **fields)
        audit.record("volunteer.activity", activity, actor=actor, organization=org.code)
    return activity


def sign_up(activity, volunteer, *, actor, now=None) -> VolunteerSignup:
    """Take a place; the activity row is locked so the last place goes to one volunteer."""
    now = now or timezone.now()
    if not volunteer.is_active:
        raise DomainError("该志愿者已不在岗")
    with transaction.atomic():
        activity = VolunteerActivity.objects.select_for_update().get(pk=activity.pk)
        if now >= activity.starts_at:
            raise DomainError("活动已开始，报名已截止")
        taken = activity.signups.exclude(status=SignupStatus.CANCELLED).count()
        if taken >= activity.capacity:
            raise DomainError("报名人数已满", code="full")
        try:
            with transaction.atomic():
                signup = VolunteerSignup.objects.create(activity=activity, volunteer=volunteer)
        except IntegrityError as exc:
            raise DomainError("已报名该活动", code="duplicate") from exc
        audit.record("volunteer.sign_up", activity, actor=actor, volunteer=volunteer.name)
    return signup


def cancel_signup(signup, *, actor, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        signup = (
            VolunteerSignup.objects.select_for_update().select_related("activity").get(pk=signup.pk)
        )
        if signup.status != SignupStatus.SIGNED_UP:
            raise DomainError("只有未签到的报名可以取消")
        if now >= signup.activity.starts_at:
            raise DomainError("活动已开始，不能取消")
        signup.status = SignupStatus.CANCELLED
        signup.save(update_fields=["status"])
        audit.record(
            "volunteer.cancel", signup.activity, actor=actor, volunteer=str(signup.volunteer)
        )
    return signup


def sign_in(signup, *, actor, now=None) -> VolunteerSignup:
    """Sign in at the activity; credits its length in hours. Signing in twice counts once."""
    now = now or timezone.now()
    with transaction.atomic():
        signup = (
            VolunteerSignup.objects.select_for_update()
            .select_related("activity", "volunteer")
            .get(pk=signup.pk)
        )
        if signup.status == SignupStatus.ATTENDED:
            return signup
        if signup.status != SignupStatus.SIGNED_UP:
            raise DomainError("报名已取消")
        activity = signup.activity
        if not activity.starts_at - SIGN_IN_EARLY <= now <= activity.ends_at:
            raise DomainError("不在签到时间内(活动开始前 1 小时至活动结束)")
        signup.status = SignupStatus.ATTENDED
        signup.checked_in_at = now
        signup.hours = activity_hours(activity)
        signup.save(update_fields=["status", "checked_in_at", "hours"])
        audit.record("volunteer.sign_in", activity, actor=actor, volunteer=signup.volunteer.name)
        if signup.volunteer.member_id:
            _announce(signup)
    return signup


def open_signups(member, orgs, now=None) -> QuerySet[VolunteerSignup]:
    """The member's sign-ups to activities of `orgs` that may be signed in now (card scan)."""
    now = now or timezone.now()
    return (
        VolunteerSignup.objects.filter(
            volunteer__member=member,
            status=SignupStatus.SIGNED_UP,
            activity__organization__in=orgs,
            activity__starts_at__lte=now + SIGN_IN_EARLY,
            activity__ends_at__gte=now,
        )
        .select_related("activity", "volunteer")
        .order_by("activity__starts_at")
    )


def activity_hours(activity) -> Decimal:
    seconds = (activity.ends_at - activity.starts_at).total_seconds()
    return (Decimal(seconds) / 3600).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _announce(signup):
    point_event.send(
        sender=VolunteerSignup,
        member=signup.volunteer.member,
        rule_code=HOURS_CODE,
        source=signup,
        occurred_on=timezone.localdate(signup.checked_in_at),
        actor=None,
        hours=signup.hours,
    )


def hours_by_volunteer(volunteers, year):
    """Annotate volunteers with their attended activities and hours in `year` (one query)."""
    attended = Q(signups__status=SignupStatus.ATTENDED, signups__activity__starts_at__year=year)
    return volunteers.annotate(
        activities_n=Count("signups", filter=attended), hours=Sum("signups__hours", filter=attended)
    )
