"""延长预备期 and 取消预备党员资格 (党章 第七条, 细则 第五章)."""

from datetime import date

import pytest

from xianfeng.core.errors import DomainError
from xianfeng.development import services
from xianfeng.development.models import DevelopmentStatus
from xianfeng.members.models import Category, Member, MemberStatus

from .factories import VOTE, start, walk

pytestmark = pytest.mark.django_db
ADMITTED = {"s15": date(2022, 3, 15), "s16": date(2022, 3, 20), "s17": date(2022, 4, 10)}


def probationary(world):
    return walk(world, start(world), "s17", ADMITTED)


def extend(dev, months=6, decided_on=date(2023, 3, 10), reason="继续考察"):
    return services.extend_probation(
        dev, decided_on=decided_on, months=months, reason=reason, actor=None
    )


@pytest.mark.parametrize(("months", "allowed"), [(5, False), (6, True), (12, True), (13, False)])
def test_extension_between_six_months_and_a_year(world, months, allowed):
    dev = probationary(world)
    if allowed:
        assert extend(dev, months).probation_extension_months == months
    else:
        with pytest.raises(DomainError, match="不能少于6个月"):
            extend(dev, months)


def test_extension_only_once(world):
    dev = probationary(world)
    extend(dev)
    with pytest.raises(DomainError, match="只能延长一次"):
        extend(dev, 6)


def test_extension_moves_the_confirmation_date_and_party_age(world):
    dev = probationary(world)
    extend(dev, 6)
    dates = {**ADMITTED, "s23": date(2023, 9, 20)}
    for code in ("s18", "s19", "s20", "s21", "s22", "s23", "s24"):
        vote = VOTE if code == "s23" else {}
        services.record_step(
            dev, code, done_on=dates.get(code, date(2023, 9, 20)), actor=None, **vote
        )
    member = Member.objects.get(pk=dev.member_id)
    assert member.category == Category.FULL
    assert member.confirmed_on == date(2023, 9, 15)  # a year and six months after 2022-03-15
    assert member.party_age(date(2024, 9, 14)) == 0
    assert member.party_age(date(2024, 9, 15)) == 1


def test_confirmation_before_the_extended_end_is_flagged(world):
    dev = probationary(world)
    extend(dev, 6)
    for code in ("s18", "s19", "s20", "s21", "s22"):
        services.record_step(dev, code, done_on=date(2023, 3, 16), actor=None)
    found = services.record_step(dev, "s23", done_on=date(2023, 3, 20), actor=None, **VOTE)
    assert any(v.rule == "probation_one_year" and "2023-09-15" in v.message for v in found)


def test_no_extension_before_admission_or_after_the_confirmation_meeting(world):
    dev = walk(world, start(world), "s15", ADMITTED)
    with pytest.raises(DomainError, match="预备党员"):
        extend(dev)


def test_cancelling_probation_takes_the_member_off_the_rolls(world):
    dev = probationary(world)
    services.cancel_probation(
        dev, decided_on=date(2023, 3, 10), reason="不具备党员条件", actor=None
    )
    dev.refresh_from_db()
    assert dev.status == DevelopmentStatus.CANCELLED
    member = Member.objects.get(pk=dev.member_id)
    assert member.status == MemberStatus.LEFT
    assert member.status_changes.get().reason.startswith("取消预备党员资格")


def test_probation_form_on_the_timeline(world, login):
    dev = probationary(world)
    client = login(world.users["branch_secretary"])
    url = f"/development/{dev.pk}/probation/"
    response = client.post(url, {"action": "extend", "decided_on": "2023-03-10", "reason": "考察"})
    assert response.status_code == 200 and "请填写延长月数" in response.content.decode()
    data = {"action": "extend", "decided_on": "2023-03-10", "months": 6, "reason": "考察"}
    assert client.post(url, data).status_code == 302
    body = client.get(f"/development/{dev.pk}/").content.decode()
    assert "2023-09-15" in body and "延长预备期6个月" in body
