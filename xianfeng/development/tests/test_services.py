from datetime import date

import pytest

from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog
from xianfeng.development import services
from xianfeng.development.models import DevelopmentStatus, DevelopmentStep
from xianfeng.members.models import Category, Member

from .factories import person, start, walk

pytestmark = pytest.mark.django_db


def test_start_records_application_and_audit(world):
    dev = start(world)
    assert dev.stage == "applicant"
    assert list(dev.steps.values_list("step", flat=True)) == ["s01"]
    assert AuditLog.objects.filter(action="development.start", target_id=str(dev.pk)).exists()


def test_start_refuses_bad_id_number(world):
    with pytest.raises(DomainError):
        start(world, id_number="370105199503100000")


def test_start_refuses_under_18(world):
    with pytest.raises(DomainError, match="十八岁"):
        start(world, applied_on=date(2012, 1, 1))


def test_start_only_in_a_branch(world):
    with pytest.raises(DomainError, match="党支部"):
        services.start_development(
            world.street, actor=None, applied_on=date(2020, 1, 6), **person()
        )


def test_skipping_a_step_is_refused_naming_the_missing_one(world):
    dev = start(world)
    with pytest.raises(DomainError, match="党组织派人谈话"):
        services.record_step(dev, "s03", done_on=date(2020, 2, 1), actor=None)
    assert dev.steps.count() == 1


def test_same_step_twice_is_refused(world):
    dev = walk(world, start(world), "s02")
    with pytest.raises(DomainError, match="已记录"):
        services.record_step(dev, "s02", done_on=date(2020, 2, 1), actor=None)


def test_date_before_previous_step_is_refused(world):
    dev = start(world)
    with pytest.raises(DomainError, match="早于上一步骤"):
        services.record_step(dev, "s02", done_on=date(2020, 1, 5), actor=None)


def test_late_step_is_recorded_and_flagged(world):
    dev = start(world)
    found = services.record_step(dev, "s02", done_on=date(2020, 3, 1), actor=None)
    assert [v.rule for v in found] == ["talk_within_month"]
    assert DevelopmentStep.objects.filter(development=dev, step="s02").exists()


def test_admission_creates_probationary_member_joined_at_branch_meeting(world):
    dev = walk(
        world,
        start(world),
        "s17",
        {"s15": date(2022, 3, 15), "s16": date(2022, 3, 20), "s17": date(2022, 4, 10)},
    )
    dev.refresh_from_db()
    member = dev.member
    assert member.category == Category.PROBATIONARY
    assert member.joined_on == date(2022, 3, 15)
    assert member.organization == world.branch
    assert member.id_number == dev.id_number
    assert dev.stage == "admission"


def test_confirmation_makes_member_full_and_archive_finishes(world):
    dates = {"s15": date(2022, 3, 15), "s23": date(2023, 3, 20)}
    dev = walk(world, start(world), "s25", dates)
    dev.refresh_from_db()
    member = Member.objects.get(pk=dev.member_id)
    assert member.category == Category.FULL
    assert member.confirmed_on == date(2023, 3, 15)
    assert dev.status == DevelopmentStatus.DONE
    assert AuditLog.objects.filter(action="member.category", target_id=str(member.pk)).exists()
    with pytest.raises(DomainError):
        services.record_step(dev, "s25", done_on=date(2023, 5, 1), actor=None)


def test_withdrawn_development_takes_no_more_steps(world):
    dev = start(world)
    services.withdraw_development(dev, reason="本人撤回", actor=None)
    with pytest.raises(DomainError, match="已终止"):
        services.record_step(dev, "s02", done_on=date(2020, 1, 10), actor=None)


def test_thought_report_once_per_quarter(world):
    dev = start(world)
    services.record_thought_report(dev, submitted_on=date(2020, 5, 1), actor=None)
    with pytest.raises(DomainError, match="第2季度"):
        services.record_thought_report(dev, submitted_on=date(2020, 6, 1), actor=None)


def test_plan_is_per_branch_and_year(world):
    services.set_plan(world.branch, 2024, 3, actor=None)
    plan = services.set_plan(world.branch, 2024, 5, actor=None)
    assert plan.planned == 5
    with pytest.raises(DomainError):
        services.set_plan(world.street, 2024, 1, actor=None)
