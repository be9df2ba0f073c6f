from datetime import date

import pytest

from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog
from xianfeng.dues import services as dues
from xianfeng.members.models import MemberStatus, StatusChange
from xianfeng.notices.models import Notice
from xianfeng.standing import rules, services
from xianfeng.standing.models import CaseStatus, LapseCase
from xianfeng.testing import make_member

from .factories import attended, in_status, lapse_case


@pytest.fixture
def member(world):
    return make_member(world.branch, "王五", joined_on=date(2010, 7, 1))


# ---------------------------------------------------------------- the window


@pytest.mark.parametrize(
    ("today", "window"),
    [
        (date(2024, 7, 1), (date(2024, 1, 1), date(2024, 6, 1))),
        (date(2024, 7, 31), (date(2024, 1, 1), date(2024, 6, 1))),
        (date(2024, 2, 10), (date(2023, 8, 1), date(2024, 1, 1))),
    ],
)
def test_window_is_the_last_six_months_that_are_over(today, window):
    assert rules.lapse_window(today) == window


# ---------------------------------------------------------------- 自行脱党: detection


def test_six_months_without_attending_is_flagged_five_is_not(world, member):
    attended(member, date(2023, 12, 20))  # present in December
    attended(member, date(2024, 3, 10), status="absent")  # invited since, never present
    assert services.detect_lapses(date(2024, 6, 30)) == 0  # window Dec–May: December counts
    assert services.detect_lapses(date(2024, 7, 1)) == 1  # window Jan–Jun: six months exactly
    case = LapseCase.objects.get(member=member)
    assert (case.no_life, case.no_dues, case.first_month) == (True, False, date(2024, 1, 1))


def test_no_meeting_held_is_not_the_members_lapse(world, member):
    assert services.detect_lapses(date(2024, 7, 1)) == 0


def test_six_months_of_unpaid_dues_is_flagged(world, member):
    actor = world.users["branch_secretary"]
    dues.set_dues_basis(
        member, category="salaried", income="4000", from_month=date(2023, 1, 1), actor=actor
    )
    dues.record_payment(
        member, date(2023, 12, 1), paid_on=date(2023, 12, 5), method="self", actor=actor
    )
    # Other members of the branch have no basis: not liable, never flagged for dues.
    assert services.detect_lapses(date(2024, 6, 1)) == 0  # Dec–May: December paid
    assert services.detect_lapses(date(2024, 7, 1)) == 1  # Jan–Jun unpaid
    assert LapseCase.objects.get(member=member).no_dues


def test_an_approved_waiver_is_not_a_lapse(world, member):
    actor = world.users["branch_secretary"]
    dues.set_dues_basis(
        member, category="salaried", income="4000", from_month=date(2023, 1, 1), actor=actor
    )
    dues.grant_dues_exemption(
        member,
        kind="waived",
        from_month=date(2024, 6, 1),
        until_month=date(2024, 6, 1),
        reason="住院",
        approved_by="北坦街道党工委",
        approved_on=date(2024, 5, 20),
        actor=actor,
    )
    assert services.detect_lapses(date(2024, 7, 1)) == 0


def test_a_member_joined_within_the_window_is_not_checked(world):
    new = make_member(world.branch, "新党员", joined_on=date(2024, 1, 5))
    attended(new, date(2024, 3, 1), status="absent")
    assert services.detect_lapses(date(2024, 7, 1)) == 0


def test_detection_runs_twice_without_duplicates_and_tells_the_branch(world, member):
    attended(member, date(2024, 3, 10), status="absent")
    assert services.detect_lapses(date(2024, 7, 1)) == 1
    assert services.detect_lapses(date(2024, 7, 2)) == 0
    assert services.detect_lapses(date(2024, 8, 1)) == 0  # covered by the open case
    notice = Notice.objects.get(recipient=world.users["branch_secretary"], kind="standing")
    assert "疑似自行脱党" in notice.title
    assert AuditLog.objects.filter(action="standing.lapse_detected").count() == 1


def test_a_handled_case_covers_its_months(world, member):
    attended(member, date(2024, 3, 10), status="absent")
    services.detect_lapses(date(2024, 7, 1))
    case = LapseCase.objects.get(member=member)
    services.record_lapse_action(
        case, "reason_accepted", on=date(2024, 7, 5), note="长期住院", actor=None
    )
    assert services.detect_lapses(date(2024, 8, 1)) == 0  # Feb–Jul overlaps the reviewed months
    attended(member, date(2024, 9, 10), status="absent")
    assert services.detect_lapses(date(2025, 1, 1)) == 1  # Jul–Dec: a new six months


# ---------------------------------------------------------------- 自行脱党: handling


def test_handling_records_and_removal_needs_the_level_above(world, member):
    case = lapse_case(member)
    secretary, street = world.users["branch_secretary"], world.users["street_admin"]
    services.record_lapse_action(case, "talked", on=date(2024, 7, 3), note="谈话", actor=secretary)
    assert case.status == CaseStatus.OPEN
    with pytest.raises(DomainError, match="支部大会"):
        services.record_lapse_action(
            case, "removal_approved", on=date(2024, 7, 9), note="批复", actor=street
        )
    services.record_lapse_action(
        case, "removal_proposed", on=date(2024, 7, 10), note="支部大会决定", actor=secretary
    )
    with pytest.raises(DomainError, match="上级党组织批准"):
        services.record_lapse_action(
            case, "removal_approved", on=date(2024, 7, 20), note="批复", actor=secretary
        )
    services.record_lapse_action(
        case, "removal_approved", on=date(2024, 7, 20), note="街道党工委批复", actor=street
    )
    member.refresh_from_db()
    case.refresh_from_db()
    assert member.status == MemberStatus.LEFT
    assert (case.status, case.closed_on) == (CaseStatus.REMOVED, date(2024, 7, 20))
    assert StatusChange.objects.get(member=member).on == date(2024, 7, 20)
    assert case.actions.count() == 3
    assert AuditLog.objects.filter(action="standing.lapse_action").count() == 3
    with pytest.raises(DomainError, match="已办结"):
        services.record_lapse_action(case, "talked", on=date(2024, 7, 21), note="x", actor=street)


def test_handling_refuses_bad_input(world, member):
    case = lapse_case(member)
    with pytest.raises(DomainError, match="情况说明"):
        services.record_lapse_action(case, "talked", on=date(2024, 7, 3), note=" ", actor=None)
    with pytest.raises(DomainError, match="早于"):
        services.record_lapse_action(case, "talked", on=date(2023, 12, 3), note="x", actor=None)
    with pytest.raises(DomainError, match="无效"):
        services.record_lapse_action(case, "shout", on=date(2024, 7, 3), note="x", actor=None)


def test_the_branch_opens_a_case_for_assigned_work(world, member):
    case = services.open_lapse_case(
        member, first_month=date(2020, 1, 1), note="多次不参加志愿服务任务", actor=None
    )
    assert case.no_work and case.is_open
    with pytest.raises(DomainError, match="已有"):
        services.open_lapse_case(member, first_month=date(2020, 1, 1), note="x", actor=None)


# ---------------------------------------------------------------- 失联 → 停止党籍 → 除名


@pytest.mark.parametrize(
    ("lost_on", "first_day"),
    [
        (date(2024, 1, 15), date(2024, 7, 15)),
        (date(2024, 8, 31), date(2025, 2, 28)),
        (date(2023, 8, 31), date(2024, 2, 29)),
    ],
)
def test_suspend_edge_and_its_cutoff_agree(lost_on, first_day):
    assert rules.may_suspend_from(lost_on) == first_day
    assert rules.suspend_cutoff(first_day) >= lost_on
    assert rules.suspend_cutoff(date.fromordinal(first_day.toordinal() - 1)) < lost_on


@pytest.mark.parametrize(
    ("suspended_on", "first_day"),
    [(date(2024, 7, 15), date(2026, 7, 15)), (date(2024, 2, 29), date(2026, 2, 28))],
)
def test_removal_edge_and_its_cutoff_agree(suspended_on, first_day):
    assert rules.may_remove_from(suspended_on) == first_day
    assert rules.removal_cutoff(first_day) >= suspended_on
    assert rules.removal_cutoff(date.fromordinal(first_day.toordinal() - 1)) < suspended_on


def test_suspension_at_exactly_six_months(world, member):
    in_status(member, MemberStatus.LOST_CONTACT, date(2024, 1, 15))
    with pytest.raises(DomainError, match="2024-07-15"):
        services.suspend_membership(member, on=date(2024, 7, 14), reason="多方查找", actor=None)
    services.suspend_membership(member, on=date(2024, 7, 15), reason="多方查找", actor=None)
    member.refresh_from_db()
    assert member.status == MemberStatus.SUSPENDED
    assert AuditLog.objects.filter(action="standing.suspend").count() == 1


def test_removal_at_exactly_two_years_or_restore(world, member):
    in_status(member, MemberStatus.SUSPENDED, date(2024, 7, 15))
    with pytest.raises(DomainError, match="2026-07-15"):
        services.remove_suspended(member, on=date(2026, 7, 14), reason="仍无联系", actor=None)
    services.remove_suspended(member, on=date(2026, 7, 15), reason="仍无联系", actor=None)
    member.refresh_from_db()
    assert member.status == MemberStatus.LEFT
    other = in_status(make_member(world.branch, "找回"), MemberStatus.SUSPENDED, date(2024, 7, 15))
    services.restore_membership(other, on=date(2024, 9, 1), reason="已取得联系", actor=None)
    other.refresh_from_db()
    assert other.status == MemberStatus.NORMAL


def test_suspension_needs_the_lost_contact_status(world, member):
    with pytest.raises(DomainError, match="不是“失联”"):
        services.suspend_membership(member, on=date(2024, 7, 15), reason="x", actor=None)


def test_suspended_members_are_not_counted(world, member):
    world.branch.refresh_from_db()
    before = world.branch.member_count
    in_status(member, MemberStatus.LOST_CONTACT, date(2024, 1, 15))
    services.suspend_membership(member, on=date(2024, 7, 15), reason="查找无果", actor=None)
    world.branch.refresh_from_db()
    assert world.branch.member_count == before - 1


# ---------------------------------------------------------------- reminders


def test_reminders_before_and_at_each_edge_once(world, member, settings):
    settings.XIANFENG_STANDING_REMIND_DAYS = 30
    in_status(member, MemberStatus.LOST_CONTACT, date(2024, 1, 15))  # edge 2024-07-15
    suspended = in_status(
        make_member(world.branch, "停籍"), MemberStatus.SUSPENDED, date(2022, 7, 15)
    )
    secretary = world.users["branch_secretary"]
    mine = Notice.objects.filter(recipient=secretary, kind="standing")
    assert services.send_reminders(date(2024, 6, 14)) == 0  # 31 days before both edges
    services.send_reminders(date(2024, 6, 15))  # 30 days before
    assert sorted(n.title for n in mine) == [
        "停籍停止党籍将于2024-07-15到期",
        "王五失联将于2024-07-15到期",
    ]
    services.send_reminders(date(2024, 6, 20))
    assert mine.all().count() == 2  # once per stage
    services.send_reminders(date(2024, 7, 15))
    assert mine.all().count() == 4
    assert mine.filter(title="王五失联已于2024-07-15到期").exists()
    assert suspended.pk


# ---------------------------------------------------------------- workbench


def test_workbench_counts_each_edge(world, member, django_assert_max_num_queries):
    from xianfeng.core.workbench import todo_for

    in_status(member, MemberStatus.LOST_CONTACT, date(2024, 1, 15))
    lapse_case(make_member(world.branch, "甲"))
    user = world.users["branch_secretary"]
    kinds = {i.kind: i.count for i in todo_for(user, date(2024, 7, 14))}
    assert kinds["standing.lapse"] == 1 and kinds["standing.lost_soon"] == 1
    assert "standing.lost" not in kinds
    kinds = {i.kind: i.count for i in todo_for(user, date(2024, 7, 15))}
    assert kinds["standing.lost"] == 1 and "standing.lost_soon" not in kinds
    assert "standing.lapse" not in {
        i.kind for i in todo_for(world.users["outsider"], date(2024, 7, 15))
    }
