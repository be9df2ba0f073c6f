from datetime import date, timedelta

import pytest
from django.utils import timezone

from xianfeng.core.errors import DomainError
from xianfeng.elections import services
from xianfeng.elections.models import Election, ElectionStatus, Nomination, ResultStatus
from xianfeng.members import services as member_services
from xianfeng.members.models import Member, MemberStatus
from xianfeng.orgs import services as org_services
from xianfeng.orgs.models import Committee, CommitteeStatus, SeatPost
from xianfeng.testing import make_member

from .factories import nominate, plan

pytestmark = pytest.mark.django_db
NAMES = ["张三", "李四", "李五", "李六"]


@pytest.fixture
def old(world):
    """The branch's committee elected in 2019 with 张三 as secretary."""
    committee = org_services.start_committee(
        world.branch, elected_on=date(2019, 5, 1), actor=world.users["admin"]
    )
    org_services.assign_seat(
        committee, world.member, SeatPost.SECRETARY, started_on=date(2019, 5, 1), actor=None
    )
    return committee


def voted(world, votes=(5, 4, 3, 1), present=5, eligible=5, held_on=date(2024, 5, 10)):
    election = plan(world)
    nominations = nominate(world, election, NAMES[: len(votes)])
    services.record_votes(
        election,
        held_on=held_on,
        eligible=eligible,
        present=present,
        votes={n.pk: v for n, v in zip(nominations, votes, strict=True)},
        actor=world.users["branch_secretary"],
    )
    election.refresh_from_db()
    return election


def test_plan_renews_the_current_committee(world, old):
    election = plan(world)
    assert election.committee == old
    assert election.status == ElectionStatus.PLANNED


def test_one_open_election_per_org(world, old):
    plan(world)
    with pytest.raises(DomainError, match="已有进行中的换届选举"):
        plan(world)


def test_groups_hold_no_elections(world):
    with pytest.raises(DomainError, match="党小组"):
        plan(world, world.group)


def test_first_nomination_starts_nominating(world, old):
    election = plan(world)
    nominate(world, election, ["李四"])
    election.refresh_from_db()
    assert election.status == ElectionStatus.NOMINATING


def test_nominee_rules(world, old):
    election = plan(world)
    nominate(world, election, ["李四"], [SeatPost.SECRETARY])
    actor = world.users["street_admin"]
    with pytest.raises(DomainError, match="书记只能提名一名"):
        services.nominate(election, world.member, post=SeatPost.SECRETARY, actor=actor)
    with pytest.raises(DomainError, match="已被提名"):
        services.nominate(
            election, Member.objects.get(name="李四"), post=SeatPost.MEMBER, actor=actor
        )
    probationary = make_member(world.branch, "预备甲", category="probationary")
    with pytest.raises(DomainError, match="没有被选举权"):
        services.nominate(election, probationary, post=SeatPost.MEMBER, actor=actor)
    with pytest.raises(DomainError, match="不是北关社区党支部的党员"):
        services.nominate(election, world.other_member, post=SeatPost.MEMBER, actor=actor)
    assert election.nominations.count() == 1


def test_group_members_may_be_nominated(world, old):
    in_group = make_member(world.group, "组员甲")
    election = plan(world)
    services.nominate(election, in_group, post=SeatPost.MEMBER, actor=world.users["admin"])
    assert services.eligible_voters(world.branch) == 5


def test_votes_elect_by_majority_of_those_present(world, old):
    election = voted(world, votes=(5, 4, 3, 1), present=5)
    elected = set(election.nominations.filter(elected=True).values_list("member__name", flat=True))
    assert elected == {"张三", "李四", "李五"}  # 3 > 5/2; 1 is not
    assert election.status == ElectionStatus.VOTED
    assert (election.eligible, election.present) == (5, 5)


@pytest.mark.parametrize(("eligible", "present"), [(5, 4), (10, 8)])
def test_exactly_four_fifths_present_is_not_a_valid_meeting(world, old, eligible, present):
    with pytest.raises(DomainError, match="未超过应到会.*五分之四"):
        voted(world, votes=(4, 4, 3, 0), eligible=eligible, present=present)
    election = Election.objects.get()
    assert election.status == ElectionStatus.NOMINATING
    assert not Nomination.objects.filter(votes__isnull=False).exists()


def test_votes_above_present_are_refused(world, old):
    with pytest.raises(DomainError, match="不能超过实到会人数5"):
        voted(world, votes=(6, 4, 3, 0), present=5)


def test_present_above_eligible_is_refused(world, old):
    with pytest.raises(DomainError, match="不能多于应到会人数"):
        voted(world, votes=(4, 4, 3, 0), eligible=5, present=6)


def test_tie_at_the_last_seat_is_refused(world, old):
    with pytest.raises(DomainError, match="票数相等"):
        voted(world, votes=(5, 5, 4, 4), present=5)  # 3 seats; 4 and 4 tie for the third
    assert Election.objects.get().status == ElectionStatus.NOMINATING


def test_exactly_half_is_not_elected(world, old):
    election = voted(world, votes=(4, 3, 2, 0), eligible=6, present=6)
    assert list(election.nominations.filter(elected=True).values_list("votes", flat=True)) == [4]


def test_approval_creates_seats_on_the_approval_date(world, old):
    election = voted(world)
    approved_on = date(2024, 6, 3)
    services.decide_election(
        election, approve=True, on=approved_on, actor=world.users["committee_secretary"]
    )
    election.refresh_from_db()
    new = election.new_committee
    old.refresh_from_db()
    assert election.status == ElectionStatus.APPROVED
    assert new.status == CommitteeStatus.CURRENT and new.elected_on == date(2024, 5, 10)
    assert new.ends_on == date(2029, 5, 10)
    assert old.status == CommitteeStatus.ENDED
    assert old.seats.get().ended_on == approved_on
    seats = {s.member.name: (s.post, s.started_on) for s in new.seats.select_related("member")}
    assert seats == {
        "张三": (SeatPost.SECRETARY, approved_on),
        "李四": (SeatPost.ORGANIZATION, approved_on),
        "李五": (SeatPost.PROPAGANDA, approved_on),
    }


def test_nobody_approves_their_own_organization(world, old):
    street_election = services.plan_election(
        world.street, planned_on=date(2024, 5, 1), seats=1, actor=world.users["admin"]
    )
    services.nominate(street_election, world.member, post=SeatPost.SECRETARY, actor=None)
    services.record_votes(
        street_election,
        held_on=date(2024, 5, 10),
        eligible=5,
        present=5,
        votes={street_election.nominations.get().pk: 5},
        actor=None,
    )
    with pytest.raises(DomainError, match="须由上级党组织批复"):
        services.decide_election(
            street_election, approve=True, on=date(2024, 6, 1), actor=world.users["street_admin"]
        )
    branch_election = voted(world)
    with pytest.raises(DomainError, match="须由上级党组织批复"):
        services.decide_election(
            branch_election,
            approve=True,
            on=date(2024, 6, 1),
            actor=world.users["branch_secretary"],
        )
    assert not Committee.objects.filter(elected_on=date(2024, 5, 10)).exists()


def test_approval_dates_are_checked(world, old):
    election = voted(world)
    actor = world.users["street_admin"]
    with pytest.raises(DomainError, match="不能早于选举日期"):
        services.decide_election(election, approve=True, on=date(2024, 5, 9), actor=actor)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.decide_election(election, approve=True, on=tomorrow, actor=actor)


def test_rejection_needs_a_reason_and_allows_a_new_election(world, old):
    election = voted(world)
    actor = world.users["street_admin"]
    with pytest.raises(DomainError, match="请填写意见"):
        services.decide_election(election, approve=False, on=date(2024, 6, 1), actor=actor)
    services.decide_election(
        election, approve=False, on=date(2024, 6, 1), actor=actor, note="候选人差额不足"
    )
    election.refresh_from_db()
    assert election.status == ElectionStatus.REJECTED
    assert Committee.objects.get(organization=world.branch) == old
    assert plan(world).status == ElectionStatus.PLANNED


def test_approving_twice_is_refused(world, old):
    election = voted(world)
    actor = world.users["street_admin"]
    services.decide_election(election, approve=True, on=date(2024, 6, 1), actor=actor)
    with pytest.raises(DomainError, match="已批复"):
        services.decide_election(election, approve=True, on=date(2024, 6, 2), actor=actor)
    assert Committee.objects.filter(organization=world.branch).count() == 2


def test_no_one_elected_cannot_be_approved(world, old):
    election = voted(world, votes=(2, 1, 0, 0), present=5)
    with pytest.raises(DomainError, match="没有当选人"):
        services.decide_election(
            election, approve=True, on=date(2024, 6, 1), actor=world.users["street_admin"]
        )


@pytest.mark.parametrize(
    ("seats", "candidates", "refused"), [(5, 5, True), (5, 6, False), (3, 3, True)]
)
def test_margin_below_twenty_percent_is_refused(world, old, seats, candidates, refused):
    for i in range(6 - 4):
        make_member(world.branch, f"候选{i}")
    election = plan(world, seats=seats)
    names = list(world.branch.members.order_by("id").values_list("name", flat=True))[:candidates]
    posts = [SeatPost.SECRETARY] + ["member"] * (candidates - 1)
    nominations = nominate(world, election, names, posts)
    record = lambda: services.record_votes(  # noqa: E731
        election,
        held_on=date(2024, 5, 10),
        eligible=6,
        present=6,
        votes={n.pk: 6 - i for i, n in enumerate(nominations)},
        actor=world.users["branch_secretary"],
    )
    if refused:
        with pytest.raises(DomainError, match="差额比例不足20%"):  # noqa: PT012
            record()
    else:
        record()


@pytest.mark.parametrize(
    "status",
    [
        MemberStatus.PARTY_PROBATION,
        MemberStatus.DETAINED,
        MemberStatus.ARRESTED,
        MemberStatus.LOST_CONTACT,
    ],
)
def test_members_without_a_vote_are_not_expected_voters(world, status):
    before = services.eligible_voters(world.branch)
    member = Member.objects.get(name="李四")
    member_services.change_status(
        member, status, on=date(2024, 3, 1), reason="处分/措施", actor=world.users["admin"]
    )
    assert services.eligible_voters(world.branch) == before - 1
    election = plan(world)
    with pytest.raises(DomainError, match="没有选举权和被选举权"):
        services.nominate(election, member, post="member", actor=world.users["street_admin"])


def test_expiring_terms_are_announced_at_90_and_30_days_and_when_ended(world, old):
    from xianfeng.notices.models import Notice, NoticeKind

    ends = old.ends_on
    assert services.remind_expiring_terms(ends - timedelta(days=91)) == 0
    assert services.remind_expiring_terms(ends - timedelta(days=90)) == 1
    assert services.remind_expiring_terms(ends - timedelta(days=60)) == 0, "once per threshold"
    assert services.remind_expiring_terms(ends - timedelta(days=30)) == 1
    assert services.remind_expiring_terms(ends + timedelta(days=1)) == 1
    assert services.remind_expiring_terms(ends + timedelta(days=2)) == 0
    notices = Notice.objects.filter(kind=NoticeKind.TERM)
    assert set(notices.values_list("recipient", flat=True)) == {world.users["branch_secretary"].pk}
    assert "已届满" in notices.first().title


# ------------------------------------------------ 委员 备案, 书记/副书记 批准 (党章 第三十条)


def _results(election):
    return {
        n.member.name: (n.result, n.result_on, n.result_by_id)
        for n in election.nominations.select_related("member").filter(elected=True)
    }


def test_votes_put_each_elected_result_on_its_path(world, old):
    election = voted(world)
    results = {name: r for name, (r, _on, _by) in _results(election).items()}
    assert results == {
        "张三": ResultStatus.AWAITING_APPROVAL,  # 书记
        "李四": ResultStatus.AWAITING_FILING,  # 组织委员
        "李五": ResultStatus.AWAITING_FILING,
    }
    assert Nomination.objects.get(election=election, member__name="李六").result == ""


def test_approval_approves_the_secretary_and_files_the_members(world, old):
    election = voted(world)
    actor = world.users["street_admin"]
    services.decide_election(election, approve=True, on=date(2024, 6, 3), actor=actor)
    assert _results(election) == {
        "张三": (ResultStatus.APPROVED, date(2024, 6, 3), actor.pk),
        "李四": (ResultStatus.FILED, date(2024, 6, 3), actor.pk),
        "李五": (ResultStatus.FILED, date(2024, 6, 3), actor.pk),
    }


def test_refusal_rejects_the_secretary_only_members_stay_filed(world, old):
    election = voted(world)
    actor = world.users["street_admin"]
    services.decide_election(
        election, approve=False, on=date(2024, 6, 3), actor=actor, note="书记人选需重新酝酿"
    )
    results = {name: r for name, (r, _on, _by) in _results(election).items()}
    assert results == {
        "张三": ResultStatus.REJECTED,
        "李四": ResultStatus.FILED,
        "李五": ResultStatus.FILED,
    }
    assert Committee.objects.get(organization=world.branch) == old  # nobody seated


def test_members_only_cannot_be_refused_they_are_filed(world, old):
    election = plan(world, seats=2)
    nominations = nominate(
        world,
        election,
        NAMES[:3],
        [SeatPost.ORGANIZATION, SeatPost.PROPAGANDA, SeatPost.MEMBER],
    )
    services.record_votes(
        election,
        held_on=date(2024, 5, 10),
        eligible=5,
        present=5,
        votes={n.pk: v for n, v in zip(nominations, (5, 4, 1), strict=True)},
        actor=None,
    )
    actor = world.users["street_admin"]
    with pytest.raises(DomainError, match="不需批准"):
        services.decide_election(
            election, approve=False, on=date(2024, 6, 3), actor=actor, note="不同意"
        )
    services.decide_election(election, approve=True, on=date(2024, 6, 3), actor=actor)
    assert {r for r, _on, _by in _results(election).values()} == {ResultStatus.FILED}


def test_a_deputy_secretary_needs_approval(world, old):
    election = plan(world, seats=2)
    nominations = nominate(
        world, election, NAMES[:3], [SeatPost.SECRETARY, SeatPost.DEPUTY_SECRETARY, "member"]
    )
    services.record_votes(
        election,
        held_on=date(2024, 5, 10),
        eligible=5,
        present=5,
        votes={n.pk: v for n, v in zip(nominations, (5, 4, 1), strict=True)},
        actor=None,
    )
    results = {name: r for name, (r, _on, _by) in _results(election).items()}
    assert results == {"张三": "awaiting_approval", "李四": "awaiting_approval"}
