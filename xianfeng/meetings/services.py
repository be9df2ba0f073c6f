"""组织生活 use cases: meetings, attendees, attendance and QR sign-in, minutes, reviews.

Plans and reminders are in plans.py; compliance in compliance.py; the ledger in ledger.py.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.core.events import point_batch, point_code, point_event, point_withdrawn
from xianfeng.core.uploads import check_upload
from xianfeng.members.models import Category, Member
from xianfeng.notices.models import NoticeKind
from xianfeng.notices.services import notify
from xianfeng.orgs.models import CommitteeSeat, CommitteeStatus, OrgKind, SeatPost

from .models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingFile,
    MeetingStatus,
    PlanItem,
    ReviewGrade,
    ReviewResult,
    SignInMethod,
    month_index,
)
from .rules import QUORUM, MeetingKind, quorum_met, too_many_excellent

SIGNIN_SALT = "xianfeng.meetings.signin"
ATTEND_CODE = point_code("meeting.attend")
ABSENT_CODE = point_code("absent.meeting")  # absent without leave: a deduction
EDITABLE = ("topic", "starts_at", "ends_at", "place", "presided_by", "lecturer", "lecturer_name")


def signin_window():
    """(before, after) the start during which a QR sign-in is accepted."""
    before, after = getattr(settings, "XIANFENG_MEETING_SIGNIN_HOURS", (1, 2))
    return timedelta(hours=before), timedelta(hours=after)


# ---------------------------------------------------------------- who belongs


def committee_member_ids(org):
    """Members holding an open seat on the organization's current committee."""
    return list(
        CommitteeSeat.objects.filter(
            committee__organization=org,
            committee__status=CommitteeStatus.CURRENT,
            ended_on__isnull=True,
        )
        .order_by("member_id")
        .values_list("member_id", flat=True)
        .distinct()
    )


def secretary_id(org):
    return (
        CommitteeSeat.objects.filter(
            committee__organization=org,
            committee__status=CommitteeStatus.CURRENT,
            ended_on__isnull=True,
            post=SeatPost.SECRETARY,
        )
        .values_list("member_id", flat=True)
        .first()
    )


def org_members(org):
    """Active members of the organization and its groups (a group's members are the branch's)."""
    return Member.objects.active().filter(organization__path__startswith=org.path)


def default_attendee_ids(org, kind):
    if kind == MeetingKind.COMMITTEE_MEETING:
        return committee_member_ids(org)
    return list(org_members(org).order_by("id").values_list("id", flat=True))


# ---------------------------------------------------------------- meetings


def _check_kind(org, kind, local_kind):
    if kind not in MeetingKind.values:
        raise DomainError("会议类型无效", field="kind")
    if kind == MeetingKind.LOCAL and not local_kind.strip():
        raise DomainError("请填写自定义会议类型的名称", field="local_kind")
    if kind == MeetingKind.GROUP_MEETING and org.kind != OrgKind.GROUP:
        raise DomainError("党小组会须由党小组召开", field="organization")
    if kind != MeetingKind.GROUP_MEETING and org.kind == OrgKind.GROUP:
        raise DomainError("党小组只能召开党小组会", field="kind")
    if kind == MeetingKind.COMMITTEE_MEETING and not committee_member_ids(org):
        raise DomainError("该组织未设支部委员会，不能召开支委会", field="kind")


def _check_people(org, fields):
    inside = org_members(org)
    for name in ("presided_by", "lecturer"):
        person = fields.get(name)
        if person is not None and not inside.filter(pk=person.pk).exists():
            raise DomainError("须为本组织的党员", field=name)
    if fields.get("ends_at") and fields["ends_at"] <= fields["starts_at"]:
        raise DomainError("结束时间须晚于开始时间", field="ends_at")


def _derived(org, kind, fields):
    local = timezone.localtime(fields["starts_at"]).date()
    lecturer = fields.get("lecturer")
    return {
        "held_on": local,
        "month_index": month_index(local),
        "given_by_secretary": kind == MeetingKind.PARTY_LECTURE
        and lecturer is not None
        and lecturer.pk == secretary_id(org),
    }


def create_meeting(
    org, *, kind, topic, starts_at, actor, local_kind="", attendee_ids=None, **fields
):
    """Arrange a meeting; its planned attendees come from the organization unless given."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise DomainError(f"未知字段：{', '.join(sorted(unknown))}")
    if not (topic or "").strip():
        raise DomainError("请填写会议主题", field="topic")
    fields = {**fields, "topic": topic.strip(), "starts_at": starts_at}
    _check_kind(org, kind, local_kind)
    _check_people(org, fields)
    ids = default_attendee_ids(org, kind) if attendee_ids is None else sorted(set(attendee_ids))
    with transaction.atomic():
        meeting = Meeting.objects.create(
            organization=org,
            kind=kind,
            local_kind=local_kind.strip(),
            created_by=_user(actor),
            **fields,
            **_derived(org, kind, fields),
        )
        _add_attendees(meeting, ids)
        _link_plan_item(meeting)
        audit.record(
            "meetings.create",
            meeting,
            actor=actor,
            kind=kind,
            starts_at=starts_at,
            invited=len(ids),
        )
    return meeting


def update_meeting(meeting, *, actor, **fields):
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise DomainError(f"未知字段：{', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        merged = {name: getattr(locked, name) for name in EDITABLE} | fields
        _check_people(locked.organization, merged)
        changed = {k: v for k, v in fields.items() if getattr(locked, k) != v}
        if not changed:
            return locked
        for name, value in (merged | _derived(locked.organization, locked.kind, merged)).items():
            setattr(locked, name, value)
        locked.save()
        audit.record("meetings.update", locked, actor=actor, changed=sorted(changed))
    return locked


def record_minutes(meeting, *, minutes, resolutions="", actor):
    """Record the minutes: the meeting counts as held from now on."""
    if not (minutes or "").strip():
        raise DomainError("请填写会议记录", field="minutes")
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status == MeetingStatus.CANCELLED:
            raise DomainError("会议已取消")
        if locked.starts_at > timezone.now():
            raise DomainError("会议尚未开始，不能登记会议记录")
        locked.minutes, locked.resolutions = minutes.strip(), (resolutions or "").strip()
        locked.status = MeetingStatus.HELD
        locked.save(update_fields=["minutes", "resolutions", "status"])
        audit.record("meetings.minutes", locked, actor=actor)
    return locked


def cancel_meeting(meeting, *, reason, actor):
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != MeetingStatus.PLANNED:
            raise DomainError("只能取消尚未召开的会议")
        locked.status = MeetingStatus.CANCELLED
        locked.save(update_fields=["status"])
        PlanItem.objects.filter(meeting=locked).update(meeting=None)
        audit.record("meetings.cancel", locked, actor=actor, reason=reason)
    return locked


def send_notice(meeting, *, actor):
    """Record that the notice went out (the first time only; sending again changes nothing)."""
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.notice_sent_at is None:
            locked.notice_sent_at = timezone.now()
            locked.save(update_fields=["notice_sent_at"])
            invited = locked.attendances.count()
            audit.record("meetings.notice", locked, actor=actor, invited=invited)
            _notify_attendees(locked)
    return locked


def _notify_attendees(meeting):
    """会议通知 to every invited member who has a login."""
    from xianfeng.accounts.models import User

    when = timezone.localtime(meeting.starts_at)
    notify(
        User.objects.filter(member__attendances__meeting=meeting).values_list("pk", flat=True),
        kind=NoticeKind.MEETING,
        title=f"{meeting.organization.name}：{meeting.kind_label}",
        body=f"{when:%m月%d日 %H:%M} {meeting.topic}",
        link=reverse("meetings:detail", args=[meeting.pk]),
    )


def add_file(meeting, *, kind, file, caption="", actor):
    try:
        check_upload(file)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="file") from exc
    with transaction.atomic():
        item = MeetingFile.objects.create(
            meeting=meeting, kind=kind, file=file, caption=caption, uploaded_by=_user(actor)
        )
        audit.record("meetings.file", meeting, actor=actor, kind=kind, name=item.file.name)
    return item


def _link_plan_item(meeting):
    """Link the first open plan item of the same kind in the same month to the meeting."""
    item = (
        PlanItem.objects.filter(
            organization=meeting.organization,
            kind=meeting.kind,
            month_index=meeting.month_index,
            meeting__isnull=True,
        )
        .order_by("due_on")
        .first()
    )
    if item is not None:
        item.meeting = meeting
        item.save(update_fields=["meeting"])


# ---------------------------------------------------------------- attendees and attendance


def _add_attendees(meeting, ids):
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=pk) for pk in ids], ignore_conflicts=True
    )


def set_attendees(meeting, member_ids, *, actor):
    """Make the planned attendees exactly `member_ids`; who already signed in stays."""
    try:
        ids = {int(pk) for pk in member_ids}
    except (TypeError, ValueError) as exc:
        raise DomainError("参会人员无效", field="members") from exc
    if not ids:
        raise DomainError("请至少选择一名参会人员", field="members")
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        allowed = set(org_members(locked.organization).values_list("id", flat=True))
        if ids - allowed:
            raise DomainError("参会人员须为本组织的党员", field="members")
        current = dict(locked.attendances.values_list("member_id", "status"))
        keep = {pk for pk, status in current.items() if status != AttendanceStatus.INVITED}
        removed = set(current) - ids - keep
        locked.attendances.filter(member_id__in=removed).delete()
        _add_attendees(locked, sorted(ids - set(current)))
        audit.record(
            "meetings.attendees",
            locked,
            actor=actor,
            added=sorted(ids - set(current)),
            removed=sorted(removed),
        )
    return locked


def mark_attendance(meeting, marks, *, actor):
    """Organizer's marks {member id: (status, reason)}; all or nothing.

    Each member newly marked present earns `meeting.attend`, newly marked absent (without
    leave) loses `absent.meeting`; a correction withdraws what the earlier mark booked. The
    point events are sent inside the transaction.
    """
    changes = []
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status == MeetingStatus.CANCELLED:
            raise DomainError("会议已取消")
        rows = {a.member_id: a for a in locked.attendances.select_related("member__organization")}
        for member_id, (status, reason) in marks.items():
            row = rows.get(int(member_id))
            if row is None:
                raise DomainError("该党员不在本次会议的参会名单中", field="members")
            if status not in AttendanceStatus.values:
                raise DomainError("出席情况无效", field="status")
            if status == AttendanceStatus.LEAVE and not (reason or "").strip():
                raise DomainError(f"{row.member.name}：请假须填写事由", field="reason")
            if row.status == status and row.reason == (reason or "").strip():
                continue
            changes.append((row, row.status, status))
            if status == AttendanceStatus.PRESENT and row.status != AttendanceStatus.PRESENT:
                row.method, row.signed_in_at = SignInMethod.ORGANIZER, timezone.now()
            row.status, row.reason, row.marked_by = status, (reason or "").strip(), _user(actor)
        Attendance.objects.bulk_update(
            [row for row, _, _ in changes],
            ["status", "reason", "method", "signed_in_at", "marked_by"],
        )
        audit.record(
            "meetings.attendance",
            locked,
            actor=actor,
            marks={str(k): v[0] for k, v in marks.items()},
        )
        _announce(locked, changes, actor)
    return attendance_counts(locked)


def _announce(meeting, changes, actor):
    """Point events for [(attendance, old status, new status)], sent inside the transaction
    and booked together (`point_batch`)."""
    with point_batch():
        _send_changes(meeting, changes, actor)


def _send_changes(meeting, changes, actor):
    for row, old, new in changes:
        for code, status in (
            (ATTEND_CODE, AttendanceStatus.PRESENT),
            (ABSENT_CODE, AttendanceStatus.ABSENT),
        ):
            if new == status and old != status:
                point_event.send(
                    sender=Attendance,
                    member=row.member,
                    rule_code=code,
                    source=row,
                    occurred_on=meeting.held_on,
                    actor=_user(actor),
                    note=str(meeting),
                )
            elif old == status and new != status:
                reason = (
                    f"{meeting}：{AttendanceStatus(old).label}改为{AttendanceStatus(new).label}"
                )
                point_withdrawn.send(
                    sender=Attendance,
                    member=row.member,
                    rule_code=code,
                    source=row,
                    reason=reason,
                    actor=_user(actor),
                )


def signin_token(meeting):
    return signing.Signer(salt=SIGNIN_SALT).sign(str(meeting.pk))


def meeting_pk_from_token(token):
    """The meeting id the token was signed for, or None when it was tampered with."""
    try:
        return int(signing.Signer(salt=SIGNIN_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def sign_in(meeting, member, *, actor, now=None):
    """A member signs in by scanning the meeting's QR code: invited, and only around the start."""
    now = now or timezone.now()
    before, after = signin_window()
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status == MeetingStatus.CANCELLED:
            raise DomainError("会议已取消")
        if not locked.starts_at - before <= now <= locked.starts_at + after:
            raise DomainError(
                f"不在签到时间内（会议开始前{_hours(before)}小时至开始后{_hours(after)}小时）"
            )
        row = locked.attendances.filter(member=member).first()
        if row is None:
            raise DomainError("您不在本次会议的参会名单中")
        if row.status == AttendanceStatus.PRESENT:
            return row, False
        old = row.status
        row.status, row.reason = AttendanceStatus.PRESENT, ""
        row.method, row.signed_in_at, row.marked_by = SignInMethod.QR, now, _user(actor)
        row.save()
        row.member = member
        audit.record("meetings.sign_in", locked, actor=actor, member=member.pk)
        _announce(locked, [(row, old, AttendanceStatus.PRESENT)], actor)
    return row, True


def open_for_sign_in(member: Member, orgs, now=None) -> QuerySet[Meeting]:
    """Meetings of `orgs` the member is invited to whose sign-in window is open now (a
    secretary scanning the member's card signs them in)."""
    now = now or timezone.now()
    before, after = signin_window()
    return (
        Meeting.objects.filter(
            organization__in=orgs,
            attendances__member=member,
            starts_at__gte=now - after,
            starts_at__lte=now + before,
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(attendances__member=member, attendances__status=AttendanceStatus.PRESENT)
        .select_related("organization")
        .order_by("starts_at")
    )


def _hours(delta):
    return int(delta.total_seconds() // 3600)


def seat_holder_ids(org, on):
    """Members holding a seat on the organization's committee on day `on` (a seat ended that
    day has passed to the next term)."""
    return set(
        CommitteeSeat.objects.filter(committee__organization=org, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .values_list("member_id", flat=True)
    )


def attendance_counts(meeting):
    counts = dict(meeting.attendances.order_by().values_list("status").annotate(n=Count("id")))
    planned = sum(counts.values())
    result = {
        "planned": planned,
        "present": counts.get(AttendanceStatus.PRESENT, 0),
        "leave": counts.get(AttendanceStatus.LEAVE, 0),
        "absent": counts.get(AttendanceStatus.ABSENT, 0),
        "unmarked": counts.get(AttendanceStatus.INVITED, 0),
        "quorum": None,
    }
    if meeting.kind in QUORUM:
        # 半数以上委员到会: counted against the seats on the meeting date, not the invitees.
        seats = seat_holder_ids(meeting.organization, meeting.held_on)
        present_seats = meeting.attendances.filter(
            member_id__in=seats, status=AttendanceStatus.PRESENT
        ).count()
        result.update(
            seats=len(seats),
            present_seats=present_seats,
            quorum=quorum_met(meeting.kind, present_seats, len(seats)),
        )
    return result


def attendance_rate(member, start, end):
    """Share of the held meetings in [start, end] the member was invited to and attended.

    Leave counts as not attended (it is shown separately); None when no meeting applies.
    """
    row = Attendance.objects.filter(
        member=member,
        meeting__status=MeetingStatus.HELD,
        meeting__held_on__gte=start,
        meeting__held_on__lte=end,
    ).aggregate(invited=Count("id"), present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)))
    return row["present"] / row["invited"] if row["invited"] else None


# ---------------------------------------------------------------- 民主评议党员


VOTE_FIELDS = ("votes_excellent", "votes_qualified", "votes_basic", "votes_unqualified")


def record_review(member, year, *, grade, actor, basis="", meeting=None, **votes):
    """Record (or correct) a member's 民主评议 result for `year`: votes, a basis, or both."""
    if grade not in ReviewGrade.values:
        raise DomainError("评议等次无效", field="grade")
    if set(votes) - set(VOTE_FIELDS):
        raise DomainError("票数字段无效")
    if any(v is not None and int(v) < 0 for v in votes.values()):
        raise DomainError("票数不能为负数")
    if not (basis or "").strip() and all(v is None for v in votes.values()):
        raise DomainError("请填写票数或评定依据", field="basis")
    with transaction.atomic():
        locked = Member.objects.locked().get(pk=member.pk)
        if was_probationary_at_year_end(locked, year):
            raise DomainError(
                f"{locked.name}是预备党员：参加民主评议，但不评定等次", field="member"
            )
        try:
            result, created = ReviewResult.objects.update_or_create(
                member=member,
                year=year,
                defaults={
                    "organization": member.organization,
                    "grade": grade,
                    "basis": (basis or "").strip(),
                    "meeting": meeting,
                    "recorded_by": _user(actor),
                    **{f: votes.get(f) for f in VOTE_FIELDS},
                },
            )
        except IntegrityError as exc:  # pragma: no cover - the lock above serializes writers
            raise DomainError("评议结果已由他人登记，请刷新后重试") from exc
        audit.record("meetings.review", member, actor=actor, year=year, grade=grade, new=created)
    return result


def was_probationary_at_year_end(member, year) -> bool:
    year_end = date(year, 12, 31)
    if member.category == Category.PROBATIONARY:
        return True
    return member.confirmed_on is not None and member.confirmed_on > year_end


def review_warnings(org, year) -> list[str]:
    """Warnings on an organization's 民主评议 of `year` (rules.REVIEW_SOURCE)."""
    grades = list(
        ReviewResult.objects.filter(organization=org, year=year).values_list("grade", flat=True)
    )
    excellent = grades.count(ReviewGrade.EXCELLENT)
    if too_many_excellent(excellent, len(grades)):
        return [f"评为优秀{excellent}名，超过参评党员{len(grades)}名的三分之一"]
    return []


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None
