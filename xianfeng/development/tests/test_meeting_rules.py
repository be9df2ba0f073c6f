"""支部大会表决 (细则 第二十、二十一、三十三条) and the three-month departure rule (第十九条)."""

from datetime import date

import pytest
from django.urls import reverse

from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog
from xianfeng.development import services
from xianfeng.development.models import DevelopmentStep
from xianfeng.development.rules import leaves_soon, meeting_vote_error

from .factories import VOTE, start, walk

pytestmark = pytest.mark.django_db

ADMITTED = {"s15": date(2022, 3, 15), "s16": date(2022, 3, 20), "s17": date(2022, 4, 10)}


@pytest.mark.parametrize(
    ("entitled", "present", "votes", "field"),
    [
        (10, 5, 6, "voters_present"),  # exactly half present: not more than half
        (10, 6, 6, None),  # half + 1 present, half + 1 in favour
        (10, 6, 5, "votes_for"),  # exactly half of those entitled in favour
        (10, 10, 5, "votes_for"),  # all present, but 5 of 10 entitled is not more than half
        (9, 5, 5, None),  # odd: 5 of 9 is more than half
        (9, 4, 5, "voters_present"),
        (10, 6, 8, None),  # written opinions of absent members count: votes may exceed present
        (10, 11, 6, "voters_present"),
        (10, 6, 11, "votes_for"),
        (0, 0, 0, "voters_entitled"),
        (None, 6, 6, "voters_entitled"),
    ],
)
def test_vote_edges(entitled, present, votes, field):
    error = meeting_vote_error("s15", entitled, present, votes)
    assert (error[0] if error else None) == field


def test_majority_is_of_those_entitled_not_of_those_present():
    # 6 present of 10, all 6 vote for: more than half of those present would pass 4 of 6,
    # but 4 of the 10 entitled does not.
    field, message = meeting_vote_error("s23", 10, 6, 4)
    assert field == "votes_for"
    assert "未超过应到会有表决权的正式党员10名的半数" in message
    assert "预备党员转正" in message


def _to(world, until):
    return walk(world, start(world), until, {k: v for k, v in ADMITTED.items() if k < until})


def test_admission_meeting_refused_without_the_vote_and_nothing_saved(world):
    dev = _to(world, "s14")
    with pytest.raises(DomainError, match="须记录应到会有表决权人数"):
        services.record_step(dev, "s15", done_on=date(2022, 3, 15), actor=None)
    with pytest.raises(DomainError, match="未超过应到会10名的半数") as exc:
        services.record_step(
            dev,
            "s15",
            done_on=date(2022, 3, 15),
            actor=None,
            voters_entitled=10,
            voters_present=5,
            votes_for=5,
        )
    assert exc.value.field == "voters_present"
    assert not DevelopmentStep.objects.filter(development=dev, step="s15").exists()


def test_admission_meeting_at_half_plus_one_is_recorded_with_the_counts(world):
    dev = _to(world, "s14")
    services.record_step(
        dev,
        "s15",
        done_on=date(2022, 3, 15),
        actor=None,
        voters_entitled=10,
        voters_present=6,
        votes_for=6,
    )
    step = DevelopmentStep.objects.get(development=dev, step="s15")
    assert (step.voters_entitled, step.voters_present, step.votes_for) == (10, 6, 6)
    entry = (
        AuditLog.objects.filter(action="development.step", target_id=str(dev.pk))
        .order_by("pk")
        .last()
    )
    assert "votes_for" in str(entry.data)


def test_confirmation_meeting_refused_at_exactly_half_in_favour(world):
    dev = walk(world, start(world), "s22", ADMITTED)
    with pytest.raises(DomainError, match="决议未通过"):
        services.record_step(
            dev,
            "s23",
            done_on=date(2023, 3, 20),
            actor=None,
            voters_entitled=8,
            voters_present=8,
            votes_for=4,
        )
    services.record_step(
        dev,
        "s23",
        done_on=date(2023, 3, 20),
        actor=None,
        voters_entitled=8,
        voters_present=8,
        votes_for=5,
    )
    assert DevelopmentStep.objects.get(development=dev, step="s23").votes_for == 5


def test_other_steps_take_no_vote(world):
    dev = start(world)
    services.record_step(dev, "s02", done_on=date(2020, 1, 20), actor=None)
    assert DevelopmentStep.objects.get(development=dev, step="s02").voters_entitled is None


# ------------------------------------------------------------------ leaving within 3 months


def test_leaves_soon_edges():
    day = date(2022, 3, 15)
    assert leaves_soon(date(2022, 6, 15), day)  # exactly three months later: within
    assert not leaves_soon(date(2022, 6, 16), day)
    assert leaves_soon(date(2022, 3, 1), day)  # already gone
    assert not leaves_soon(None, day)
    assert leaves_soon(date(2022, 2, 28), date(2021, 11, 30))  # month end clipped


def test_candidate_leaving_within_three_months_is_refused_then_overridden(world):
    dev = _to(world, "s14")
    kwargs = {"done_on": date(2022, 3, 15), "actor": None, **VOTE}
    with pytest.raises(DomainError, match="一般不办理接收预备党员的手续") as exc:
        services.record_step(dev, "s15", expected_departure_on=date(2022, 6, 15), **kwargs)
    assert exc.value.field == "departure_reason"
    dev.refresh_from_db()
    assert dev.expected_departure_on is None  # the refused request saved nothing
    services.record_step(
        dev,
        "s15",
        expected_departure_on=date(2022, 6, 15),
        departure_reason="随单位整体调动，上级党委同意在本支部接收",
        **kwargs,
    )
    dev.refresh_from_db()
    assert dev.expected_departure_on == date(2022, 6, 15)
    step = DevelopmentStep.objects.get(development=dev, step="s15")
    assert step.departure_reason.startswith("随单位整体调动")
    entry = (
        AuditLog.objects.filter(action="development.step", target_id=str(dev.pk))
        .order_by("pk")
        .last()
    )
    assert "departure_reason" in str(entry.data)
    # the committee's approval (s17) checks again, three months from its own date
    services.record_step(dev, "s16", done_on=date(2022, 3, 20), actor=None)
    with pytest.raises(DomainError, match="三个月内|3个月内"):
        services.record_step(dev, "s17", done_on=date(2022, 4, 10), actor=None)


def test_departure_a_day_after_three_months_is_not_warned(world):
    dev = _to(world, "s14")
    services.record_step(
        dev,
        "s15",
        done_on=date(2022, 3, 15),
        actor=None,
        expected_departure_on=date(2022, 6, 16),
        **VOTE,
    )
    assert DevelopmentStep.objects.get(development=dev, step="s15").departure_reason == ""


def test_step_form_shows_the_refusal_in_chinese(world, login):
    dev = _to(world, "s14")
    client = login(world.users["branch_secretary"])
    response = client.post(
        reverse("development:record", args=[dev.pk]),
        {
            "step": "s15",
            "done_on": "2022-03-15",
            "voters_entitled": "10",
            "voters_present": "5",
            "votes_for": "5",
        },
    )
    assert response.status_code == 200
    assert "未超过应到会10名的半数" in response.content.decode()
    response = client.post(
        reverse("development:record", args=[dev.pk]),
        {
            "step": "s15",
            "done_on": "2022-03-15",
            "voters_entitled": "10",
            "voters_present": "6",
            "votes_for": "6",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("development:detail", args=[dev.pk])).content.decode()
    assert "应到会有表决权10人，实到6人，赞成6人" in page
