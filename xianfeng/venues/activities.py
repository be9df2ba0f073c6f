"""Activities at venues: publishing, sign-ups within the limit and a waiting list (promoted
when a place frees), QR attendance, and the points members earn for attending."""

from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can, in_or_above_q, lineage_paths
from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.core.events import point_code, point_event

from .models import Activity, Signup, SignupStatus, VenueStatus

ATTEND_CODE = point_code("venue.activity")  # a member attending an activity at a venue
CHECK_IN_EARLY = timedelta(hours=1)
TOKEN_SALT = "xianfeng.venues.activity_check_in"


def scope_activities(user):
    """Activities of the user's subtrees and above them; a member also sees those of his
    branch and the organizations above it (to sign up)."""
    q = in_or_above_q("organization", user, Perm.ORG_VIEW)
    member = user.member if user.is_authenticated and user.member_id else None
    if member is not None:
        q |= Q(organization__path__in=lineage_paths(member.organization))
    return Activity.objects.filter(q)


def get_activity_for_user(user, pk):
    try:
        return scope_activities(user).select_related("venue", "organization").get(pk=pk)
    except (ValueError, TypeError, Activity.DoesNotExist) as exc:
        raise Http404("活动不存在或无权查看") from exc


def may_manage(user, activity) -> bool:
    return can(user, Perm.ORG_CHANGE, activity.organization)


def publish_activity(venue, *, actor, organization, **fields) -> Activity:
    if actor is not None and not can(actor, Perm.ORG_CHANGE, organization):
        raise DomainError("无权以该组织名义发布活动", field="organization")
    if venue.status == VenueStatus.CLOSED:
        raise DomainError("阵地暂停开放", field="venue")
    if fields["ends_at"] <= fields["starts_at"]:
        raise DomainError("结束时间须晚于开始时间", field="ends_at")
    if fields.get("capacity", 0) < 1:
        raise DomainError("名额至少为 1", field="capacity")
    room = fields.get("room")
    if room is not None and room.venue_id != venue.pk:
        raise DomainError("功能室不属于该阵地", field="room")
    with transaction.atomic():
        activity = Activity.objects.create(
            venue=venue, organization=organization, created_by=actor, **fields
        )
        audit.record("venue.activity", activity, actor=actor, venue=venue.name)
    return activity


def sign_up(activity, *, actor=None, name, phone="", member=None, now=None) -> Signup:
    """A place, or a place on the waiting list when the places are taken. The activity row is
    locked, so the last place goes to one person."""
    now = now or timezone.now()
    if not member and not phone:
        raise DomainError("居民报名须先验证手机号", field="phone")
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.cancelled:
            raise DomainError("活动已取消")
        if now >= activity.starts_at:
            raise DomainError("活动已开始，报名已截止")
        if member is None and not activity.is_public:
            raise DomainError("该活动仅限党员报名")
        live = activity.signups.exclude(status=SignupStatus.CANCELLED)
        if member is not None and live.filter(member=member).exists():
            raise DomainError("已报名该活动", code="duplicate")
        digest = Signup._meta.get_field("phone_hash").compute(Signup(phone=phone))
        if digest and live.filter(phone_hash=digest).exists():
            raise DomainError("该手机号已报名该活动", code="duplicate")
        confirmed = live.exclude(status=SignupStatus.WAITING).count()
        waiting = live.filter(status=SignupStatus.WAITING).count()
        if confirmed < activity.capacity:
            status = SignupStatus.CONFIRMED
        elif waiting < activity.waitlist:
            status = SignupStatus.WAITING
        else:
            raise DomainError("名额和候补均已满", code="full")
        try:
            with transaction.atomic():
                signup = Signup.objects.create(
                    activity=activity, member=member, name=name, phone=phone, status=status
                )
        except IntegrityError as exc:
            raise DomainError("已报名该活动", code="duplicate") from exc
        audit.record("venue.sign_up", activity, actor=actor, name=name, status=status)
    return signup


def cancel_signup(signup, *, actor=None, now=None) -> Signup:
    """Cancel before the start; a freed place goes to the first on the waiting list, who is
    told by SMS (or in the inbox, for a member with a login)."""
    now = now or timezone.now()
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=signup.activity_id)
        signup = Signup.objects.select_for_update().get(pk=signup.pk)
        if signup.status not in (SignupStatus.CONFIRMED, SignupStatus.WAITING):
            raise DomainError("该报名已不能取消")
        if now >= activity.starts_at:
            raise DomainError("活动已开始，不能取消")
        freed = signup.status == SignupStatus.CONFIRMED
        signup.status = SignupStatus.CANCELLED
        signup.save(update_fields=["status"])
        audit.record("venue.cancel_signup", activity, actor=actor, name=signup.name)
        if freed:
            promote_waiting(activity, actor=actor)
    return signup


def promote_waiting(activity, *, actor=None):
    """Fill free places from the waiting list, first come first served (activity locked)."""
    live = activity.signups.exclude(status=SignupStatus.CANCELLED)
    free = activity.capacity - live.exclude(status=SignupStatus.WAITING).count()
    promoted = list(live.filter(status=SignupStatus.WAITING).order_by("signed_up_at", "pk")[:free])
    for signup in promoted if free > 0 else []:
        signup.status = SignupStatus.CONFIRMED
        signup.save(update_fields=["status"])
        audit.record("venue.promote", activity, actor=actor, name=signup.name)
        _tell(signup, f"您候补的活动“{activity.title}”已有名额，报名成功。")
    return promoted


def _tell(signup, text):
    from xianfeng.accounts.models import User
    from xianfeng.notices.models import NoticeKind
    from xianfeng.notices.services import notify, tell_phone

    users = list(User.objects.filter(member_id=signup.member_id).values_list("pk", flat=True))
    if signup.member_id and users:
        notify(users, title=text, kind=NoticeKind.RESIDENT)
    elif signup.phone:
        tell_phone(signup.phone, text)


def check_in(signup, *, actor=None, now=None) -> Signup:
    """Attendance (the activity's QR code, or the organizer's list) from an hour before the
    start to the end. A member's attendance books the `venue.activity` points."""
    now = now or timezone.now()
    with transaction.atomic():
        signup = Signup.objects.select_for_update().select_related("activity").get(pk=signup.pk)
        if signup.status == SignupStatus.ATTENDED:
            return signup
        if signup.status != SignupStatus.CONFIRMED:
            raise DomainError("候补或已取消的报名不能签到")
        activity = signup.activity
        if not activity.starts_at - CHECK_IN_EARLY <= now <= activity.ends_at:
            raise DomainError("不在签到时间内(活动开始前 1 小时至活动结束)")
        signup.status = SignupStatus.ATTENDED
        signup.checked_in_at = now
        signup.save(update_fields=["status", "checked_in_at"])
        audit.record("venue.check_in", activity, actor=actor, name=signup.name)
        if signup.member_id:
            point_event.send(
                sender=Signup,
                member=signup.member,
                rule_code=ATTEND_CODE,
                source=signup,
                occurred_on=timezone.localdate(now),
                actor=None,
                note=activity.title,
            )
    return signup


def check_in_token(activity) -> str:
    return signing.dumps(activity.pk, salt=TOKEN_SALT)


def activity_for_token(token):
    try:
        pk = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature as exc:
        raise Http404("签到码无效") from exc
    try:
        return Activity.objects.select_related("venue").get(pk=pk)
    except Activity.DoesNotExist as exc:
        raise Http404("签到码无效") from exc


def counts(activity):
    """(confirmed incl. attended, waiting) for one activity."""
    live = list(
        activity.signups.exclude(status=SignupStatus.CANCELLED).values_list("status", flat=True)
    )
    waiting = live.count(SignupStatus.WAITING)
    return len(live) - waiting, waiting
