from datetime import date, timedelta

import pytest
from django.utils import timezone

from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog
from xianfeng.members.models import Member, Membership, MemberStatus
from xianfeng.orgs import services
from xianfeng.orgs.models import (
    Committee,
    CommitteeStatus,
    Organization,
    OrgChange,
    OrgKind,
    OrgStatus,
    SeatPost,
)
from xianfeng.testing import make_member, make_org


def today():
    return timezone.localdate()


@pytest.fixture
def actor(world):
    return world.users["street_admin"]


def fresh(org):
    return Organization.objects.get(pk=org.pk)


def test_create_child_records_history_and_audit(world, actor):
    org = services.create_org(
        world.street, actor=actor, code="N1", name="新支部", kind=OrgKind.BRANCH
    )
    assert Organization.objects.get_parent(fresh(org)) == world.street
    assert OrgChange.objects.filter(organization=org, kind=OrgChange.Kind.CREATE).exists()
    assert AuditLog.objects.filter(action="org.create", target_id=str(org.pk)).exists()


@pytest.mark.parametrize(
    ("parent", "kind", "message"),
    [
        ("street", OrgKind.GROUP, "党小组只能设在党支部之下"),
        ("branch", OrgKind.BRANCH, "党支部只能设在党委或党总支之下"),
        ("branch", OrgKind.GENERAL_BRANCH, "党总支只能设在党委之下"),
        ("group", OrgKind.GROUP, "党小组只能设在党支部之下"),
        ("branch", OrgKind.COMMITTEE, "党委只能设在党委之下"),
    ],
)
def test_nesting_rules(world, actor, parent, kind, message):
    with pytest.raises(DomainError, match=message):
        services.create_org(getattr(world, parent), actor=actor, code="X", name="错", kind=kind)
    assert not Organization.objects.filter(code="X").exists()


def test_allowed_nesting(world, actor):
    gb = services.create_org(
        world.street, actor=actor, code="GB", name="总支", kind=OrgKind.GENERAL_BRANCH
    )
    br = services.create_org(
        gb, actor=actor, code="BR", name="支部", kind=OrgKind.BRANCH, is_temporary=True
    )
    services.create_org(br, actor=actor, code="GR", name="小组", kind=OrgKind.GROUP)
    assert Organization.objects.get_descendants(fresh(gb)).count() == 2


def test_duplicate_code_refused(world, actor):
    with pytest.raises(DomainError, match="组织代码 B1 已被使用"):
        services.create_org(world.street, actor=actor, code="B1", name="重复", kind=OrgKind.BRANCH)


def test_only_branches_can_be_temporary(world, actor):
    with pytest.raises(DomainError, match="只有党支部"):
        services.create_org(
            world.street,
            actor=actor,
            code="T",
            name="临时",
            kind=OrgKind.GENERAL_BRANCH,
            is_temporary=True,
        )


def test_update_rename_kept_in_history(world, actor):
    services.update_org(world.branch, actor=actor, name="北关社区第一党支部")
    change = OrgChange.objects.get(organization=world.branch, kind=OrgChange.Kind.RENAME)
    assert "北关社区党支部" in change.detail
    assert fresh(world.branch).name == "北关社区第一党支部"


def test_update_kind_must_fit_children(world, actor):
    with pytest.raises(DomainError, match="下设有党小组"):
        services.update_org(world.branch, actor=actor, kind=OrgKind.GENERAL_BRANCH)


def test_update_nothing_changed_writes_nothing(world, actor):
    services.update_org(world.branch, actor=actor, name=world.branch.name)
    assert not AuditLog.objects.filter(action="org.update").exists()


def test_move_subtree(world, actor):
    services.move_org(world.branch, world.other_street, actor=actor)
    branch, group = fresh(world.branch), fresh(world.group)
    assert Organization.objects.get_parent(branch) == world.other_street
    assert group.path.startswith(branch.path)
    assert (
        OrgChange.objects.get(organization=branch, kind=OrgChange.Kind.MOVE).other
        == world.other_street
    )
    assert fresh(world.street).numchild == 1


def test_move_into_own_subtree_refused(world, actor):
    with pytest.raises(DomainError, match="自己或它的下级"):
        services.move_org(world.street, world.branch, actor=actor)
    with pytest.raises(DomainError, match="自己或它的下级"):
        services.move_org(world.branch, world.branch, actor=actor)
    assert Organization.objects.get_parent(fresh(world.branch)) == world.street


def test_move_respects_nesting(world, actor):
    with pytest.raises(DomainError, match="党支部只能设在"):
        services.move_org(world.branch, world.branch2, actor=actor)


def test_merge_moves_members_children_and_history(world, actor):
    on = today() - timedelta(days=1)
    target = services.merge_orgs(world.branch, world.branch2, actor=actor, on=on)
    source = fresh(world.branch)
    assert source.status == OrgStatus.DISSOLVED and source.dissolved_on == on
    assert Member.objects.get(name="张三").organization == target
    assert Membership.objects.get(member__name="张三", ended_on=on).organization == source
    assert target.member_count == 5 and source.member_count == 0
    assert Organization.objects.get_parent(fresh(world.group)) == target
    assert OrgChange.objects.filter(
        organization=source, kind=OrgChange.Kind.MERGED_AWAY, other=target
    ).exists()
    assert OrgChange.objects.filter(
        organization=target, kind=OrgChange.Kind.MERGE_IN, other=source
    ).exists()
    assert AuditLog.objects.filter(action="org.merge").exists()


def test_merge_ends_source_committee(world, actor):
    committee = services.start_committee(world.branch, elected_on=today(), actor=actor)
    seat = services.assign_seat(
        committee, world.member, SeatPost.SECRETARY, started_on=today(), actor=actor
    )
    services.merge_orgs(world.branch, world.branch2, actor=actor)
    committee.refresh_from_db()
    seat.refresh_from_db()
    assert committee.status == CommitteeStatus.ENDED and seat.ended_on == today()


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("branch", "branch", "它自己"),
        ("street", "branch", "下级组织"),
        ("branch", "street", "党小组只能"),
    ],
)
def test_merge_refusals(world, actor, source, target, message):
    with pytest.raises(DomainError, match=message):
        services.merge_orgs(getattr(world, source), getattr(world, target), actor=actor)
    assert fresh(world.branch).status == OrgStatus.ACTIVE


def test_split(world, actor):
    li = list(Member.objects.filter(name__startswith="李").values_list("pk", flat=True))
    new = services.split_org(
        world.branch,
        new_name="北关社区第二党支部",
        new_code="B1-2",
        member_ids=li[:2],
        child_ids=[world.group.pk],
        actor=actor,
    )
    assert Organization.objects.get_parent(new) == world.street and new.kind == OrgKind.BRANCH
    assert new.member_count == 2 and fresh(world.branch).member_count == 2
    assert Organization.objects.get_parent(fresh(world.group)) == new
    assert OrgChange.objects.filter(kind=OrgChange.Kind.SPLIT).count() == 2


def test_split_refuses_foreign_members(world, actor):
    with pytest.raises(DomainError, match="不全是本组织"):
        services.split_org(
            world.branch,
            new_name="分",
            new_code="S-X",
            member_ids=[world.other_member.pk],
            child_ids=[],
            actor=actor,
        )
    assert not Organization.objects.filter(code="S-X").exists()


def test_dissolve_refusals(world, actor):
    with pytest.raises(DomainError, match="还有在册党员"):
        services.dissolve_org(world.branch2, actor=actor)
    empty = make_org("空支部", parent=world.street)
    make_org("空小组", parent=empty, kind=OrgKind.GROUP)
    with pytest.raises(DomainError, match="未撤销的下级组织"):
        services.dissolve_org(empty, actor=actor)
    assert fresh(empty).status == OrgStatus.ACTIVE


def test_dissolve_keeps_history(world, actor):
    empty = make_org("空支部", parent=world.street)
    gone = make_member(empty, "转出者")
    Member.objects.filter(pk=gone.pk).update(status=MemberStatus.MOVED_OUT)
    services.dissolve_org(empty, actor=actor, on=today())
    empty = fresh(empty)
    assert empty.status == OrgStatus.DISSOLVED and empty.dissolved_on == today()
    assert OrgChange.objects.filter(organization=empty, kind=OrgChange.Kind.DISSOLVE).exists()
    with pytest.raises(DomainError, match="已撤销"):
        services.dissolve_org(empty, actor=actor)
    with pytest.raises(DomainError, match="已撤销"):
        services.create_org(empty, actor=actor, code="Z", name="子", kind=OrgKind.GROUP)


def test_start_committee_ends_previous(world, actor):
    first = services.start_committee(
        world.branch, elected_on=date(2020, 3, 1), term_years=3, actor=actor
    )
    assert first.ends_on == date(2023, 3, 1)
    second = services.start_committee(world.branch, elected_on=date(2023, 3, 2), actor=actor)
    first.refresh_from_db()
    assert first.status == CommitteeStatus.ENDED
    assert second.term_years == 5 and second.ends_on == date(2028, 3, 2)
    assert (
        Committee.objects.filter(organization=world.branch, status=CommitteeStatus.CURRENT).count()
        == 1
    )
    with pytest.raises(DomainError, match="应晚于上一届"):
        services.start_committee(world.branch, elected_on=date(2023, 3, 2), actor=actor)


def test_leap_day_term_ends_on_28_february(world, actor):
    committee = services.start_committee(world.branch, elected_on=date(2024, 2, 29), actor=actor)
    assert committee.ends_on == date(2029, 2, 28)


def test_group_has_no_committee(world, actor):
    with pytest.raises(DomainError, match="党小组不设委员会"):
        services.start_committee(world.group, elected_on=today(), actor=actor)


def test_seats(world, actor):
    committee = services.start_committee(world.street, elected_on=today(), actor=actor)
    seat = services.assign_seat(
        committee, world.member, SeatPost.SECRETARY, started_on=today(), actor=actor
    )
    li = Member.objects.filter(name__startswith="李").first()
    with pytest.raises(DomainError, match="已有书记"):
        services.assign_seat(committee, li, SeatPost.SECRETARY, started_on=today(), actor=actor)
    with pytest.raises(DomainError, match="已在本届委员会任职"):
        services.assign_seat(
            committee, world.member, SeatPost.PROPAGANDA, started_on=today(), actor=actor
        )
    with pytest.raises(DomainError, match="不是北坦街道党工委的党员"):
        services.assign_seat(
            committee, world.other_member, SeatPost.MEMBER, started_on=today(), actor=actor
        )
    services.end_seat(seat, ended_on=today(), actor=actor)
    with pytest.raises(DomainError, match="已离任"):
        services.end_seat(seat, ended_on=today(), actor=actor)
    services.assign_seat(committee, li, SeatPost.SECRETARY, started_on=today(), actor=actor)
    assert AuditLog.objects.filter(action="org.seat.assign").count() == 2


def test_inactive_member_cannot_hold_a_seat(world, actor):
    committee = services.start_committee(world.branch, elected_on=today(), actor=actor)
    Member.objects.filter(pk=world.member.pk).update(status=MemberStatus.DECEASED)
    world.member.refresh_from_db()
    with pytest.raises(DomainError, match="不能任职"):
        services.assign_seat(
            committee, world.member, SeatPost.MEMBER, started_on=today(), actor=actor
        )


def test_terms_due(world, actor):
    today = date(2026, 6, 1)
    overdue = Committee.objects.create(
        organization=world.branch, elected_on=date(2021, 5, 1), ends_on=date(2026, 5, 1)
    )
    soon = Committee.objects.create(
        organization=world.branch2, elected_on=date(2021, 8, 1), ends_on=date(2026, 8, 30)
    )
    Committee.objects.create(
        organization=world.street, elected_on=date(2024, 1, 1), ends_on=date(2029, 1, 1)
    )
    Committee.objects.create(
        organization=world.other_branch, elected_on=date(2021, 1, 1), ends_on=date(2026, 1, 1)
    )
    scope = Organization.objects.filter(path__startswith=world.street.path)
    assert list(services.terms_due(scope, today)) == [overdue, soon]
    assert list(services.terms_due(scope, today, within_days=10)) == [overdue]
