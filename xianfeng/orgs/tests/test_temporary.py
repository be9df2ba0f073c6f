"""临时党支部: the services refuse recruiting, discipline, dues and elections."""

from datetime import date

import pytest
from django.utils import timezone

from xianfeng.core.errors import DomainError
from xianfeng.development import services as development_services
from xianfeng.development.tests.factories import person
from xianfeng.dues import services as dues_services
from xianfeng.elections import services as election_services
from xianfeng.members import services as member_services
from xianfeng.members.models import MemberStatus
from xianfeng.testing import make_member, make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def temporary(world):
    return make_org("拆迁项目临时党支部", parent=world.street, is_temporary=True)


def test_no_recruiting(world, temporary):
    with pytest.raises(DomainError, match="临时党组织，不能发展党员"):
        development_services.start_development(
            temporary, actor=None, applied_on=date(2024, 1, 6), **person()
        )


def test_no_elections(world, temporary):
    with pytest.raises(DomainError, match="不能进行换届选举"):
        election_services.plan_election(
            temporary, planned_on=date(2024, 5, 1), seats=1, actor=world.users["admin"]
        )


@pytest.mark.parametrize("status", [MemberStatus.PARTY_PROBATION, MemberStatus.LEFT])
def test_no_discipline(world, temporary, status):
    member = make_member(temporary, "临时支部党员")
    with pytest.raises(DomainError, match="不能处分党员"):
        member_services.change_status(member, status, on=date(2024, 3, 1), actor=None)


def test_lost_contact_is_still_recorded(world, temporary):
    member = make_member(temporary, "临时支部党员")
    member_services.change_status(
        member, MemberStatus.LOST_CONTACT, on=date(2024, 3, 1), actor=None
    )


def test_no_dues(world, temporary):
    member = make_member(temporary, "临时支部党员")
    today = timezone.localdate()
    with pytest.raises(DomainError, match="不能收缴党费"):
        dues_services.record_payment(member, today, paid_on=today, method="self", actor=None)
    with pytest.raises(DomainError, match="不能收缴党费"):
        dues_services.record_voluntary_payment(member, amount=100, paid_on=today, actor=None)
