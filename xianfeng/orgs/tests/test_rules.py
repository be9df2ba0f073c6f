from datetime import date

import pytest
from django.test import override_settings

from xianfeng.core.errors import DomainError
from xianfeng.members.models import Category
from xianfeng.orgs.models import (
    Committee,
    CommitteeSeat,
    Domain,
    Organization,
    OrgKind,
    OrgStatus,
    SeatPost,
)
from xianfeng.orgs.rules import RULES, term_years_for, warnings_for
from xianfeng.orgs.services import set_size_exception
from xianfeng.testing import make_member, make_org


def set_counts(org, members, full):
    Organization.objects.filter(pk=org.pk).update(
        member_count=members, full_member_count=full, probationary_member_count=members - full
    )
    org.refresh_from_db()


def warnings_of(org):
    return warnings_for([org])[org.pk]


@pytest.fixture
def branch(world):
    return make_org("边界支部", parent=world.street)


@pytest.mark.parametrize(("full", "warned"), [(2, True), (3, False)])
def test_branch_needs_three_full_members(branch, full, warned):
    set_counts(branch, full + 2, full)
    assert any("不足3名" in w for w in warnings_of(branch)) is warned


@pytest.mark.parametrize(("full", "warned"), [(6, False), (7, True)])
def test_branch_with_seven_full_needs_committee(branch, full, warned):
    set_counts(branch, full, full)
    assert any("支部委员会" in w for w in warnings_of(branch)) is warned


def test_current_committee_silences_the_committee_warning(branch):
    set_counts(branch, 7, 7)
    Committee.objects.create(
        organization=branch, elected_on=date(2024, 1, 1), ends_on=date(2029, 1, 1)
    )
    assert warnings_of(branch) == []


@pytest.mark.parametrize(("members", "warned"), [(50, False), (51, True)])
def test_branch_over_fifty(branch, members, warned):
    set_counts(branch, members, 3)
    assert any("超过50名" in w for w in warnings_of(branch)) is warned


def test_group_members_count_for_their_branch(world, branch):
    group = make_org("小组", parent=branch, kind=OrgKind.GROUP)
    make_member(branch, "甲")
    make_member(branch, "乙")
    assert any("不足3名" in w for w in warnings_of(branch))
    make_member(group, "丙")
    assert warnings_of(branch) == []
    make_member(group, "丁", category=Category.PROBATIONARY)
    assert warnings_of(branch) == []


@pytest.mark.parametrize(
    ("members", "warned"), [(49, True), (50, False), (100, False), (101, True)]
)
def test_general_branch_size(world, members, warned):
    gb = make_org("总支", parent=world.street, kind=OrgKind.GENERAL_BRANCH)
    child = make_org("下属支部", parent=gb)
    set_counts(child, members, members)
    assert bool(warnings_of(gb)) is warned


@pytest.mark.parametrize(("members", "warned"), [(99, True), (100, False), (101, False)])
def test_committee_size(world, members, warned):
    # "100人以上" includes 100.
    committee = make_org("基层党委", parent=world.street, kind=OrgKind.COMMITTEE)
    set_counts(committee, members, members)
    assert bool(warnings_of(committee)) is warned


@pytest.mark.parametrize(
    ("kind", "members"), [(OrgKind.COMMITTEE, 99), (OrgKind.GENERAL_BRANCH, 49)]
)
def test_approved_exception_silences_the_size_warning(world, kind, members):
    org = make_org("经批准组织", parent=world.street, kind=kind)
    child = make_org("下属支部", parent=org)
    set_counts(child, members, members)
    assert warnings_of(org)
    set_size_exception(
        org, approved_on=date(2024, 3, 1), approval="区委组织部〔2024〕5号", actor=None
    )
    org.refresh_from_db()
    assert warnings_of(org) == []
    set_size_exception(org, approved_on=None, approval="", actor=None)
    org.refresh_from_db()
    assert warnings_of(org)


def test_exception_does_not_silence_a_general_branch_over_100(world):
    gb = make_org("大总支", parent=world.street, kind=OrgKind.GENERAL_BRANCH)
    set_size_exception(gb, approved_on=date(2024, 3, 1), approval="批复", actor=None)
    gb.refresh_from_db()
    set_counts(make_org("下属", parent=gb), 101, 101)
    assert any("超过100名" in w for w in warnings_of(gb))


def test_exception_only_for_general_branch_and_committee(branch):
    with pytest.raises(DomainError, match="只有党总支、党委"):
        set_size_exception(branch, approved_on=date(2024, 3, 1), approval="批复", actor=None)


def test_exception_needs_the_approval_document(world):
    gb = make_org("总支", parent=world.street, kind=OrgKind.GENERAL_BRANCH)
    with pytest.raises(DomainError, match="批准文件"):
        set_size_exception(gb, approved_on=date(2024, 3, 1), approval=" ", actor=None)


def test_groups_and_dissolved_orgs_have_no_warnings(world):
    world.branch2.status = OrgStatus.DISSOLVED
    world.branch2.save()
    found = warnings_for([world.group, world.branch2])
    assert found == {world.group.pk: [], world.branch2.pk: []}


def test_many_orgs_in_constant_queries(world, django_assert_num_queries):
    for i in range(20):
        gb = make_org(f"总支{i}", parent=world.street, kind=OrgKind.GENERAL_BRANCH)
        make_org(f"支部{i}", parent=gb)
    orgs = list(Organization.objects.all())
    with django_assert_num_queries(2):
        found = warnings_for(orgs)
    assert set(found) == {org.pk for org in orgs}
    assert "不足3名" in found[world.branch2.pk][0]


def test_every_rule_cites_its_source():
    assert all(rule.source for rule in RULES)


@pytest.mark.parametrize(
    ("kind", "domain", "years"),
    [
        (OrgKind.COMMITTEE, Domain.ORGAN, 5),
        (OrgKind.GENERAL_BRANCH, Domain.ORGAN, 3),
        (OrgKind.BRANCH, Domain.PRIVATE, 3),
        (OrgKind.BRANCH, "", 3),
        (OrgKind.BRANCH, Domain.RURAL, 5),
        (OrgKind.GENERAL_BRANCH, Domain.COMMUNITY, 5),
    ],
)
def test_term_years_default_per_kind_and_domain(kind, domain, years):
    assert term_years_for(Organization(kind=kind, domain=domain)) == years


def test_term_years_configurable():
    table = {"committee": 5, "general_branch": 3, "branch": 4, "rural": 3}
    with override_settings(XIANFENG_TERM_YEARS=table):
        assert term_years_for(Organization(kind=OrgKind.BRANCH, domain=Domain.ORGAN)) == 4
        assert term_years_for(Organization(kind=OrgKind.BRANCH, domain=Domain.RURAL)) == 3
        assert term_years_for(Organization(kind=OrgKind.BRANCH, domain=Domain.COMMUNITY)) == 4


def _seat(committee, post):
    member = make_member(committee.organization)
    CommitteeSeat.objects.create(
        committee=committee, member=member, post=post, started_on=date(2024, 1, 1)
    )


@pytest.mark.parametrize(("seats", "warned"), [(2, True), (3, False), (7, False), (8, True)])
def test_committee_seats_three_to_seven(branch, seats, warned):
    committee = Committee.objects.create(
        organization=branch, elected_on=date(2024, 1, 1), ends_on=date(2027, 1, 1)
    )
    for i in range(seats):
        _seat(committee, SeatPost.SECRETARY if i == 0 else SeatPost.MEMBER)
    set_counts(branch, 20, 20)
    assert any("一般由3至5人组成" in w for w in warnings_of(branch)) is warned


@pytest.mark.parametrize(
    ("posts", "warned"),
    [
        ((SeatPost.SECRETARY,), False),
        ((SeatPost.SECRETARY, SeatPost.DEPUTY_SECRETARY), False),
        ((SeatPost.SECRETARY, SeatPost.DEPUTY_SECRETARY, SeatPost.DEPUTY_SECRETARY), True),
        ((SeatPost.SECRETARY, SeatPost.ORGANIZATION), True),
    ],
)
def test_branch_under_seven_has_a_secretary_and_at_most_a_deputy(branch, posts, warned):
    committee = Committee.objects.create(
        organization=branch, elected_on=date(2024, 1, 1), ends_on=date(2027, 1, 1)
    )
    for post in posts:
        _seat(committee, post)
    set_counts(branch, 6, 6)
    assert any("不设支部委员会" in w for w in warnings_of(branch)) is warned
