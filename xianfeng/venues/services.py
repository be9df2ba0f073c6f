"""Venue and booking use cases: venues, rooms, photos, duty, and room bookings.

A room is never booked twice for overlapping times. On PostgreSQL the database refuses it
(an exclusion constraint over `tstzrange(starts_at, ends_at)`, migration 0002); everywhere
the service locks the room row and checks first, so the refusal is a clear message and the
constraint is the backstop that holds whatever writes the table.
"""

import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can, in_or_above_q, path_q
from xianfeng.core import audit, workcal
from xianfeng.core.errors import DomainError
from xianfeng.core.uploads import check_upload

from .models import (
    HOLDING,
    BookerKind,
    Booking,
    BookingStatus,
    Duty,
    Room,
    Venue,
    VenuePhoto,
    VenueStatus,
)

NO_SHOW_DAYS = 90  # 爽约 counted over this many days
CHECK_IN_EARLY = timedelta(minutes=30)  # a booking may be checked in 30 minutes early


# ---------------------------------------------------------------- scoping


def scope_venues(user, perm: Perm = Perm.ORG_VIEW):
    """Venues of the user's subtrees and of the organizations above them (a branch books its
    community's centre)."""
    return Venue.objects.filter(in_or_above_q("organization", user, perm))


def get_venue_for_user(user, pk):
    try:
        return scope_venues(user).select_related("organization").get(pk=pk)
    except (ValueError, TypeError, Venue.DoesNotExist) as exc:
        raise Http404("阵地不存在或无权查看") from exc


def may_manage(user, venue) -> bool:
    return can(user, Perm.ORG_CHANGE, venue.organization)


def _require_manager(actor, venue):
    if actor is not None and not may_manage(actor, venue):
        raise DomainError("无权管理该阵地", code="forbidden")


def scope_bookings(user):
    """Bookings the user may see: of venues he manages, and those his organizations made."""
    from xianfeng.accounts.scoping import granted_paths

    managed = path_q("room__venue__organization__path", granted_paths(user, Perm.ORG_CHANGE))
    own = path_q("organization__path", granted_paths(user, Perm.ORG_VIEW))
    mine = Q(created_by_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    return Booking.objects.filter(managed | (Q(organization__isnull=False) & own) | mine)


def get_booking_for_user(user, pk):
    try:
        return scope_bookings(user).select_related("room__venue__organization").get(pk=pk)
    except (ValueError, TypeError, Booking.DoesNotExist) as exc:
        raise Http404("预约不存在或无权查看") from exc


# ---------------------------------------------------------------- venues


VENUE_FIELDS = [
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


def _check_point(fields):
    lat, lng = fields.get("latitude"), fields.get("longitude")
    if (lat is None) != (lng is None):
        raise DomainError("纬度和经度须同时填写", field="latitude")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise DomainError("坐标超出范围", field="latitude")
    opens, closes = fields.get("opens_at"), fields.get("closes_at")
    if opens and closes and closes <= opens:
        raise DomainError("关门时间须晚于开门时间", field="closes_at")


def create_venue(org, *, actor, **fields) -> Venue:
    if actor is not None and not can(actor, Perm.ORG_CHANGE, org):
        raise DomainError("无权在该组织下建立阵地", code="forbidden")
    _check_point(fields)
    try:
        with transaction.atomic():
            venue = Venue.objects.create(organization=org, **fields)
            audit.record("venue.create", venue, actor=actor, organization=org.code)
    except IntegrityError as exc:
        raise DomainError("该组织已有同名阵地", field="name") from exc
    return venue


def update_venue(venue, *, actor, **fields) -> Venue:
    _require_manager(actor, venue)
    _check_point(fields)
    with transaction.atomic():
        venue = Venue.objects.select_for_update().get(pk=venue.pk)
        changed = {k: v for k, v in fields.items() if getattr(venue, k) != v}
        if not changed:
            return venue
        for key, value in changed.items():
            setattr(venue, key, value)
        try:
            with transaction.atomic():
                venue.save(update_fields=list(changed))
        except IntegrityError as exc:
            raise DomainError("该组织已有同名阵地", field="name") from exc
        audit.record("venue.update", venue, actor=actor, fields=sorted(changed))
    return venue


def add_room(venue, *, actor, name, capacity, equipment="", bookable=True) -> Room:
    _require_manager(actor, venue)
    if not capacity or capacity < 1:
        raise DomainError("容纳人数至少为 1", field="capacity")
    try:
        with transaction.atomic():
            room = Room.objects.create(
                venue=venue, name=name, capacity=capacity, equipment=equipment, bookable=bookable
            )
            audit.record("venue.room", room, actor=actor, venue=venue.name)
    except IntegrityError as exc:
        raise DomainError("该阵地已有同名功能室", field="name") from exc
    return room


def add_photo(venue, *, actor, file, caption="") -> VenuePhoto:
    _require_manager(actor, venue)
    from django.core.exceptions import ValidationError

    try:
        check_upload(file, kinds=("jpeg", "png", "webp"))
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="file") from exc
    with transaction.atomic():
        photo = VenuePhoto.objects.create(venue=venue, file=file, caption=caption)
        audit.record("venue.photo", venue, actor=actor, photo=photo.pk)
    return photo


def set_duty(venue, *, actor, weekday, name, post="") -> Duty:
    _require_manager(actor, venue)
    if weekday not in range(7):
        raise DomainError("星期无效", field="weekday")
    with transaction.atomic():
        duty = Duty.objects.create(venue=venue, weekday=weekday, name=name, post=post)
        audit.record("venue.duty", venue, actor=actor, weekday=weekday, name=name)
    return duty


# ---------------------------------------------------------------- opening hours


def is_open_on(venue, day) -> bool:
    """Open on `day`: every working day of the working calendar (调休 Saturdays included);
    weekends and holidays only when the venue opens on days off."""
    if venue.status != VenueStatus.OPEN:
        return False
    return venue.open_days_off or workcal.is_workday(day)


def opening_problem(venue, starts_at: datetime, ends_at: datetime) -> str:
    """Why a stay from `starts_at` to `ends_at` falls outside the opening hours ('' if not)."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() != end.date():
        return "预约须在同一天内"
    if not is_open_on(venue, start.date()):
        return f"{start:%Y-%m-%d} 阵地不开放"
    if start.time() < venue.opens_at or end.time() > venue.closes_at:
        return f"开放时间为 {venue.opens_at:%H:%M}—{venue.closes_at:%H:%M}"
    return ""


def open_days(venue, first, days=7):
    """[(day, open?)] for the next `days` days from `first`."""
    return [(first + timedelta(d), is_open_on(venue, first + timedelta(d))) for d in range(days)]


# ---------------------------------------------------------------- bookings


def _booker_q(booker_kind, organization=None, unit=None, phone_hash=""):
    if booker_kind == BookerKind.ORG:
        return Q(booker_kind=booker_kind, organization=organization)
    if booker_kind == BookerKind.UNIT:
        return Q(booker_kind=booker_kind, unit=unit)
    return Q(booker_kind=booker_kind, phone_hash=phone_hash) if phone_hash else Q(pk__in=[])


def no_show_count(booker_q, now=None) -> int:
    """爽约 of one booker over the last NO_SHOW_DAYS days (late cancellations count too)."""
    now = now or timezone.now()
    since = now - timedelta(days=NO_SHOW_DAYS)
    return Booking.objects.filter(
        booker_q,
        Q(status=BookingStatus.NO_SHOW) | Q(status=BookingStatus.CANCELLED, late_cancel=True),
        starts_at__gte=since,
    ).count()


def _check_unit(unit, venue):
    """A unit books where it has done 双报到: a live check-in with the venue's community or a
    community below the venue's organization."""
    from xianfeng.service.models import CommunityCheckIn

    path = venue.organization.path
    live = CommunityCheckIn.objects.filter(unit=unit, ended_on__isnull=True)
    if not live.filter(community__path__startswith=path).exists() and not any(
        path.startswith(p) for p in live.values_list("community__path", flat=True)
    ):
        raise DomainError("该单位未在本社区双报到，不能预约", field="unit")


def book_room(
    room,
    *,
    actor,
    starts_at,
    ends_at,
    booker_kind,
    contact_name,
    purpose,
    attendees=1,
    organization=None,
    unit=None,
    phone="",
    now=None,
) -> Booking:
    """Book `room`. Branches book with org.change on their organization; units through the
    venue's managers (after 双报到); residents through the portal with a verified phone
    (actor None). Approval where the venue wants it (its managers' own bookings excepted)."""
    now = now or timezone.now()
    room = Room.objects.select_related("venue__organization").get(pk=room.pk)
    venue = room.venue
    if ends_at <= starts_at:
        raise DomainError("结束时间须晚于开始时间", field="ends_at")
    if starts_at <= now:
        raise DomainError("只能预约将来的时段", field="starts_at")
    if not room.bookable:
        raise DomainError("该功能室不对外预约", field="room")
    if problem := opening_problem(venue, starts_at, ends_at):
        raise DomainError(problem, field="starts_at")
    if attendees < 1 or attendees > room.capacity:
        raise DomainError(f"人数须在 1 至 {room.capacity} 之间", field="attendees")
    manager = actor is not None and may_manage(actor, venue)
    if booker_kind == BookerKind.ORG:
        if organization is None or actor is None or not can(actor, Perm.ORG_CHANGE, organization):
            raise DomainError("只能以本人有权管理的党组织名义预约", field="organization")
        organization, unit, phone = organization, None, phone
    elif booker_kind == BookerKind.UNIT:
        if unit is None or not manager:
            raise DomainError("共建单位的预约由阵地管理人员代为登记", field="unit")
        _check_unit(unit, venue)
        organization = None
    elif booker_kind == BookerKind.RESIDENT:
        if not phone:
            raise DomainError("居民预约须先验证手机号", field="phone")
        organization = unit = None
    else:
        raise DomainError("预约方无效", field="booker_kind")
    probe = Booking(phone=phone)
    phone_hash = Booking._meta.get_field("phone_hash").compute(probe) if phone else ""
    missed = no_show_count(_booker_q(booker_kind, organization, unit, phone_hash), now)
    if missed >= venue.no_show_limit and not manager:
        raise DomainError(f"近 {NO_SHOW_DAYS} 天爽约 {missed} 次，暂停预约", code="banned")
    status = (
        BookingStatus.PENDING if venue.needs_approval and not manager else BookingStatus.APPROVED
    )
    try:
        with transaction.atomic():
            # The room row is the lock: two bookings of one room queue here.
            Room.objects.select_for_update().get(pk=room.pk)
            clash = Booking.objects.filter(
                room=room, status__in=HOLDING, starts_at__lt=ends_at, ends_at__gt=starts_at
            ).exists()
            if clash:
                raise DomainError("该时段已被预约", code="taken", field="starts_at")
            booking = Booking.objects.create(
                room=room,
                starts_at=starts_at,
                ends_at=ends_at,
                booker_kind=booker_kind,
                organization=organization,
                unit=unit,
                contact_name=contact_name,
                phone=phone,
                purpose=purpose,
                attendees=attendees,
                status=status,
                token=secrets.token_hex(16),
                created_by=actor if actor is not None and actor.is_authenticated else None,
            )
            audit.record(
                "venue.book",
                booking,
                actor=actor,
                room=room.name,
                booker=str(booking.booker),
                status=status,
            )
    except IntegrityError as exc:  # the exclusion constraint: someone else was faster
        raise DomainError("该时段已被预约", code="taken", field="starts_at") from exc
    return booking


def decide_booking(booking, *, actor, approve: bool, note="") -> Booking:
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update().select_related("room__venue").get(pk=booking.pk)
        )
        _require_manager(actor, booking.room.venue)
        if booking.status != BookingStatus.PENDING:
            raise DomainError("该预约不在待审核状态")
        booking.status = BookingStatus.APPROVED if approve else BookingStatus.REJECTED
        booking.note = note
        booking.save(update_fields=["status", "note"])
        audit.record("venue.decide", booking, actor=actor, status=booking.status, note=note)
        # The SMS is a delivery row of this transaction (notices outbox).
        _tell_booker(
            booking, "已通过审核" if approve else f"未通过审核{('：' + note) if note else ''}"
        )
    return booking


def cancel_booking(booking, *, actor, now=None) -> Booking:
    """Cancel before the start. The venue's managers cancel freely; a booker cancelling less
    than `cancel_hours` before the start is recorded as a late cancellation (counts as 爽约)."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update().select_related("room__venue").get(pk=booking.pk)
        )
        if booking.status not in (BookingStatus.PENDING, BookingStatus.APPROVED):
            raise DomainError("该预约已不能取消")
        if now >= booking.starts_at:
            raise DomainError("预约已开始，不能取消")
        manager = actor is not None and may_manage(actor, booking.room.venue)
        if actor is not None and actor.is_authenticated and not manager:
            own = booking.created_by_id == actor.pk or (
                booking.organization is not None
                and can(actor, Perm.ORG_CHANGE, booking.organization)
            )
            if not own:
                raise DomainError("无权取消该预约", code="forbidden")
        late = not manager and booking.starts_at - now < timedelta(
            hours=booking.room.venue.cancel_hours
        )
        booking.status = BookingStatus.CANCELLED
        booking.late_cancel = late
        booking.save(update_fields=["status", "late_cancel"])
        audit.record("venue.cancel", booking, actor=actor, late=late)
    return booking


def check_in_booking(booking, *, actor, now=None) -> Booking:
    """The booking's QR code, scanned at the desk (or opened by the booker) in its window."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status == BookingStatus.CHECKED_IN:
            return booking
        if booking.status != BookingStatus.APPROVED:
            raise DomainError("该预约未通过或已取消，不能签到")
        if not booking.starts_at - CHECK_IN_EARLY <= now <= booking.ends_at:
            raise DomainError("不在签到时间内(开始前 30 分钟至结束)")
        booking.status = BookingStatus.CHECKED_IN
        booking.checked_in_at = now
        booking.save(update_fields=["status", "checked_in_at"])
        audit.record("venue.check_in", booking, actor=actor)
    return booking


def sweep_no_shows(now=None) -> int:
    """Approved bookings whose time has passed without a check-in become 爽约; pending ones
    nobody decided lapse as cancelled."""
    now = now or timezone.now()
    with transaction.atomic():
        missed = list(
            Booking.objects.select_for_update().filter(
                status=BookingStatus.APPROVED, ends_at__lt=now
            )
        )
        for booking in missed:
            booking.status = BookingStatus.NO_SHOW
        Booking.objects.bulk_update(missed, ["status"])
        Booking.objects.filter(status=BookingStatus.PENDING, ends_at__lt=now).update(
            status=BookingStatus.CANCELLED, note="逾期未审核"
        )
        if missed:
            audit.record_many([("venue.no_show", b, {}) for b in missed])
    return len(missed)


def _tell_booker(booking, what):
    from xianfeng.notices.services import tell_phone

    if booking.phone:
        tell_phone(booking.phone, f"您预约的{booking.room}（{_when(booking)}）{what}。")


def _when(obj):
    start = timezone.localtime(obj.starts_at)
    return f"{start:%m月%d日 %H:%M}—{timezone.localtime(obj.ends_at):%H:%M}"
