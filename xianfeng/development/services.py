"""发展党员 use cases: start a development, record its steps in order, plans and reports.

Timing rules never refuse a step (the date is a fact that happened); they are returned
as violations so the page can flag them. Order is enforced: a step needs the one before.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.core.dates import add_years
from xianfeng.core.errors import DomainError
from xianfeng.members import services as member_services
from xianfeng.members.models import Category, MemberStatus
from xianfeng.orgs.models import OrgKind
from xianfeng.orgs.rules import refuse_if_temporary

from .models import (
    ActivistReview,
    Development,
    DevelopmentPlan,
    DevelopmentStatus,
    DevelopmentStep,
    ThoughtReport,
)
from .rules import (
    ARCHIVED,
    BRANCH_ADMITS,
    BRANCH_CONFIRMS,
    COMMITTEE_ADMITS,
    COMMITTEE_CONFIRMS,
    DEPARTURE_MONTHS,
    DEPARTURE_STEPS,
    FIRST_STEP,
    MEETING_VOTE_STEPS,
    PROBATION_EXTENSION_MAX_MONTHS,
    PROBATION_EXTENSION_MIN_MONTHS,
    REVIEW_FROM,
    REVIEW_UNTIL,
    STEP_BY_CODE,
    STEP_CODES,
    check_timing,
    leaves_soon,
    meeting_vote_error,
    probation_ends_on,
    step_index,
)

PERSON_FIELDS = ("name", "id_number", "gender", "birth_date", "phone")


def start_development(org, *, actor, applied_on, people="", note="", **person) -> Development:
    """Register an applicant (入党申请人) in branch `org` with step 1, 递交入党申请书."""
    unknown = set(person) - set(PERSON_FIELDS)
    if unknown:
        raise DomainError(f"未知字段：{', '.join(sorted(unknown))}")
    fields = _person_fields(person)
    if applied_on < add_years(fields["birth_date"], member_services.ADMISSION_AGE):
        raise DomainError("年满十八岁方可申请入党", field="birth_date")
    if org.kind != OrgKind.BRANCH:
        raise DomainError("发展党员须在党支部进行", field="organization")
    refuse_if_temporary(org, "recruit")
    with transaction.atomic():
        if Development.objects.filter(
            id_number=fields["id_number"], status=DevelopmentStatus.ACTIVE
        ).exists():
            raise DomainError("该身份证号已有进行中的发展记录", field="id_number")
        development = Development.objects.create(organization=org, **fields)
        DevelopmentStep.objects.create(
            development=development,
            step=FIRST_STEP,
            done_on=applied_on,
            people=people,
            note=note,
            recorded_by=_user(actor),
        )
        audit.record(
            "development.start",
            development,
            actor=actor,
            organization=org.pk,
            applied_on=applied_on,
        )
    return development


def _person_fields(person):
    checked = {k: person.get(k) for k in ("name", "id_number", "birth_date", "gender")}
    checked["joined_on"] = timezone.localdate()  # member_errors needs one; not stored here
    errors = member_services.member_errors(checked)
    errors.pop("joined_on", None)
    if errors:
        raise member_services.InvalidMember(errors)
    return {
        "name": checked["name"].strip(),
        "id_number": checked["id_number"],
        "gender": checked["gender"],
        "birth_date": checked["birth_date"],
        "phone": (person.get("phone") or "").strip(),
    }


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def record_step(
    development,
    step_code,
    *,
    done_on,
    people="",
    note="",
    actor,
    end_on=None,
    hours=None,
    document=None,
    voters_entitled=None,
    voters_present=None,
    votes_for=None,
    expected_departure_on=None,
    departure_reason="",
):
    """Record `step_code` done on `done_on`; returns the timing violations now present.

    Refuses a step out of order, a step recorded twice and a date before the previous
    step. The two 支部大会 steps (接收, 转正) need the vote: more than half of those entitled
    present, more than half of those entitled in favour (细则 第二十、二十一、三十三条). At the
    admission steps a candidate expected to leave within three months is refused unless a
    reason is given (细则 第十九条). At 上级党委审批 the probationary member is registered
    (joined on the branch meeting's date); at 上级党委审批(转正) the member becomes full.
    """
    if step_code not in STEP_BY_CODE:
        raise DomainError("步骤无效", field="step")
    departure_reason = (departure_reason or "").strip()
    vote = {}
    if step_code in MEETING_VOTE_STEPS:
        error = meeting_vote_error(step_code, voters_entitled, voters_present, votes_for)
        if error:
            raise DomainError(error[1], field=error[0])
        vote = {
            "voters_entitled": voters_entitled,
            "voters_present": voters_present,
            "votes_for": votes_for,
        }
    with transaction.atomic():
        locked = Development.objects.select_for_update().get(pk=development.pk)
        steps = {s.step: s for s in locked.steps.all()}
        _check_order(locked, steps, step_code, done_on)
        if expected_departure_on is not None:
            locked.expected_departure_on = expected_departure_on
            locked.save(update_fields=["expected_departure_on"])
        reason = _check_departure(locked, step_code, done_on, departure_reason)
        try:
            with transaction.atomic():
                DevelopmentStep.objects.create(
                    development=locked,
                    step=step_code,
                    done_on=done_on,
                    end_on=end_on,
                    hours=hours,
                    people=people,
                    note=note,
                    document=document or "",
                    departure_reason=reason,
                    recorded_by=_user(actor),
                    **vote,
                )
        except IntegrityError as exc:
            raise DomainError("该步骤已记录", field="step") from exc
        _consequences(locked, step_code, done_on, steps, actor)
        audit.record(
            "development.step",
            locked,
            actor=actor,
            step=step_code,
            done_on=done_on,
            people=people,
            **vote,
            **({"departure_reason": reason} if reason else {}),
        )
        fresh = _with_related(locked.pk)
    development.member_id, development.status = fresh.member_id, fresh.status
    return check_timing(fresh)


def _check_departure(development, step_code, done_on, reason) -> str:
    """The reason kept on the step when the candidate leaves within three months ("" else)."""
    if step_code not in DEPARTURE_STEPS:
        return ""
    if not leaves_soon(development.expected_departure_on, done_on):
        return ""
    if not reason:
        raise DomainError(
            f"发展对象预计于{development.expected_departure_on:%Y-%m-%d}离开工作、学习单位，"
            f"在{DEPARTURE_MONTHS}个月内，一般不办理接收预备党员的手续；确需办理的，请填写理由",
            field="departure_reason",
        )
    return reason


def _check_order(development, steps, step_code, done_on):
    if development.status != DevelopmentStatus.ACTIVE:
        raise DomainError(f"该发展记录{development.get_status_display()}，不能再记录步骤")
    if step_code in steps:
        raise DomainError(f"“{STEP_BY_CODE[step_code].name}”已记录", field="step")
    index = step_index(step_code)
    missing = [c for c in STEP_CODES[:index] if c not in steps]
    if missing:
        name = STEP_BY_CODE[missing[0]].name
        raise DomainError(f"请先完成“{name}”", field="step")
    if index and done_on < steps[STEP_CODES[index - 1]].done_on:
        raise DomainError("日期不能早于上一步骤", field="done_on")
    if done_on > timezone.localdate():
        raise DomainError("日期不能晚于今天", field="done_on")


def _consequences(development, step_code, done_on, steps, actor):
    if step_code == COMMITTEE_ADMITS:
        _admit(development, steps[BRANCH_ADMITS].done_on, actor)
    elif step_code == COMMITTEE_CONFIRMS:
        _confirm(development, probation_ends_on(development, steps), actor)
    elif step_code == ARCHIVED:
        development.status = DevelopmentStatus.DONE
        development.save(update_fields=["status"])


def _admit(development, joined_on, actor):
    member = member_services.create_member(
        development.organization,
        actor=actor,
        since=joined_on,
        name=development.name,
        id_number=development.id_number,
        gender=development.gender,
        birth_date=development.birth_date,
        phone=development.phone or None,
        joined_on=joined_on,
        category=Category.PROBATIONARY,
    )
    development.member = member
    development.save(update_fields=["member"])


def _confirm(development, confirmed_on, actor):
    if development.member is None:
        raise DomainError("尚未登记为预备党员，不能转正")
    # 党章 第七条: 党龄从预备期满转为正式党员之日算起 — an extension moves that day.
    member_services.set_category(
        development.member, Category.FULL, confirmed_on=confirmed_on, actor=actor
    )


def _in_probation(locked, steps):
    if locked.status != DevelopmentStatus.ACTIVE or locked.member_id is None:
        raise DomainError("只有已登记的预备党员才能办理此事项")
    if BRANCH_CONFIRMS in steps:
        raise DomainError("支部大会已讨论转正，不能再办理此事项")


def extend_probation(
    development: Development, *, decided_on: date, months: int, reason: str, actor
) -> Development:
    """延长预备期: once, by six months to a year (党章 第七条, 细则 第五章); the 转正 date moves."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Development.objects.select_for_update().get(pk=development.pk)
        steps = {s.step: s for s in locked.steps.all()}
        _in_probation(locked, steps)
        if locked.probation_extension_months:
            raise DomainError("预备期只能延长一次")
        if not PROBATION_EXTENSION_MIN_MONTHS <= months <= PROBATION_EXTENSION_MAX_MONTHS:
            raise DomainError("延长预备期不能少于6个月，最长不超过12个月", field="months")
        if decided_on > timezone.localdate():
            raise DomainError("日期不能晚于今天", field="decided_on")
        if decided_on < steps[BRANCH_ADMITS].done_on:
            raise DomainError("日期不能早于接收预备党员的支部大会", field="decided_on")
        if not reason:
            raise DomainError("请填写延长预备期的原因", field="reason")
        locked.probation_extended_on, locked.probation_extension_months = decided_on, months
        locked.probation_extension_reason = reason
        locked.save(
            update_fields=[
                "probation_extended_on",
                "probation_extension_months",
                "probation_extension_reason",
            ]
        )
        audit.record(
            "development.extend_probation",
            locked,
            actor=actor,
            decided_on=decided_on,
            months=months,
            reason=reason,
        )
    return locked


def cancel_probation(development: Development, *, decided_on: date, reason: str, actor):
    """取消预备党员资格 (党章 第七条): the development ends and the person leaves the rolls."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Development.objects.select_for_update().get(pk=development.pk)
        steps = {s.step: s for s in locked.steps.all()}
        _in_probation(locked, steps)
        if not reason:
            raise DomainError("请填写取消预备党员资格的原因", field="reason")
        if decided_on < steps[BRANCH_ADMITS].done_on:
            raise DomainError("日期不能早于接收预备党员的支部大会", field="decided_on")
        member_services.change_status(
            locked.member,
            MemberStatus.LEFT,
            on=decided_on,
            reason=f"取消预备党员资格：{reason}",
            actor=actor,
        )
        locked.status = DevelopmentStatus.CANCELLED
        locked.save(update_fields=["status"])
        audit.record(
            "development.cancel_probation",
            locked,
            actor=actor,
            decided_on=decided_on,
            reason=reason,
        )
    return locked


def _with_related(pk):
    return Development.objects.prefetch_related(*RELATED).get(pk=pk)


RELATED = ("steps", "thought_reports", "activist_reviews")


def withdraw_development(development, *, reason, actor):
    with transaction.atomic():
        locked = Development.objects.select_for_update().get(pk=development.pk)
        if locked.status != DevelopmentStatus.ACTIVE:
            raise DomainError("该发展记录不在进行中")
        locked.status = DevelopmentStatus.WITHDRAWN
        locked.save(update_fields=["status"])
        audit.record("development.withdraw", locked, actor=actor, reason=reason)
    development.status = locked.status
    return development


def record_thought_report(development, *, submitted_on, actor, year=None, quarter=None):
    year = year or submitted_on.year
    quarter = quarter or (submitted_on.month - 1) // 3 + 1
    with transaction.atomic():
        try:
            with transaction.atomic():
                report = ThoughtReport.objects.create(
                    development=development, year=year, quarter=quarter, submitted_on=submitted_on
                )
        except IntegrityError as exc:
            raise DomainError(f"{year}年第{quarter}季度的思想汇报已记录") from exc
        audit.record(
            "development.thought_report", development, actor=actor, year=year, quarter=quarter
        )
    return report


def set_plan(org, year, planned, *, actor, note=""):
    if org.kind != OrgKind.BRANCH:
        raise DomainError("发展计划按党支部制定", field="organization")
    with transaction.atomic():
        plan, _created = DevelopmentPlan.objects.select_for_update().update_or_create(
            organization=org, year=year, defaults={"planned": planned, "note": note}
        )
        audit.record("development.plan", plan, actor=actor, year=year, planned=planned)
    return plan


def record_activist_review(development, *, reviewed_on, result, actor, comment=""):
    """Record the branch's 考察 of an activist: between 确定入党积极分子 and 确定发展对象."""
    with transaction.atomic():
        locked = Development.objects.select_for_update().get(pk=development.pk)
        steps = {s.step: s.done_on for s in locked.steps.all()}
        if locked.status != DevelopmentStatus.ACTIVE:
            raise DomainError("该发展记录不在进行中")
        if REVIEW_FROM not in steps:
            raise DomainError("尚未确定为入党积极分子，不能记录考察", field="reviewed_on")
        if reviewed_on < steps[REVIEW_FROM]:
            raise DomainError("考察日期不能早于确定为入党积极分子的日期", field="reviewed_on")
        if REVIEW_UNTIL in steps and reviewed_on > steps[REVIEW_UNTIL]:
            raise DomainError("已确定为发展对象，考察日期不能晚于该日期", field="reviewed_on")
        if reviewed_on > timezone.localdate():
            raise DomainError("日期不能晚于今天", field="reviewed_on")
        try:
            with transaction.atomic():
                review = ActivistReview.objects.create(
                    development=locked,
                    reviewed_on=reviewed_on,
                    result=result,
                    comment=comment,
                    reviewed_by=_user(actor),
                )
        except IntegrityError as exc:
            raise DomainError(f"{reviewed_on:%Y-%m-%d}的考察已记录", field="reviewed_on") from exc
        audit.record(
            "development.activist_review",
            locked,
            actor=actor,
            reviewed_on=reviewed_on,
            result=result,
        )
    return review
