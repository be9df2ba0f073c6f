from datetime import date

import pytest
from django.utils import timezone

from xianfeng.archives.completeness import file_states, member_state, tally_by_org
from xianfeng.archives.models import ArchiveItem
from xianfeng.core.events import INDICATORS
from xianfeng.members import services as member_services
from xianfeng.members.models import INBOUND_REASON, Category, Member, Membership, MemberStatus
from xianfeng.testing import make_member

from .factories import complete_file, upload_scan

pytestmark = pytest.mark.django_db

LEGACY_FULL = ["application", "volunteer_form", "confirmation_application"]
DEVELOPED_PROBATIONARY = [
    "application",
    "volunteer_form",
    "political_review",
    "training_records",
    "thought_reports",
]


def test_member_state_lists_what_is_missing(world):
    state = member_state(world.member)
    assert state.path == "legacy" and not state.complete
    assert [r.doc for r in state.missing] == LEGACY_FULL
    complete_file(world.member, LEGACY_FULL[:2])
    assert [r.doc for r in member_state(world.member).missing] == ["confirmation_application"]
    complete_file(world.member, LEGACY_FULL[2:])
    assert member_state(world.member).complete


def test_pending_and_to_fix_items_do_not_count(world):
    upload_scan(world.member, doc="application")
    assert "application" in {r.doc for r in member_state(world.member).missing}


def test_probationary_member_needs_no_confirmation_papers(world):
    member = make_member(
        world.branch, "新党员", joined_on=date(2024, 7, 1), category=Category.PROBATIONARY
    )
    complete_file(member, DEVELOPED_PROBATIONARY)
    assert member_state(member).complete
    member.category = Category.FULL
    member.save()
    missing = [r.doc for r in member_state(member).missing]
    assert missing == ["confirmation_application", "confirmation_approval"]


def test_a_member_from_outside_needs_the_letter(world):
    member = make_member(world.branch, "转入党员", joined_on=date(2018, 7, 1))
    Membership.objects.filter(member=member).update(reason=f"{INBOUND_REASON}（外省）")
    assert "transfer_letter" in {r.doc for r in member_state(member).missing}


@pytest.mark.parametrize(
    ("joined_on", "needs_training_records"),
    [(date(2014, 5, 27), False), (date(2014, 5, 28), True)],
)
def test_a_member_from_outside_admitted_under_the_2014_rules_needs_article_37_papers(
    world, joined_on, needs_training_records
):
    member = make_member(
        world.branch, "转入党员", joined_on=joined_on, category=Category.PROBATIONARY
    )
    Membership.objects.filter(member=member).update(reason=f"{INBOUND_REASON}（外省）")
    complete_file(member, ["application", "volunteer_form", "political_review", "transfer_letter"])
    missing = {r.doc for r in member_state(member).missing}
    if needs_training_records:
        assert missing == {"training_records", "thought_reports"}
        complete_file(member, ["training_records", "thought_reports"])
        assert member_state(member).complete
    else:
        assert member_state(member).path == "legacy" and not missing


def test_moving_inside_the_system_never_lowers_completeness(world):
    member = make_member(
        world.branch, "内部转接党员", joined_on=date(2018, 7, 1), category=Category.PROBATIONARY
    )
    complete_file(member, DEVELOPED_PROBATIONARY)
    assert member_state(member).complete
    member_services.move_members([member.pk], world.other_branch, actor=None, reason="内部转接")
    member_services.move_members([member.pk], world.branch2, actor=None, reason="整建制转接")
    assert Membership.objects.filter(member=member).count() == 3
    assert member_state(member).complete and member_state(member).path == "developed"


def test_org_tally_rolls_up_the_subtree_and_skips_inactive(world):
    complete_file(world.member, LEGACY_FULL)
    gone = make_member(world.branch, "已转出")
    Member.objects.filter(pk=gone.pk).update(status=MemberStatus.MOVED_OUT)
    orgs = [world.street, world.branch, world.branch2]
    states = file_states(Member.objects.all())
    tallies = tally_by_org(states, orgs)
    assert (tallies[world.branch.pk].total, tallies[world.branch.pk].complete) == (4, 1)
    assert (tallies[world.branch2.pk].total, tallies[world.branch2.pk].complete) == (1, 0)
    assert (tallies[world.street.pk].total, tallies[world.street.pk].complete) == (5, 1)
    assert tallies[world.street.pk].share == 20.0
    assert tallies[world.branch.pk].missing["入党申请书"] == 3


def test_two_queries_whatever_the_number_of_members(world, django_assert_num_queries):
    for n in range(10):
        complete_file(make_member(world.branch, f"批量{n}"), LEGACY_FULL[:1])
    with django_assert_num_queries(2):
        states = file_states(
            Member.objects.filter(organization__path__startswith=world.street.path)
        )
    assert len(states) == 15


def test_indicator_counts_documents_accepted_by_year_end(world):
    indicator = INDICATORS["archives.completeness"]
    assert indicator.unit == "%"
    complete_file(world.member, LEGACY_FULL)
    year = timezone.localdate().year
    result = indicator.compute([world.branch, world.branch2, world.other_branch], year)
    assert result == {world.branch.pk: 25.0, world.branch2.pk: 0.0, world.other_branch.pk: 0.0}
    ArchiveItem.objects.update(reviewed_at=timezone.now().replace(year=year + 1))
    assert indicator.compute([world.branch], year) == {world.branch.pk: 0.0}
    assert indicator.compute([], year) == {}
