"""换届选举 use cases: plan, nominate, record the meeting's votes, approve or reject.

Approval belongs to the level above: the actor must hold `election.approve` on the parent
organization, so nobody approves their own organization's election. Approval starts the new
committee (orgs.services.start_committee, dated the election meeting so the term counts from
it) and seats the elected from the approval date; the previous seats end that same day.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can
from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.members.models import VOTING_STATUSES, Category, Member
from xianfeng.orgs import services as org_services
from xianfeng.orgs.models import Committee, CommitteeStatus, Organization, OrgKind, SeatPost
from xianfeng.orgs.rules import refuse_if_temporary

from .models import Election, ElectionStatus, Nomination, ResultStatus
from .rules import count_votes, margin_short, quorum_met

MAX_SEATS = 15


def _today():
    return timezone.localdate()


def _locked(election):
    return Election.objects.select_for_update().select_related("organization").get(pk=election.pk)


def _require(election, *statuses):
    if election.status not in statuses:
        raise DomainError(f"该换届选举当前为“{election.get_status_display()}”，不能办理此事项")


def plan_election(org, *, planned_on, seats, actor, plan=""):
    """Start an election for `org`; the committee being renewed is its current one (if any)."""
    if org.kind == OrgKind.GROUP:
        raise DomainError("党小组不设委员会，不进行换届选举", field="organization")
    if not org.is_active:
        raise DomainError(f"{org.name}已撤销", field="organization")
    refuse_if_temporary(org, "election")
    if not 1 <= seats <= MAX_SEATS:
        raise DomainError(f"应选人数应为1至{MAX_SEATS}名", field="seats")
    current = Committee.objects.filter(organization=org, status=CommitteeStatus.CURRENT).first()
    try:
        with transaction.atomic():
            election = Election.objects.create(
                organization=org,
                committee=current,
                planned_on=planned_on,
                seats=seats,
                plan=plan,
                created_by=_user(actor),
            )
            audit.record("election.plan", election, actor=actor, org=org.pk, planned_on=planned_on)
    except IntegrityError as exc:
        raise DomainError(f"{org.name}已有进行中的换届选举", field="organization") from exc
    return election


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def nominate(election, member, *, post, actor, source="members"):
    """Add a candidate; the first one moves the election from planned to nominating."""
    if post not in SeatPost.values:
        raise DomainError("请选择拟任职务", field="post")
    with transaction.atomic():
        election = _locked(election)
        _require(election, ElectionStatus.PLANNED, ElectionStatus.NOMINATING)
        member = Member.objects.select_related("organization").get(pk=member.pk)
        _check_candidate(election.organization, member)
        if post == SeatPost.SECRETARY and election.nominations.filter(post=post).exists():
            raise DomainError("书记只能提名一名候选人", field="post")
        try:
            with transaction.atomic():
                nomination = Nomination.objects.create(
                    election=election, member=member, post=post, source=source
                )
        except IntegrityError as exc:
            raise DomainError(f"{member.name}已被提名", field="member") from exc
        if election.status == ElectionStatus.PLANNED:
            election.status = ElectionStatus.NOMINATING
            election.save(update_fields=["status"])
        audit.record("election.nominate", election, actor=actor, member=member.pk, post=post)
    return nomination


def _check_candidate(org, member):
    if not member.organization.path.startswith(org.path):
        raise DomainError(f"{member.name}不是{org.name}的党员", field="member")
    if member.status not in VOTING_STATUSES:
        raise DomainError(
            f"{member.name}党籍状态为{member.get_status_display()}，没有选举权和被选举权",
            field="member",
        )
    if member.category != Category.FULL:
        raise DomainError(f"{member.name}是预备党员，没有被选举权", field="member")


def withdraw_nomination(nomination, *, actor):
    with transaction.atomic():
        election = _locked(nomination.election)
        _require(election, ElectionStatus.PLANNED, ElectionStatus.NOMINATING)
        audit.record("election.withdraw", election, actor=actor, member=nomination.member_id)
        nomination.delete()


def eligible_voters(org) -> int:
    """正式党员 of the organization's subtree (its groups included) who may vote: not under
    留党察看, 留置 or 逮捕, and not out of contact (rules.VOTERS_SOURCE)."""
    return Member.objects.filter(
        organization__path__startswith=org.path,
        category=Category.FULL,
        status__in=VOTING_STATUSES,
    ).count()


def record_votes(election, *, held_on, eligible, present, votes, actor):
    """The election meeting: validity (quorum), every candidate's votes, who is elected.

    `votes` maps nomination id → votes for. Refuses an invalid meeting and a tie at the last
    seat (the tied candidates need another ballot); nothing is saved then.
    """
    with transaction.atomic():
        election = _locked(election)
        _require(election, ElectionStatus.NOMINATING)
        nominations = {n.pk: n for n in election.nominations.select_related("member")}
        if margin_short(len(nominations), election.seats):
            raise DomainError(
                f"候选人{len(nominations)}名，应选{election.seats}名，差额比例不足20%，"
                "不能进行选举，请增加候选人"
            )
        _check_meeting(election, held_on, eligible, present)
        counted = _check_votes(nominations, votes, present)
        outcome = count_votes(counted, present, election.seats)
        if outcome.tied:
            names = "、".join(nominations[pk].member.name for pk in outcome.tied)
            raise DomainError(f"{names}票数相等，不能确定当选人，应就票数相等的候选人再次投票")
        for pk, nomination in nominations.items():
            nomination.votes = counted[pk]
            nomination.elected = pk in outcome.elected
            nomination.result = _awaiting(nomination) if nomination.elected else ResultStatus.NONE
        Nomination.objects.bulk_update(nominations.values(), ["votes", "elected", "result"])
        election.held_on, election.eligible, election.present = held_on, eligible, present
        election.status = ElectionStatus.VOTED
        election.save(update_fields=["held_on", "eligible", "present", "status"])
        audit.record(
            "election.vote",
            election,
            actor=actor,
            held_on=held_on,
            eligible=eligible,
            present=present,
            votes=counted,
            elected=outcome.elected,
        )
    return outcome.elected


def _check_meeting(election, held_on, eligible, present):
    if held_on > _today():
        raise DomainError("选举日期不能晚于今天", field="held_on")
    if election.committee and held_on <= election.committee.elected_on:
        raise DomainError("选举日期应晚于上一届的选举日期", field="held_on")
    if eligible < 1:
        raise DomainError("应到会有选举权人数至少为1", field="eligible")
    if present > eligible:
        raise DomainError("实到会人数不能多于应到会人数", field="present")
    if not quorum_met(eligible, present):
        raise DomainError(
            f"实到会{present}人，未超过应到会{eligible}人的五分之四，会议无效，不能进行选举",
            field="present",
        )


def _check_votes(nominations, votes, present):
    if not nominations:
        raise DomainError("还没有候选人")
    counted = {}
    for pk, nomination in nominations.items():
        value = votes.get(pk)
        if value is None:
            raise DomainError(f"请填写{nomination.member.name}的得票数")
        if not 0 <= int(value) <= present:
            raise DomainError(f"{nomination.member.name}的得票数不能超过实到会人数{present}")
        counted[pk] = int(value)
    return counted


def _awaiting(nomination):
    return (
        ResultStatus.AWAITING_APPROVAL
        if nomination.needs_approval
        else ResultStatus.AWAITING_FILING
    )


def decide_election(election, *, approve, on, actor, note=""):
    """The level above answers the report of the result (rules.APPROVAL_SOURCE).

    Two paths per elected result: 委员 are filed (备案) — the level above records receipt and
    cannot refuse them; 书记 and 副书记 need its approval (批准). `approve=True` files the 委员
    and approves the 书记/副书记, then starts the new committee (seats from `on`). `approve=False`
    refuses the 书记/副书记 (a reason is required; the 委员 are still recorded as filed) and
    seats nobody: the organization elects again. With no 书记/副书记 among those elected there
    is nothing to refuse. Each result keeps its status, date and who acted.
    """
    with transaction.atomic():
        election = _locked(election)
        _require(election, ElectionStatus.VOTED)
        parent = Organization.objects.get_parent(election.organization)
        if parent is None or not can(actor, Perm.ELECTION_APPROVE, parent):
            raise DomainError("换届选举结果须由上级党组织批复，您无权批复")
        if on > _today():
            raise DomainError("批复日期不能晚于今天", field="on")
        if on < election.held_on:
            raise DomainError("批复日期不能早于选举日期", field="on")
        elected = list(election.nominations.filter(elected=True))
        if approve:
            _seat_elected(election, on, actor)
            election.status = ElectionStatus.APPROVED
        else:
            if not any(n.needs_approval for n in elected):
                raise DomainError(
                    "委员的选举结果报上级备案，不需批准；当选人中没有需要批准的书记、副书记",
                    field="approve",
                )
            if not note.strip():
                raise DomainError("不予批准时请填写意见", field="note")
            election.status = ElectionStatus.REJECTED
        for nomination in elected:
            if not nomination.needs_approval:
                nomination.result = ResultStatus.FILED
            else:
                nomination.result = ResultStatus.APPROVED if approve else ResultStatus.REJECTED
            nomination.result_on, nomination.result_by = on, _user(actor)
        Nomination.objects.bulk_update(elected, ["result", "result_on", "result_by"])
        election.decided_on, election.decided_by = on, _user(actor)
        election.decision_note = note
        election.save()
        audit.record(
            "election.approve" if approve else "election.reject",
            election,
            actor=actor,
            on=on,
            note=note,
            committee=election.new_committee_id,
            results={n.pk: n.result for n in elected},
        )
    return election


def _seat_elected(election, on, actor):
    elected = list(election.nominations.filter(elected=True).select_related("member"))
    if not elected:
        raise DomainError("没有当选人，不能批准，请不予批准后重新选举")
    current = Committee.objects.filter(
        organization=election.organization, status=CommitteeStatus.CURRENT
    ).first()
    if current:
        for seat in current.seats.filter(ended_on__isnull=True):
            org_services.end_seat(seat, ended_on=max(on, seat.started_on), actor=actor)
    committee = org_services.start_committee(
        election.organization,
        elected_on=election.held_on,
        actor=actor,
        note=f"换届选举，{on}批复",
    )
    for nomination in sorted(elected, key=lambda n: n.post != SeatPost.SECRETARY):
        org_services.assign_seat(
            committee, nomination.member, nomination.post, started_on=on, actor=actor
        )
    election.new_committee = committee


def reschedule_renewal(org, *, ends_on, approved_on, approval, reason, actor):
    """换届延期或提前, approved by the level above (like the result, never by the organization
    itself): moves the current committee's end date, at most one year (orgs.rules)."""
    parent = Organization.objects.get_parent(org)
    if parent is None or not can(actor, Perm.ELECTION_APPROVE, parent):
        raise DomainError("延期或提前换届须经上级党组织批准，您无权办理")
    current = Committee.objects.filter(organization=org, status=CommitteeStatus.CURRENT).first()
    if current is None:
        raise DomainError(f"{org.name}没有本届委员会，无需调整换届日期")
    return org_services.reschedule_committee(
        current,
        ends_on=ends_on,
        approved_on=approved_on,
        approval=approval,
        reason=reason,
        actor=actor,
    )


# ---------------------------------------------------------------- term reminders

TERM_REMINDERS = (90, 30, 0)  # days before the end; 0 = the term has ended


def remind_expiring_terms(today) -> int:
    """Tell each organization whose committee's term ends within 90 days (again at 30 and
    when it has ended) to prepare its 换届; daily, idempotent. Returns notices written."""
    from xianfeng.notices.models import NoticeKind
    from xianfeng.notices.services import grant_holders, notify

    written = 0
    for committee in org_services.terms_due(Organization.objects.all(), today, TERM_REMINDERS[0]):
        left = (committee.ends_on - today).days
        threshold = min(d for d in TERM_REMINDERS if left <= d) if left > 0 else 0
        org = committee.organization
        when = "已届满" if left <= 0 else f"将于{committee.ends_on:%Y-%m-%d}届满"
        with transaction.atomic():
            written += len(
                notify(
                    grant_holders(org, Perm.ORG_CHANGE),
                    kind=NoticeKind.TERM,
                    title=f"{org.name}本届班子任期{when}",
                    body=f"届满日期 {committee.ends_on:%Y-%m-%d}，请按期筹备换届选举",
                    link=reverse("elections:plan", args=[org.pk]),
                    key=f"term:{committee.pk}:{committee.ends_on:%Y%m%d}:{threshold}",
                )
            )
    return written
