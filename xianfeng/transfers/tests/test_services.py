from datetime import date, timedelta

import pytest
from django.utils import timezone

from xianfeng.core.dates import add_months
from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog
from xianfeng.members.models import Member, Membership, MemberStatus
from xianfeng.orgs.models import Organization
from xianfeng.testing import in_threads, needs_pg

from .. import services
from ..batches import act_on_batch, start_batch
from ..chain import build_chain
from ..models import (
    Decision,
    StepAction,
    Transfer,
    TransferKind,
    TransferPolicy,
    TransferStatus,
)
from .factories import inbound, internal, outbound, users

pytestmark = pytest.mark.django_db


def holders(transfer):
    return [
        (s.organization.code, s.action, s.decision) for s in transfer.steps.order_by("position")
    ]


def count(org):
    org.refresh_from_db()
    return org.member_count


# ---------------------------------------------------------------- chain


def test_chain_inside_one_street_meets_at_its_committee_once(world):
    chain = build_chain(TransferKind.INTERNAL, world.branch, world.branch2)
    assert [(o.code, a) for o, a in chain] == [
        ("B1", StepAction.APPROVE),
        ("S1", StepAction.APPROVE),
        ("B2", StepAction.ACCEPT),
    ]


def test_chain_across_streets_has_both_committees(world):
    chain = build_chain(TransferKind.INTERNAL, world.group, world.other_branch)
    assert [o.code for o, _a in chain] == ["G1", "S1", "S2", "B3"]


def test_policy_drops_the_committee_inside_its_street(world):
    TransferPolicy.objects.create(organization=world.street, direct_within=True)
    inside = build_chain(TransferKind.INTERNAL, world.branch, world.branch2)
    assert [o.code for o, _a in inside] == ["B1", "B2"]
    across = build_chain(TransferKind.INTERNAL, world.branch, world.other_branch)
    assert [o.code for o, _a in across] == ["B1", "S1", "S2", "B3"]


def test_outbound_and_inbound_chains(world):
    out = build_chain(TransferKind.OUTBOUND, world.branch, None)
    assert [(o.code, a) for o, a in out] == [("B1", "approve"), ("S1", "issue")]
    into = build_chain(TransferKind.INBOUND, None, world.branch)
    assert [(o.code, a) for o, a in into] == [("S1", "approve"), ("B1", "accept")]


# ---------------------------------------------------------------- internal path


def test_internal_transfer_moves_member_with_history_and_counts(world):
    u = users(world)
    transfer = internal(world)
    assert transfer.status == TransferStatus.PENDING
    assert holders(transfer)[0] == ("B1", "approve", Decision.APPROVED)  # the sender agreed
    services.approve_step(transfer, actor=u["committee_secretary"], reason="同意")
    assert transfer.status == TransferStatus.APPROVED
    before = count(world.branch), count(world.branch2)
    services.accept_transfer(transfer, actor=u["branch2_secretary"], on=date(2026, 3, 2))
    member = Member.objects.get(pk=world.member.pk)
    assert transfer.status == TransferStatus.ACCEPTED
    assert member.organization == world.branch2
    assert (count(world.branch), count(world.branch2)) == (before[0] - 1, before[1] + 1)
    history = list(member.memberships.order_by("started_on"))
    assert [m.organization.code for m in history] == ["B1", "B2"]
    assert history[0].ended_on == date(2026, 3, 2) and history[1].ended_on is None
    assert "组织关系转接" in history[1].reason
    assert [e.action for e in transfer.events.all()] == [
        "start",
        "step.approved",
        "step.approved",
        "step.approved",
    ]
    assert AuditLog.objects.filter(action="transfer.accept", target_id=str(transfer.pk)).exists()


def test_member_request_waits_for_the_branch(world):
    transfer = internal(world, actor=world.users["member"], by_member=True)
    assert holders(transfer)[0] == ("B1", "approve", Decision.PENDING)
    with pytest.raises(DomainError) as exc:
        services.approve_step(transfer, actor=world.users["member"])
    assert exc.value.code == "forbidden"
    services.approve_step(transfer, actor=world.users["branch_secretary"])
    services.withdraw_transfer(transfer, actor=world.users["member"], reason="不走了")
    assert transfer.status == TransferStatus.WITHDRAWN
    assert Member.objects.get(pk=world.member.pk).organization == world.branch


def test_sending_branch_cannot_accept_for_the_receiving_one(world):
    u = users(world)
    transfer = internal(world)
    services.approve_step(transfer, actor=u["committee_secretary"])
    for name in ("branch_secretary", "outsider", "grid_worker", "observer", "member"):
        with pytest.raises(DomainError) as exc:
            services.accept_transfer(transfer, actor=u[name])
        assert exc.value.code == "forbidden", name
    assert Member.objects.get(pk=world.member.pk).organization == world.branch


def test_steps_act_in_order_only(world):
    u = users(world)
    transfer = internal(world)
    with pytest.raises(DomainError) as exc:
        services.accept_transfer(transfer, actor=u["branch2_secretary"])
    assert exc.value.code == "wrong_step"
    with pytest.raises(DomainError) as exc:
        services.approve_step(transfer, actor=u["branch2_secretary"])
    assert exc.value.code == "forbidden"


def test_rejection_needs_a_reason_and_closes_the_chain(world):
    u = users(world)
    transfer = internal(world)
    with pytest.raises(DomainError):
        services.reject_transfer(transfer, actor=u["committee_secretary"], reason=" ")
    services.reject_transfer(transfer, actor=u["committee_secretary"], reason="材料不全")
    assert transfer.status == TransferStatus.REJECTED
    assert [h[2] for h in holders(transfer)] == ["approved", "rejected", "cancelled"]
    assert transfer.steps.get(position=2).reason == "材料不全"
    with pytest.raises(DomainError) as exc:
        services.approve_step(transfer, actor=u["committee_secretary"])
    assert exc.value.code == "closed"
    internal(world)  # a new request is possible after the rejection


def test_withdrawal_only_by_the_sender_and_before_acceptance(world):
    u = users(world)
    transfer = internal(world)
    with pytest.raises(DomainError) as exc:
        services.withdraw_transfer(transfer, actor=u["branch2_secretary"])
    assert exc.value.code == "forbidden"
    services.approve_step(transfer, actor=u["committee_secretary"])
    services.accept_transfer(transfer, actor=u["branch2_secretary"])
    with pytest.raises(DomainError) as exc:
        services.withdraw_transfer(transfer, actor=u["branch_secretary"])
    assert exc.value.code == "closed"


def test_one_open_transfer_per_member(world):
    internal(world)
    with pytest.raises(DomainError) as exc:
        internal(world, to_org=world.other_branch)
    assert "办理中" in exc.value.message


def test_refuses_same_org_dissolved_target_and_inactive_member(world):
    with pytest.raises(DomainError):
        internal(world, to_org=world.branch)
    Organization.objects.filter(pk=world.branch2.pk).update(status="dissolved")
    world.branch2.refresh_from_db()
    with pytest.raises(DomainError):
        internal(world)
    Member.objects.filter(pk=world.other_member.pk).update(status=MemberStatus.DECEASED)
    with pytest.raises(DomainError):
        internal(world, member=world.other_member, to_org=world.branch)


def test_accepting_twice_moves_once(world):
    u = users(world)
    transfer = internal(world)
    services.approve_step(transfer, actor=u["committee_secretary"])
    services.accept_transfer(transfer, actor=u["branch2_secretary"])
    services.accept_transfer(Transfer.objects.get(pk=transfer.pk), actor=u["branch2_secretary"])
    assert Membership.objects.filter(member=world.member).count() == 2
    assert AuditLog.objects.filter(action="member.move").count() == 1


def test_member_moved_meanwhile_is_refused_at_acceptance(world):
    from xianfeng.members.services import move_members

    u = users(world)
    transfer = internal(world)
    services.approve_step(transfer, actor=u["committee_secretary"])
    move_members([world.member.pk], world.group, actor=None)
    with pytest.raises(DomainError) as exc:
        services.accept_transfer(transfer, actor=u["branch2_secretary"])
    assert exc.value.code == "moved"


def test_across_streets_needs_both_committees(world):
    u = users(world)
    transfer = internal(world, to_org=world.other_branch)
    services.approve_step(transfer, actor=u["committee_secretary"])
    with pytest.raises(DomainError):
        services.approve_step(transfer, actor=u["committee_secretary"])  # S2 holds it now
    services.approve_step(transfer, actor=u["other_committee"])
    services.accept_transfer(transfer, actor=u["outsider"])
    assert Member.objects.get(pk=world.member.pk).organization == world.other_branch


# ---------------------------------------------------------------- outbound, letters, receipts


def issued(world, on=None):
    transfer = outbound(world)
    services.issue_letter(transfer, actor=world.users["committee_secretary"], on=on)
    return transfer


def test_outbound_letter_numbered_valid_three_months_member_moves_out(world):
    transfer = issued(world, on=date(2026, 1, 31))
    assert transfer.status == TransferStatus.LETTER_ISSUED
    assert transfer.letter_no == "北组转〔2026〕第0001号"
    assert transfer.valid_until == add_months(date(2026, 1, 31), 3) == date(2026, 4, 30)
    member = Member.objects.get(pk=world.member.pk)
    assert member.status == MemberStatus.MOVED_OUT
    assert member.memberships.get().ended_on == date(2026, 1, 31)
    second = outbound(world, member=Member.objects.filter(organization=world.branch).last())
    services.issue_letter(second, actor=world.users["street_admin"], on=date(2026, 2, 1))
    assert second.letter_no == "北组转〔2026〕第0002号"


def test_the_branch_cannot_issue_the_letter(world):
    transfer = outbound(world)
    assert transfer.status == TransferStatus.APPROVED
    with pytest.raises(DomainError) as exc:
        services.issue_letter(transfer, actor=world.users["branch_secretary"])
    assert exc.value.code == "forbidden"


def test_receipt_returned(world):
    transfer = issued(world)
    with pytest.raises(DomainError):
        services.record_receipt(
            transfer, actor=world.users["branch_secretary"], returned_on=timezone.localdate()
        )
    services.record_receipt(
        transfer, actor=world.users["committee_secretary"], returned_on=timezone.localdate()
    )
    assert transfer.status == TransferStatus.RECEIPT_RETURNED


def test_letter_expires_without_receipt_and_may_still_get_it_late(world):
    today = timezone.localdate()
    transfer = issued(world, on=today - timedelta(days=120))
    assert transfer.receipt_overdue(today)
    assert services.expire_letters(today=today) == 1
    assert services.expire_letters(today=today) == 0
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.EXPIRED
    services.record_receipt(transfer, actor=world.users["committee_secretary"], returned_on=today)
    assert transfer.status == TransferStatus.RECEIPT_RETURNED
    assert "逾期" in transfer.events.last().label


def test_issuing_twice_numbers_once(world):
    transfer = issued(world)
    services.issue_letter(Transfer.objects.get(pk=transfer.pk), actor=world.users["street_admin"])
    assert Transfer.objects.get(pk=transfer.pk).letter_no.endswith("第0001号")


# ---------------------------------------------------------------- inbound


def test_inbound_registered_then_accepted_becomes_a_member(world):
    transfer = inbound(world)
    assert transfer.status == TransferStatus.APPROVED  # the committee registered it
    before = count(world.branch)
    services.accept_transfer(transfer, actor=world.users["branch_secretary"])
    member = Member.objects.get(pk=transfer.member_id)
    assert member.organization == world.branch and member.joined_on == date(2012, 7, 1)
    assert count(world.branch) == before + 1


def test_inbound_refuses_duplicate_letter_and_known_person(world):
    inbound(world)
    with pytest.raises(DomainError) as exc:
        inbound(world, 2, incoming_letter_no="京朝组转〔2026〕第0001号")
    assert exc.value.field == "incoming_letter_no"
    with pytest.raises(DomainError) as exc:
        m = world.member
        inbound(world, 3, id_number=m.id_number, birth_date=m.birth_date, gender=m.gender)
    assert exc.value.field == "id_number"
    with pytest.raises(DomainError):
        inbound(world, 4, id_number="123")


# ---------------------------------------------------------------- bulk


def test_bulk_transfer_of_a_whole_branch(world):
    u = users(world)
    internal(world)  # 张三 already has one open: skipped
    batch, skipped = start_batch(
        world.branch, world.branch2, actor=u["street_admin"], reason="村庄合并"
    )
    assert [m.name for m, _msg in skipped] == ["张三"]
    assert batch.transfers.count() == 3
    assert act_on_batch(batch, actor=u["branch2_secretary"]) == 0  # not their step yet
    assert act_on_batch(batch, actor=u["committee_secretary"]) == 3  # approves as S1
    assert act_on_batch(batch, actor=u["street_admin"]) == 3  # accepts, B2 is in its subtree
    assert set(
        Member.objects.filter(transfers__batch=batch).values_list("organization", flat=True)
    ) == {world.branch2.pk}
    with pytest.raises(DomainError):
        start_batch(world.branch, world.group, actor=u["street_admin"], reason="x")


# ---------------------------------------------------------------- concurrency (PostgreSQL)


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptance_moves_once(world):
    u = users(world)
    transfer = internal(world)
    services.approve_step(transfer, actor=u["committee_secretary"])
    copies = [Transfer.objects.get(pk=transfer.pk) for _ in range(4)]
    actors = [u["branch2_secretary"], u["street_admin"], u["committee_secretary"], u["admin"]]
    outcomes = in_threads(
        *[
            lambda t=t, a=a: services.accept_transfer(t, actor=a).status
            for t, a in zip(copies, actors, strict=True)
        ]
    )
    assert outcomes == ["accepted"] * 4
    assert Membership.objects.filter(member=world.member).count() == 2
    assert AuditLog.objects.filter(action="transfer.accept").count() == 1
    world.branch2.refresh_from_db()
    assert (
        world.branch2.member_count
        == Member.objects.active().filter(organization=world.branch2).count()
    )


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_concurrent_letters_get_distinct_numbers(world):
    members = list(Member.objects.filter(organization=world.branch)[:4])
    transfers = [outbound(world, member=m) for m in members]
    outcomes = in_threads(
        *[
            lambda t=t: services.issue_letter(t, actor=world.users["committee_secretary"]).letter_no
            for t in transfers
        ]
    )
    assert sorted(n[-6:] for n in outcomes) == ["第0001号", "第0002号", "第0003号", "第0004号"]
