"""后备干部 use cases: enter a member into a pool, record training and yearly evaluation, close."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.core.errors import DomainError

from .models import CadreStatus, Evaluation, ReserveCadre, TrainingRecord


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _not_future(day, field):
    if day > timezone.localdate():
        raise DomainError("日期不能晚于今天", field=field)


def add_reserve_cadre(org, member, *, intended_post, entered_on, actor, note="") -> ReserveCadre:
    """Put `member` (active, inside `org`'s subtree) into `org`'s reserve pool."""
    if not member.is_active:
        raise DomainError("该党员党籍状态不正常，不能列为后备干部", field="member")
    if not member.organization.path.startswith(org.path):
        raise DomainError("该党员不在所选党组织内", field="member")
    if not (intended_post or "").strip():
        raise DomainError("请填写拟任岗位", field="intended_post")
    _not_future(entered_on, "entered_on")
    with transaction.atomic():
        try:
            with transaction.atomic():
                cadre = ReserveCadre.objects.create(
                    member=member,
                    organization=org,
                    intended_post=intended_post.strip(),
                    entered_on=entered_on,
                    note=note,
                    created_by=_user(actor),
                )
        except IntegrityError as exc:
            raise DomainError("该党员已在本组织后备干部库中", field="member") from exc
        audit.record(
            "cadre.add", cadre, actor=actor, organization=org.pk, intended_post=intended_post
        )
    return cadre


def set_cadre_status(cadre, status, *, on, actor, note="") -> ReserveCadre:
    """Close an active entry: appointed to the post or removed from the pool."""
    if status not in (CadreStatus.APPOINTED, CadreStatus.REMOVED):
        raise DomainError("状态无效", field="status")
    _not_future(on, "on")
    with transaction.atomic():
        locked = ReserveCadre.objects.select_for_update().get(pk=cadre.pk)
        if locked.status != CadreStatus.ACTIVE:
            raise DomainError(f"该后备干部状态为“{locked.get_status_display()}”，不能再变更")
        if on < locked.entered_on:
            raise DomainError("日期不能早于入库日期", field="on")
        locked.status, locked.status_on = status, on
        if note:
            locked.note = note[:200]
        locked.save(update_fields=["status", "status_on", "note"])
        audit.record("cadre.status", locked, actor=actor, status=status, on=on, note=note)
    cadre.status, cadre.status_on = locked.status, locked.status_on
    return locked


def record_training(cadre, *, course, started_on, actor, ended_on=None, hours=0, organizer=""):
    _not_future(started_on, "started_on")
    if ended_on is not None and ended_on < started_on:
        raise DomainError("结束日期不能早于开始日期", field="ended_on")
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = TrainingRecord.objects.create(
                    cadre=cadre,
                    course=course.strip(),
                    organizer=organizer.strip(),
                    started_on=started_on,
                    ended_on=ended_on,
                    hours=hours or 0,
                    recorded_by=_user(actor),
                )
        except IntegrityError as exc:
            raise DomainError("该培训已记录", field="course") from exc
        audit.record("cadre.training", cadre, actor=actor, course=course, hours=hours)
    return record


def record_evaluation(cadre, *, year, result, evaluator, actor, comment=""):
    if year > timezone.localdate().year:
        raise DomainError("不能评价未来年度", field="year")
    if year < cadre.entered_on.year:
        raise DomainError("评价年度不能早于入库年度", field="year")
    with transaction.atomic():
        try:
            with transaction.atomic():
                evaluation = Evaluation.objects.create(
                    cadre=cadre,
                    year=year,
                    result=result,
                    evaluator=evaluator.strip(),
                    comment=comment,
                    recorded_by=_user(actor),
                )
        except IntegrityError as exc:
            raise DomainError(f"{year}年度评价已记录", field="year") from exc
        audit.record("cadre.evaluation", cadre, actor=actor, year=year, result=result)
    return evaluation
