from datetime import date, timedelta

import pytest
from django.utils import timezone

from xianfeng.core.errors import DomainError
from xianfeng.core.events import point_event
from xianfeng.service import services
from xianfeng.service.models import Claim, ClaimStatus, MutualReview
from xianfeng.testing import in_threads, make_member, needs_pg

from .factories import project, unit

pytestmark = pytest.mark.django_db


def test_the_last_slot_goes_to_one_claimer(world):
    p = project(world, slots=2)
    services.claim_project(p, actor=None, member=world.member)
    services.claim_project(p, actor=None, unit=unit())
    with pytest.raises(DomainError, match="名额已满"):
        services.claim_project(p, actor=None, member=make_member(world.branch))


def test_claiming_twice_is_refused_and_withdrawing_frees_the_slot(world):
    p = project(world)
    claim = services.claim_project(p, actor=None, member=world.member)
    with pytest.raises(DomainError, match="已经认领过|名额已满"):
        services.claim_project(p, actor=None, member=world.member)
    services.withdraw_claim(claim, actor=None)
    again = services.claim_project(p, actor=None, member=world.member)
    assert again.pk != claim.pk
    assert Claim.objects.filter(status=ClaimStatus.WITHDRAWN).count() == 1


@pytest.mark.parametrize(
    ("direction", "claimant", "message"),
    [("need", "community", "党员或共建单位"), ("offer", "member", "由社区认领")],
)
def test_who_may_claim_depends_on_the_direction(world, direction, claimant, message):
    u = unit()
    p = project(world, direction=direction, offered_by=u)
    who = {"community": world.branch, "member": world.member}[claimant]
    with pytest.raises(DomainError, match=message):
        services.claim_project(p, actor=None, **{claimant: who})


def test_an_offer_must_name_its_unit_and_a_past_deadline_is_refused(world):
    with pytest.raises(DomainError, match="提供单位"):
        project(world, direction="offer")
    with pytest.raises(DomainError, match="认领截止"):
        project(world, claim_by=timezone.localdate() - timedelta(days=1))


def test_claims_stop_after_the_deadline(world):
    p = project(world)
    with pytest.raises(DomainError, match="停止认领"):
        services.claim_project(
            p, actor=None, member=world.member, today=p.claim_by + timedelta(days=1)
        )


def test_a_finished_member_claim_earns_points_once(world, django_capture_on_commit_callbacks):
    claim = services.claim_project(project(world), actor=None, member=world.member)
    heard = []

    def listen(sender, **kwargs):
        heard.append(kwargs["rule_code"])

    point_event.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.complete_claim(claim, actor=None, completed_on=timezone.localdate())
            services.complete_claim(claim, actor=None, completed_on=timezone.localdate())
    finally:
        point_event.disconnect(listen)
    assert heard == ["project.finished"]


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_two_members_racing_for_one_slot(world):
    p = project(world)
    rivals = [world.member, make_member(world.branch)]
    outcomes = in_threads(
        *[lambda m=m: services.claim_project(p, actor=None, member=m) and "ok" for m in rivals]
    )
    assert sorted(outcomes) == ["full", "ok"]
    assert Claim.objects.count() == 1


def test_check_in_once_per_community_and_reviews_replace(world):
    u = unit()
    check_in = services.register_check_in(
        world.branch, actor=None, unit=u, registered_on=date(2026, 3, 1)
    )
    with pytest.raises(DomainError, match="已在该社区报到"):
        services.register_check_in(world.branch, actor=None, unit=u, registered_on=date(2026, 4, 1))
    for grade in ("good", "excellent"):
        services.review_check_in(
            check_in, actor=None, year=2026, direction="by_community", grade=grade
        )
    assert list(MutualReview.objects.values_list("grade", flat=True)) == ["excellent"]
    services.end_check_in(check_in, actor=None, ended_on=date(2026, 6, 1))
    services.register_check_in(world.branch, actor=None, unit=u, registered_on=date(2026, 7, 1))


def test_service_dates_must_fall_after_check_in(world):
    check_in = services.register_check_in(
        world.branch, actor=None, member=world.member, registered_on=date(2026, 3, 1)
    )
    with pytest.raises(DomainError, match="早于报到日期"):
        services.record_service(check_in, actor=None, served_on=date(2026, 2, 1), content="x")


def test_alliance_events_only_with_member_units(world):
    from xianfeng.service.models import Alliance

    alliance = Alliance.objects.create(
        organization=world.street,
        name="北坦区域化党建联合体",
        kind="regional",
        founded_on=date(2019, 1, 1),
    )
    inside, outside = unit("甲单位"), unit("乙单位")
    services.join_alliance(alliance, inside, actor=None, role="member", joined_on=date(2019, 1, 1))
    with pytest.raises(DomainError, match="已是该联盟成员单位"):
        services.join_alliance(
            alliance, inside, actor=None, role="vice", joined_on=date(2020, 1, 1)
        )
    with pytest.raises(DomainError, match="乙单位"):
        services.record_alliance_event(
            alliance, actor=None, units=[inside, outside], title="共建", held_on=date(2026, 1, 1)
        )


def test_member_area_is_the_nearest_committee(world):
    assert services.member_area(world.member) == world.street


def test_a_need_reaches_members_registered_there_from_another_street(world):
    """双报到: 赵六 (郭店) registered with 北关社区 hears of its need and may claim it."""
    from xianfeng.notices.models import Notice, NoticeKind
    from xianfeng.testing import make_user

    zhao = make_user("zhaoliu", member=world.other_member)
    services.register_check_in(
        world.branch, actor=None, member=world.other_member, registered_on=date(2026, 1, 5)
    )
    assert world.branch.path in services.member_area_paths(world.other_member)
    p = project(world)
    notice = Notice.objects.get(recipient=zhao)
    assert notice.kind == NoticeKind.PROJECT and p.title in notice.title
    assert not Notice.objects.filter(recipient=world.users["member"], kind=NoticeKind.PROJECT)
    claim = services.claim_project(p, actor=zhao, member=world.other_member)
    assert claim.member == world.other_member
