"""学习 use cases: publish and require courses, count study time, draw and mark quiz papers."""

import random
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from xianfeng.accounts.scoping import lineage_paths
from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.core.events import point_code, point_event
from xianfeng.orgs.models import Organization

from .models import Course, Question, QuestionKind, Quiz, QuizAttempt, RequiredCourse, StudyRecord
from .rules import credit, is_complete, score_paper

STUDY_CODE = point_code("study.hours")  # paid per hour of the record's credited time


def publish_course(org, *, actor, **fields) -> Course:
    if fields.get("kind") != "text" and not fields.get("file"):
        raise DomainError("音视频和文档课程须上传课件文件", field="file")
    with transaction.atomic():
        course = Course.objects.create(organization=org, created_by=_user(actor), **fields)
        audit.record("course.publish", course, actor=actor, organization=org.code)
    return course


def require_course(course, org, *, actor, starts_on, ends_on) -> RequiredCourse:
    if ends_on < starts_on:
        raise DomainError("截止日期不能早于开始日期", field="ends_on")
    if not org.path.startswith(course.organization.path):
        raise DomainError("只能为课程发布组织及其下级布置必学", field="organization")
    try:
        with transaction.atomic():
            req = RequiredCourse.objects.create(
                course=course,
                organization=org,
                starts_on=starts_on,
                ends_on=ends_on,
                created_by=_user(actor),
            )
            audit.record("course.require", course, actor=actor, organization=org.code)
    except IntegrityError as exc:
        raise DomainError("该组织在此期间已布置过这门课程") from exc
    return req


def courses_for(member):
    """Published courses a member may study: those of their organization and its ancestors."""
    return Course.objects.filter(is_published=True, organization__in=_lineage(member))


def required_for(member, today):
    return RequiredCourse.objects.filter(
        organization__in=_lineage(member), starts_on__lte=today, ends_on__gte=today
    ).select_related("course")


def _lineage(member):
    return Organization.objects.filter(path__in=lineage_paths(member.organization))


def record_beat(member, course, *, now=None) -> StudyRecord:
    """A beat from the course page; credits real time only (see rules.credit)."""
    now = now or timezone.now()
    with transaction.atomic():
        record, _created = StudyRecord.objects.get_or_create(member=member, course=course)
        record = StudyRecord.objects.select_for_update().get(pk=record.pk)
        gap = (now - record.last_beat_at).total_seconds() if record.last_beat_at else None
        record.seconds += credit(gap)
        record.last_beat_at = now
        finished = record.completed_at is None and is_complete(record.seconds, course.minutes)
        if finished:
            record.completed_at = now
        record.save(update_fields=["seconds", "last_beat_at", "completed_at"])
        if finished:
            _announce_study(record, course)
    return record


def _announce_study(record, course):
    point_event.send(
        sender=StudyRecord,
        member=record.member,
        rule_code=STUDY_CODE,
        source=record,
        occurred_on=timezone.localdate(record.completed_at),
        actor=None,
        hours=Decimal(record.seconds) / 3600,
        note=f"完成课程《{course.title}》",
    )


def start_attempt(quiz, member, *, today=None, rng=None) -> QuizAttempt:
    """The member's open paper for `quiz`, or a newly drawn one (a refresh never draws twice)."""
    today = today or timezone.localdate()
    if not quiz.opens_on <= today <= quiz.closes_on:
        raise DomainError("不在测试开放时间内")
    with transaction.atomic():
        attempts = QuizAttempt.objects.select_for_update().filter(quiz=quiz, member=member)
        open_attempt = next((a for a in attempts if a.submitted_at is None), None)
        if open_attempt:
            return open_attempt
        used = len(attempts)
        if used >= quiz.attempts_allowed:
            raise DomainError(f"已答 {used} 次，达到可答次数上限")
        bank = list(bank_for(quiz).values_list("pk", flat=True))
        if len(bank) < quiz.question_count:
            raise DomainError(
                f"题库“{quiz.topic}”只有 {len(bank)} 题，不足 {quiz.question_count} 题"
            )
        drawn = (rng or random.SystemRandom()).sample(bank, quiz.question_count)
        try:
            with transaction.atomic():
                return QuizAttempt.objects.create(
                    quiz=quiz, member=member, number=used + 1, question_ids=drawn
                )
        except IntegrityError as exc:
            raise DomainError("答卷已生成，请刷新页面") from exc


def bank_for(quiz):
    """Questions of the quiz's topic from the quiz's organization and the organizations above it."""
    prefixes = lineage_paths(quiz.organization)
    return Question.objects.filter(topic=quiz.topic, organization__path__in=prefixes)


def paper(attempt):
    by_id = Question.objects.in_bulk(attempt.question_ids)
    return [by_id[pk] for pk in attempt.question_ids if pk in by_id]


def submit_attempt(attempt, answers) -> QuizAttempt:
    """Mark the paper. Submitting again (double tap, retry) returns the first result unchanged."""
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.submitted_at:
            return attempt
        questions = paper(attempt)
        clean = {str(q.pk): _valid_choices(q, answers.get(str(q.pk), [])) for q in questions}
        attempt.answers = clean
        attempt.score = score_paper(questions, clean)
        attempt.submitted_at = timezone.now()
        attempt.save(update_fields=["answers", "score", "submitted_at"])
    return attempt


def _valid_choices(question, chosen):
    indexes = sorted(
        {int(c) for c in chosen if str(c).isdigit() and int(c) < len(question.options)}
    )
    return indexes[:1] if question.kind != QuestionKind.MULTIPLE else indexes


def add_question(org, *, topic, kind, text, options, answer, explanation="") -> Question:
    errors = question_errors(kind, options, answer)
    if errors:
        raise DomainError(errors[0])
    return Question.objects.create(
        organization=org,
        topic=topic,
        kind=kind,
        text=text,
        options=options,
        answer=sorted(answer),
        explanation=explanation,
    )


def question_errors(kind, options, answer) -> list[str]:
    errors = []
    if kind not in QuestionKind.values:
        errors.append("题型须为 单选、多选 或 判断")
    elif kind == QuestionKind.JUDGE and options != ["对", "错"]:
        errors.append("判断题的选项为“对”“错”")
    elif len(options) < 2:
        errors.append("选择题至少两个选项")
    if not answer or any(i >= len(options) for i in answer):
        errors.append("答案须是已有选项")
    elif kind != QuestionKind.MULTIPLE and len(answer) != 1:
        errors.append("单选题和判断题只有一个答案")
    return errors


def open_quizzes_for(member, today):
    return Quiz.objects.filter(
        organization__path__in=lineage_paths(member.organization),
        opens_on__lte=today,
        closes_on__gte=today,
    )


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None
