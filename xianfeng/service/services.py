"""服务与共建 use cases: 双报到 and its services and reviews, project claiming, alliances."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from xianfeng.accounts.scoping import lineage_paths
from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.core.events import point_code, point_event
from xianfeng.orgs.models import Organization, OrgKind

from .models import (
    AllianceEvent,
    AllianceMember,
    CheckInKind,
    Claim,
    ClaimStatus,
    CommunityCheckIn,
    Direction,
    MutualReview,
    ProjectStatus,
    ServiceProject,
    ServiceRecord,
)

HOURS_CODE = point_code("volunteer.hours")  # 双报到 service, paid per hour
PROJECT_CODE = point_code("project.finished")


def register_check_in(community, *, actor, registered_on, unit=None, member=None, reason=""):
    """双报到: a unit or an in-service member registers with `community`."""
    if (unit is None) == (member is None):
        raise DomainError("请选择报到单位或报到党员(二选一)")
    kind = CheckInKind.UNIT if unit else CheckInKind.MEMBER
    try:
        with transaction.atomic():
            check_in = CommunityCheckIn.objects.create(
                community=community,
                kind=kind,
                unit=unit,
                member=member,
                reason=reason,
                registered_on=registered_on,
            )
            audit.record("checkin.register", check_in, actor=actor, community=community.code)
    except IntegrityError as exc:
        raise DomainError(f"{unit or member}已在该社区报到") from exc
    return check_in


def end_check_in(check_in, *, actor, ended_on):
    with transaction.atomic():
        check_in = CommunityCheckIn.objects.select_for_update().get(pk=check_in.pk)
        if check_in.ended_on:
            return check_in
        if ended_on < check_in.registered_on:
            raise DomainError("结束日期不能早于报到日期", field="ended_on")
        check_in.ended_on = ended_on
        check_in.save(update_fields=["ended_on"])
        audit.record("checkin.end", check_in, actor=actor)
    return check_in


def record_service(check_in, *, actor, served_on, content, hours=0, residents_served=0):
    if served_on < check_in.registered_on:
        raise DomainError("服务日期早于报到日期", field="served_on")
    if served_on > timezone.localdate():
        raise DomainError("服务日期不能晚于今天", field="served_on")
    with transaction.atomic():
        record = ServiceRecord.objects.create(
            check_in=check_in,
            served_on=served_on,
            content=content,
            hours=hours,
            residents_served=residents_served,
            recorded_by=_user(actor),
        )
        audit.record("checkin.service", check_in, actor=actor, content=content)
        if check_in.member_id and hours:
            _announce(record, check_in.member, HOURS_CODE, served_on, hours=hours)
    return record


def review_check_in(check_in, *, actor, year, direction, grade, comment=""):
    """双评议 for `year`; reviewing again the same year replaces the grade (audited)."""
    with transaction.atomic():
        review, created = MutualReview.objects.update_or_create(
            check_in=check_in,
            year=year,
            direction=direction,
            defaults={"grade": grade, "comment": comment, "reviewed_by": _user(actor)},
        )
        audit.record(
            "checkin.review", check_in, actor=actor, year=year, direction=direction, grade=grade
        )
    return review


def publish_project(org, *, actor, direction, offered_by=None, **fields):
    if direction == Direction.OFFER and offered_by is None:
        raise DomainError("单位资源项目须写明提供单位", field="offered_by")
    if fields["claim_by"] < timezone.localdate():
        raise DomainError("认领截止日期不能早于今天", field="claim_by")
    with transaction.atomic():
        project = ServiceProject.objects.create(
            organization=org,
            direction=direction,
            offered_by=offered_by if direction == Direction.OFFER else None,
            created_by=_user(actor),
            **fields,
        )
        audit.record("project.publish", project, actor=actor, organization=org.code)
        if direction == Direction.NEED:
            _tell_registered(project, actor)
    return project


def _tell_registered(project, actor):
    """A community's need reaches the members registered there under 双报到 (whatever street
    their own branch is in) as a notice: they see it and may claim it."""
    from django.urls import reverse

    from xianfeng.accounts.models import User
    from xianfeng.notices.models import NoticeKind
    from xianfeng.notices.services import notify

    members = CommunityCheckIn.objects.filter(
        community=project.organization,
        kind=CheckInKind.MEMBER,
        ended_on__isnull=True,
    ).values_list("member_id", flat=True)
    users = User.objects.filter(member_id__in=members).values_list("pk", flat=True)
    notify(
        users,
        kind=NoticeKind.PROJECT,
        title=f"社区需求待认领：{project.title}",
        body=f"{project.organization.name}发布需求，认领截止 {project.claim_by}",
        link=reverse("service:project", args=[project.pk]),
        exclude=[actor.pk] if actor is not None and actor.is_authenticated else (),
    )


def live_claims(project):
    return project.claims.exclude(status=ClaimStatus.WITHDRAWN)


def claim_project(project, *, actor, member=None, unit=None, community=None, today=None):
    """Claim a slot. Two claims racing for the last slot: the project row is locked, one wins."""
    today = today or timezone.localdate()
    _check_claimant(project, member, unit, community)
    with transaction.atomic():
        project = ServiceProject.objects.select_for_update().get(pk=project.pk)
        if project.status != ProjectStatus.OPEN or today > project.claim_by:
            raise DomainError("该项目已停止认领")
        if live_claims(project).count() >= project.slots:
            raise DomainError("名额已满，下次早点来", code="full")
        try:
            with transaction.atomic():
                claim = Claim.objects.create(
                    project=project,
                    member=member,
                    unit=unit,
                    community=community,
                    claimed_by=_user(actor),
                )
        except IntegrityError as exc:
            raise DomainError("已经认领过该项目", code="duplicate") from exc
        audit.record("project.claim", project, actor=actor, claimant=str(claim.claimant))
    return claim


def _check_claimant(project, member, unit, community):
    given = [x for x in (member, unit, community) if x is not None]
    if len(given) != 1:
        raise DomainError("认领人须为一名党员、一个单位或一个社区")
    if project.direction == Direction.NEED and community is not None:
        raise DomainError("社区需求项目由党员或共建单位认领")
    if project.direction == Direction.OFFER and community is None:
        raise DomainError("单位资源项目由社区认领")


def withdraw_claim(claim, *, actor):
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.CLAIMED:
            raise DomainError("只有进行中的认领可以放弃")
        claim.status = ClaimStatus.WITHDRAWN
        claim.save(update_fields=["status"])
        audit.record("project.withdraw", claim.project, actor=actor, claimant=str(claim.claimant))
    return claim


def report_claim(claim, *, actor, progress):
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.CLAIMED:
            raise DomainError("该认领已结束")
        claim.progress = progress
        claim.save(update_fields=["progress"])
        audit.record("project.progress", claim.project, actor=actor)
    return claim


def complete_claim(claim, *, actor, completed_on, evidence=None):
    """Finish a claim; a member's finished claim earns points (project.finished) once."""
    if completed_on > timezone.localdate():
        raise DomainError("完成日期不能晚于今天", field="completed_on")
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status == ClaimStatus.DONE:
            return claim
        if claim.status != ClaimStatus.CLAIMED:
            raise DomainError("已放弃的认领不能完成")
        claim.status = ClaimStatus.DONE
        claim.completed_on = completed_on
        if evidence:
            claim.evidence = evidence
        claim.save()
        audit.record("project.claim_done", claim.project, actor=actor, claimant=str(claim.claimant))
        if claim.member_id:
            _announce(claim, claim.member, PROJECT_CODE, completed_on)
    return claim


def set_project_status(project, status, *, actor):
    if status not in ProjectStatus.values:
        raise DomainError("未知状态")
    with transaction.atomic():
        project = ServiceProject.objects.select_for_update().get(pk=project.pk)
        if project.status != status:
            audit.record(
                "project.status", project, actor=actor, before=project.status, after=status
            )
            project.status = status
            project.save(update_fields=["status"])
    return project


def join_alliance(alliance, unit, *, actor, role, joined_on):
    try:
        with transaction.atomic():
            membership = AllianceMember.objects.create(
                alliance=alliance, unit=unit, role=role, joined_on=joined_on
            )
            audit.record("alliance.join", alliance, actor=actor, unit=unit.name)
    except IntegrityError as exc:
        raise DomainError(f"{unit}已是该联盟成员单位") from exc
    return membership


def record_alliance_event(alliance, *, actor, units=(), **fields):
    members = set(alliance.memberships.values_list("unit_id", flat=True))
    outsiders = [u.name for u in units if u.pk not in members]
    if outsiders:
        raise DomainError(f"不是联盟成员单位：{'、'.join(outsiders)}", field="units")
    with transaction.atomic():
        event = AllianceEvent.objects.create(alliance=alliance, **fields)
        event.units.set(units)
        audit.record("alliance.event", alliance, actor=actor, title=event.title)
    return event


def member_area(member):
    """The committee (usually the street's 党工委) whose needs a member may see and claim."""
    ancestors = Organization.objects.filter(path__in=lineage_paths(member.organization))
    return (
        ancestors.filter(kind=OrgKind.COMMITTEE).order_by("-depth").first() or member.organization
    )


def member_area_paths(member) -> list[str]:
    """Subtrees whose needs and activities a member sees and may claim: their own street area
    and every community they are registered with under 双报到 (in service, not ended), even in
    another street or district."""
    communities = CommunityCheckIn.objects.filter(
        member=member, kind=CheckInKind.MEMBER, ended_on__isnull=True
    ).values_list("community__path", flat=True)
    return [member_area(member).path, *communities]


def _announce(source, member, rule_code, on, hours=None):
    point_event.send(
        sender=type(source),
        member=member,
        rule_code=rule_code,
        source=source,
        occurred_on=on,
        actor=None,
        hours=hours,
    )


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None
