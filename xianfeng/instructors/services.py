"""党建指导员 use cases: appoint and assign, duty records, reports, windows, meetings.

Scoping (docs/modules/instructors.md): assigning an instructor whose member has a login
grants that login the `instructor` role on the organization (org.view, member.view,
instructor.log there and below); ending the last open assignment on it removes the grant.
So an instructor sees, and records for, exactly the organizations assigned to them,
through the same RoleGrant mechanism as everyone else.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from xianfeng.accounts.models import RoleGrant
from xianfeng.accounts.roles import Perm, Role
from xianfeng.accounts.scoping import can, forget_grants
from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.core.events import point_code, point_event
from xianfeng.members.models import Member
from xianfeng.orgs.models import OrgKind

from .models import (
    Assignment,
    CollectionWindow,
    Instructor,
    InstructorMeeting,
    Submission,
    Visit,
    VisitKind,
    WindowKind,
    WorkReport,
)
from .rules import eligibility_errors

VISIT_CODE = point_code("instructor.visit")
GUIDED_KINDS = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE)


def _today():
    return timezone.localdate()


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _login_of(member):
    from xianfeng.accounts.models import User

    return User.objects.filter(member=member).first()


def appoint_instructor(member, *, office, organizations, started_on, actor, department=""):
    """Register `member` as an instructor of `office` and assign the organizations, at once."""
    if office.kind != OrgKind.COMMITTEE:
        raise DomainError("党建指导员由街道党(工)委等党委选派", field="office")
    if not organizations:
        raise DomainError("请至少选择一个指导的党组织", field="organizations")
    with transaction.atomic():
        member = Member.objects.locked().get(pk=member.pk)
        errors = eligibility_errors(member, started_on)
        if errors:
            raise DomainError("；".join(errors) + "，不符合选派条件", field="member")
        try:
            with transaction.atomic():
                instructor = Instructor.objects.create(
                    member=member,
                    office=office,
                    department=department,
                    appointed_on=started_on,
                    created_by=_user(actor),
                )
        except IntegrityError as exc:
            raise DomainError(f"{member.name}已是党建指导员", field="member") from exc
        audit.record("instructor.appoint", instructor, actor=actor, office=office.pk)
        for org in organizations:
            assign_instructor(instructor, org, started_on=started_on, actor=actor)
    return instructor


def assign_instructor(instructor, org, *, started_on, actor):
    """Add one organization to an instructor (inside the office's subtree)."""
    with transaction.atomic():
        instructor = (
            Instructor.objects.select_for_update()
            .select_related("member", "office")
            .get(pk=instructor.pk)
        )
        _check_target(instructor, org)
        errors = eligibility_errors(instructor.member, started_on)
        if errors:
            raise DomainError("；".join(errors) + "，不符合选派条件")
        if started_on > _today():
            raise DomainError("开始日期不能晚于今天", field="started_on")
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    instructor=instructor, organization=org, started_on=started_on
                )
        except IntegrityError as exc:
            raise DomainError(f"{instructor}已在指导{org.name}", field="organization") from exc
        _grant(instructor, org, actor)
        audit.record(
            "instructor.assign", instructor, actor=actor, org=org.pk, started_on=started_on
        )
    return assignment


def _check_target(instructor, org):
    if org.kind not in GUIDED_KINDS:
        raise DomainError("党小组不单独配备党建指导员", field="organization")
    if not org.is_active:
        raise DomainError(f"{org.name}已撤销", field="organization")
    office = instructor.office
    if org.pk == office.pk or not org.path.startswith(office.path):
        raise DomainError(f"{org.name}不在{office.name}的下级组织中", field="organization")


def _grant(instructor, org, actor):
    user = _login_of(instructor.member)
    if user is None or user.is_superuser:
        return
    _grant, created = RoleGrant.objects.get_or_create(
        user=user, organization=org, role=Role.INSTRUCTOR, defaults={"granted_by": _user(actor)}
    )
    if created:
        audit.record("user.grant", user, actor=actor, role=Role.INSTRUCTOR, organization=org.pk)
    forget_grants(user)


def end_assignment(assignment, *, ended_on, actor):
    """Stop guiding an organization; the login loses the instructor role there."""
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update()
            .select_related("instructor__member", "organization")
            .get(pk=assignment.pk)
        )
        if assignment.ended_on is not None:
            raise DomainError("该指导关系已结束")
        if ended_on < assignment.started_on:
            raise DomainError("结束日期不能早于开始日期", field="ended_on")
        if ended_on > _today():
            raise DomainError("结束日期不能晚于今天", field="ended_on")
        assignment.ended_on = ended_on
        assignment.save(update_fields=["ended_on"])
        _revoke(assignment.instructor, assignment.organization, actor)
        audit.record(
            "instructor.unassign",
            assignment.instructor,
            actor=actor,
            org=assignment.organization_id,
            ended_on=ended_on,
        )
    return assignment


def _revoke(instructor, org, actor):
    user = _login_of(instructor.member)
    if user is None:
        return
    deleted, _rows = RoleGrant.objects.filter(
        user=user, organization=org, role=Role.INSTRUCTOR
    ).delete()
    if deleted:
        audit.record("user.revoke", user, actor=actor, role=Role.INSTRUCTOR, organization=org.pk)
    forget_grants(user)


def _check_actor(instructor, org, actor):
    """The instructor records their own work; the office may record it for them."""
    own = actor.member_id is not None and actor.member_id == instructor.member_id
    if not (own and can(actor, Perm.INSTRUCTOR_LOG, org)) and not can(
        actor, Perm.INSTRUCTOR_MANAGE, org
    ):
        raise DomainError("只能登记本人指导的党组织的履职记录")


def _assigned_on(instructor, org, day):
    return Assignment.objects.filter(
        instructor=instructor, organization=org, started_on__lte=day
    ).exclude(ended_on__lt=day)


def record_visit(instructor, org, *, visited_on, kind, content, actor):
    """到岗履责: a day's work at an assigned organization (double submits refused)."""
    if kind not in VisitKind.values:
        raise DomainError("请选择类别", field="kind")
    if not content.strip():
        raise DomainError("请填写工作内容", field="content")
    if visited_on > _today():
        raise DomainError("日期不能晚于今天", field="visited_on")
    _check_actor(instructor, org, actor)
    if not _assigned_on(instructor, org, visited_on).exists():
        raise DomainError(f"{visited_on}{instructor}未指导{org.name}", field="organization")
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                instructor=instructor,
                organization=org,
                visited_on=visited_on,
                kind=kind,
                content=content.strip(),
                recorded_by=_user(actor),
            )
            audit.record("instructor.visit", visit, actor=actor, org=org.pk, kind=kind)
            _announce(visit, actor)
    except IntegrityError as exc:
        raise DomainError("当天该类履职记录已登记", field="visited_on") from exc
    return visit


def _announce(visit, actor):
    point_event.send(
        sender=Visit,
        member=visit.instructor.member,
        rule_code=VISIT_CODE,
        source=visit,
        occurred_on=visit.visited_on,
        actor=_user(actor),
    )


def submit_report(instructor, *, reported_on, title, content, actor):
    if reported_on > _today():
        raise DomainError("汇报日期不能晚于今天", field="reported_on")
    own = actor.member_id == instructor.member_id
    if not own and not can(actor, Perm.INSTRUCTOR_MANAGE, instructor.office):
        raise DomainError("只能提交本人的工作汇报")
    try:
        with transaction.atomic():
            report = WorkReport.objects.create(
                instructor=instructor,
                reported_on=reported_on,
                title=title.strip(),
                content=content.strip(),
                recorded_by=_user(actor),
            )
            audit.record("instructor.report", report, actor=actor, instructor=instructor.pk)
    except IntegrityError as exc:
        raise DomainError(f"已有标题为“{title}”的工作汇报", field="title") from exc
    return report


def open_window(office, *, kind, period_start, period_end, opens_on, closes_on, actor):
    """The office sets when logs (every two quarters) or ledgers (yearly) are collected."""
    if kind not in WindowKind.values:
        raise DomainError("请选择收取内容", field="kind")
    if period_end < period_start:
        raise DomainError("所属期间止不能早于期间起", field="period_end")
    if closes_on < opens_on:
        raise DomainError("截止日期不能早于开始收取日期", field="closes_on")
    try:
        with transaction.atomic():
            window = CollectionWindow.objects.create(
                office=office,
                kind=kind,
                period_start=period_start,
                period_end=period_end,
                opens_on=opens_on,
                closes_on=closes_on,
                created_by=_user(actor),
            )
            audit.record("instructor.window", window, actor=actor, office=office.pk, kind=kind)
    except IntegrityError as exc:
        raise DomainError("该期间的收取窗口已设定", field="period_start") from exc
    return window


def submit_log(window, instructor, *, actor, submitted_on=None, note=""):
    """Hand in the log/ledger for a window; after the deadline it is accepted and marked late."""
    submitted_on = submitted_on or _today()
    if instructor.office_id != window.office_id:
        raise DomainError("该收取窗口不属于本指导员的选派组织")
    if submitted_on < window.opens_on:
        raise DomainError(f"{window}将于{window.opens_on}开始收取")
    if submitted_on > _today():
        raise DomainError("提交日期不能晚于今天", field="submitted_on")
    own = actor.member_id == instructor.member_id
    if not own and not can(actor, Perm.INSTRUCTOR_MANAGE, window.office):
        raise DomainError("只能提交本人的工作日志")
    visits = instructor.visits.filter(
        visited_on__range=(window.period_start, window.period_end)
    ).count()
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                window=window,
                instructor=instructor,
                submitted_on=submitted_on,
                visits=visits,
                note=note,
                recorded_by=_user(actor),
            )
            audit.record("instructor.submit", submission, actor=actor, window=window.pk)
    except IntegrityError as exc:
        raise DomainError(f"{instructor}已提交{window}") from exc
    return submission


def record_meeting(office, *, kind, held_on, topic, minutes, attendees, actor):
    """工作例会/座谈会 with its minutes; attendees are the office's instructors."""
    if held_on > _today():
        raise DomainError("召开日期不能晚于今天", field="held_on")
    if not minutes.strip():
        raise DomainError("请填写会议纪要", field="minutes")
    attendees = list(attendees)
    if any(i.office_id != office.pk for i in attendees):
        raise DomainError("参会人员须为本组织选派的党建指导员", field="attendees")
    try:
        with transaction.atomic():
            meeting = InstructorMeeting.objects.create(
                office=office,
                kind=kind,
                held_on=held_on,
                topic=topic.strip(),
                minutes=minutes.strip(),
                recorded_by=_user(actor),
            )
            meeting.attendees.set(attendees)
            audit.record(
                "instructor.meeting", meeting, actor=actor, attendees=[i.pk for i in attendees]
            )
    except IntegrityError as exc:
        raise DomainError("该日已登记同类会议", field="held_on") from exc
    return meeting
