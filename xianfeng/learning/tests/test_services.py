import random
from datetime import timedelta

import pytest
from django.utils import timezone

from xianfeng.core.errors import DomainError
from xianfeng.core.events import point_event
from xianfeng.learning import services
from xianfeng.learning.models import QuizAttempt, StudyRecord

from .factories import course, questions, quiz

pytestmark = pytest.mark.django_db


def beats(member, c, gaps):
    now = timezone.now()
    services.record_beat(member, c, now=now)
    for gap in gaps:
        now += timedelta(seconds=gap)
        record = services.record_beat(member, c, now=now)
    return record


def test_study_time_counts_only_visible_time(world):
    c = course(world)
    record = beats(world.member, c, [30, 30, 600, 30, 5])  # the 600 s gap: page was hidden
    assert record.seconds == 95
    assert record.completed_at is None


def test_finishing_a_course_announces_points_once(world, django_capture_on_commit_callbacks):
    c = course(world, minutes=1)
    heard = []

    def listen(sender, **kwargs):
        heard.append(kwargs)

    point_event.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            beats(world.member, c, [30, 30, 30])
    finally:
        point_event.disconnect(listen)
    record = StudyRecord.objects.get()
    assert record.completed_at is not None
    assert [(h["rule_code"], h["source"]) for h in heard] == [("study.hours", record)]


def test_a_member_sees_courses_of_their_org_and_above_only(world):
    mine, above = (
        course(world, org=world.branch),
        course(world, title="区级课程", org=world.district),
    )
    course(world, title="邻居", org=world.branch2)
    course(world, title="外街", org=world.other_street)
    assert set(services.courses_for(world.member)) == {mine, above}


def test_require_a_course_only_below_its_publisher(world):
    c = course(world, org=world.branch)
    today = timezone.localdate()
    with pytest.raises(DomainError, match="下级"):
        services.require_course(c, world.street, actor=None, starts_on=today, ends_on=today)
    services.require_course(c, world.branch, actor=None, starts_on=today, ends_on=today)
    with pytest.raises(DomainError, match="已布置过"):
        services.require_course(c, world.branch, actor=None, starts_on=today, ends_on=today)
    assert [r.course for r in services.required_for(world.member, today)] == [c]


def test_a_refresh_returns_the_same_paper(world):
    questions(world, 5)
    qz = quiz(world)
    first = services.start_attempt(qz, world.member, rng=random.Random(1))
    again = services.start_attempt(qz, world.member, rng=random.Random(2))
    assert again.pk == first.pk and len(first.question_ids) == 3


def test_attempts_are_limited_and_submitting_twice_marks_once(world):
    bank = questions(world, 3)
    qz = quiz(world, attempts_allowed=1)
    attempt = services.start_attempt(qz, world.member)
    right = {str(q.pk): [str(q.answer[0])] for q in bank}
    done = services.submit_attempt(attempt, right)
    assert done.score == 100
    again = services.submit_attempt(attempt, {})
    assert again.score == 100 and again.submitted_at == done.submitted_at
    with pytest.raises(DomainError, match="上限"):
        services.start_attempt(qz, world.member)
    assert QuizAttempt.objects.count() == 1


def test_bad_choices_are_dropped_and_single_choice_keeps_one(world):
    [q1] = questions(world, 1)
    qz = quiz(world, question_count=1)
    attempt = services.submit_attempt(
        services.start_attempt(qz, world.member), {str(q1.pk): ["0", "1", "9", "x"]}
    )
    assert attempt.answers == {str(q1.pk): [0]}


def test_a_bank_too_small_or_a_closed_quiz_is_refused(world):
    questions(world, 2)
    with pytest.raises(DomainError, match="不足 3 题"):
        services.start_attempt(quiz(world), world.member)
    closed = quiz(world, closes_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(DomainError, match="开放时间"):
        services.start_attempt(closed, world.member)


def test_questions_of_another_street_are_not_drawn(world):
    questions(world, 3, org=world.other_street)
    with pytest.raises(DomainError, match="只有 0 题"):
        services.start_attempt(quiz(world), world.member)


@pytest.mark.parametrize(
    ("kind", "options", "answer", "message"),
    [
        ("single", ["甲", "乙"], [0, 1], "只有一个答案"),
        ("single", ["甲"], [0], "至少两个选项"),
        ("multiple", ["甲", "乙"], [2], "已有选项"),
        ("judge", ["是", "否"], [0], "对"),
        ("essay", ["甲", "乙"], [0], "题型"),
    ],
)
def test_question_rules(world, kind, options, answer, message):
    with pytest.raises(DomainError, match=message):
        services.add_question(
            world.street, topic="t", kind=kind, text="x", options=options, answer=answer
        )
