"""考察: the six-monthly review of activists, its deadlines at the edges, the service and pages."""

from datetime import date

import pytest
from django.urls import reverse

from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog
from xianfeng.development import services
from xianfeng.development.models import ActivistReview, DevelopmentStep
from xianfeng.development.rules import REVIEW_SOURCE, check_timing, review_deadlines

from .factories import start, walk

pytestmark = pytest.mark.django_db

ACTIVIST_ON = date(2021, 1, 31)


def review_rules(dev, today):
    return [v for v in check_timing(dev, today) if v.rule == "activist_review"]


def activist(world, n=1, on=ACTIVIST_ON):
    dev = start(world, n, applied_on=date(2020, 12, 1))
    return walk(world, dev, "s03", dates={"s02": date(2020, 12, 10), "s03": on})


def add_review(dev, day):
    ActivistReview.objects.create(development=dev, reviewed_on=day, result="good")


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        (date(2021, 7, 30), False),
        (date(2021, 7, 31), False),  # exactly six months after 确定积极分子
        (date(2021, 8, 1), True),
    ],
)
def test_first_review_is_due_six_months_after_becoming_activist(world, today, overdue):
    dev = activist(world)
    assert bool(review_rules(dev, today)) is overdue


def test_month_end_start_clips_to_the_shorter_month():
    # 2021-08-31 + 6 months has no 31 February: the due date is 2022-02-28.
    assert review_deadlines(date(2021, 8, 31), [], None, date(2022, 2, 28)) == []
    assert review_deadlines(date(2021, 8, 31), [], None, date(2022, 3, 1)) == [
        (date(2022, 2, 28), None)
    ]


@pytest.mark.parametrize(
    ("review_on", "late"),
    [(date(2021, 7, 31), False), (date(2021, 8, 1), True)],
)
def test_review_on_the_due_date_counts_a_day_later_is_late(world, review_on, late):
    dev = activist(world)
    add_review(dev, review_on)
    found = review_rules(dev, date(2021, 9, 1))
    assert bool(found) is late
    if late:
        assert "过晚" in found[0].message and found[0].source == REVIEW_SOURCE


def test_next_interval_runs_from_the_last_review(world):
    dev = activist(world)
    add_review(dev, date(2021, 5, 15))
    assert not review_rules(dev, date(2021, 11, 15))
    assert "已超期" in review_rules(dev, date(2021, 11, 16))[0].message


def test_no_review_needed_after_becoming_a_candidate(world):
    dev = activist(world)
    add_review(dev, date(2021, 7, 1))
    DevelopmentStep.objects.create(development=dev, step="s04", done_on=date(2021, 7, 2))
    DevelopmentStep.objects.create(development=dev, step="s05", done_on=date(2021, 7, 3))
    DevelopmentStep.objects.create(development=dev, step="s06", done_on=date(2021, 7, 4))
    # Candidate on the very day the second review falls due: nothing is missing.
    DevelopmentStep.objects.create(development=dev, step="s07", done_on=date(2022, 1, 1))
    assert not review_rules(dev, date(2025, 1, 1))


def test_a_gap_before_becoming_candidate_stays_flagged(world):
    dev = activist(world)
    DevelopmentStep.objects.create(development=dev, step="s07", done_on=date(2022, 2, 1))
    assert [v.message for v in review_rules(dev, date(2025, 1, 1))] == [
        "积极分子考察已超期：应在2021-07-31前考察"
    ]


def test_applicant_has_no_review_rule(world):
    dev = start(world, applied_on=date(2020, 1, 6))
    assert not review_rules(dev, date(2025, 1, 1))


def test_service_records_review_with_audit(world):
    dev = activist(world)
    actor = world.users["branch_secretary"]
    review = services.record_activist_review(
        dev, reviewed_on=date(2021, 6, 1), result="good", comment="表现积极", actor=actor
    )
    assert review.reviewed_by == actor
    assert AuditLog.objects.filter(action="development.activist_review").count() == 1


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2021, 1, 30), "不能早于"),  # the day before 确定积极分子
        (date(2999, 1, 1), "晚于今天"),
    ],
)
def test_service_refuses_dates_outside_the_activist_stage(world, day, message):
    dev = activist(world)
    with pytest.raises(DomainError, match=message):
        services.record_activist_review(dev, reviewed_on=day, result="good", actor=None)
    assert not ActivistReview.objects.exists()


def test_service_accepts_the_first_day_and_refuses_a_double(world):
    dev = activist(world)
    services.record_activist_review(dev, reviewed_on=ACTIVIST_ON, result="fair", actor=None)
    with pytest.raises(DomainError, match="已记录"):
        services.record_activist_review(dev, reviewed_on=ACTIVIST_ON, result="good", actor=None)
    assert ActivistReview.objects.count() == 1


def test_service_refuses_an_applicant(world):
    dev = start(world)
    with pytest.raises(DomainError, match="尚未确定为入党积极分子"):
        services.record_activist_review(
            dev, reviewed_on=date(2020, 3, 1), result="good", actor=None
        )


def test_list_flags_overdue_review(world, login):
    activist(world)
    response = login(world.users["branch_secretary"]).get(reverse("development:list"))
    assert "积极分子考察已超期" in response.content.decode()


def test_review_form_records_and_outsider_gets_404(world, login):
    dev = activist(world)
    data = {"reviewed_on": "2021-06-01", "result": "good", "comment": "好"}
    outsider = login(world.users["outsider"])
    assert outsider.post(reverse("development:review", args=[dev.pk]), data).status_code == 404
    assert not ActivistReview.objects.exists()
    client = login(world.users["branch_secretary"])
    response = client.post(reverse("development:review", args=[dev.pk]), data)
    assert response.status_code == 302
    page = client.get(reverse("development:detail", args=[dev.pk])).content.decode()
    assert "2021-06-01" in page


def test_review_form_shows_refusal_in_chinese(world, login):
    dev = activist(world)
    client = login(world.users["branch_secretary"])
    data = {"reviewed_on": "2020-01-01", "result": "good"}
    response = client.post(reverse("development:review", args=[dev.pk]), data)
    assert response.status_code == 200
    assert "不能早于" in response.content.decode()
