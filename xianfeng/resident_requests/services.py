"""诉求 services: intake, the handling steps at each level, the resident's rating and reopening.

首问负责制: the first login to accept a request becomes its owner and stays so as it climbs.
一次性告知制: the category's checklist is shown at intake and attached at acceptance.
限时办结制: respond and finish deadlines on the working calendar (xianfeng/core/workcal.py);
`next_due` is the single moment the escalation job (escalation.py) waits for.
"""

import re
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from xianfeng.core import workcal
from xianfeng.core.audit import record
from xianfeng.core.errors import DomainError
from xianfeng.core.events import point_code, point_event
from xianfeng.notices.models import NoticeKind

from . import notices, rollups
from .models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    UNANSWERED_STATUSES,
    Channel,
    Datatype,
    RequestEvent,
    RequestPhoto,
    ResidentRequest,
    Status,
    TimeUnit,
)
from .routing import chain_of, may_dispatch, may_handle
from .uploads import check_photos

REOPEN_DAYS = 7
MAX_TEXT = 2000
OPEN311_TEXT = 4000
PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
RESIDENT = "居民"
BATCH_ROUTE = 500
SOLVED_CODE = point_code("request.solved")  # the owner member earns points


# ---------------------------------------------------------------- helpers


def due_after(start, amount, unit):
    if unit == TimeUnit.WORK_HOURS:
        return workcal.add_work_hours(start, amount)
    return workcal.add_workdays(start, amount)


def calendar_warning(start, end):
    years = workcal.uncovered_years(start, end)
    if not years:
        return ""
    return f"{'、'.join(map(str, years))}年节假日安排未录入，时限仅按周末推算"


def clean_text(value, *, field, label, required=True, limit=MAX_TEXT):
    value = CONTROL_RE.sub("", (value or "").strip())
    if required and not value:
        raise DomainError(f"请填写{label}", field=field)
    if len(value) > limit:
        raise DomainError(f"{label}不能超过 {limit} 字", field=field)
    return value


def _actor_name(actor):
    if actor is None or not actor.is_authenticated:
        return RESIDENT
    if not actor.display_name and actor.member_id:
        return actor.member.name
    return str(actor)[:50]


def _step(req, action, *, actor=None, note="", actor_name=None, at=None):
    RequestEvent.objects.create(
        request=req,
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor_name or _actor_name(actor),
        action=action,
        status=req.status,
        level=req.level,
        level_label=req.level_label,
        note=note,
    )
    record(f"request.{action}", req, actor=actor, status=req.status, level=req.level, note=note)
    if action == "escalated":
        rollups.count_escalation(req)


def _lock(req):
    return ResidentRequest.objects.select_for_update().select_related("category").get(pk=req.pk)


def _place(req, levels, index):
    level = levels[index]
    req.level = index
    req.level_code = level.code[:30]
    req.level_label = level.label[:40]
    req.holder_org = level.organization
    req.holder_member = level.member


def _require_open(req):
    if req.status not in OPEN_STATUSES:
        raise DomainError("该诉求已办结或关闭")


def _require_handler(actor, req):
    if not may_handle(actor, req):
        raise DomainError("您不是该诉求当前层级的承办人")


def validate_attributes(category, raw):
    """Check answers to the category's extra questions; returns {code: value}."""
    raw = raw or {}
    answers = {}
    for attribute in category.attributes.all():
        value = raw.get(attribute.code)
        values = value if isinstance(value, list) else [value] if value not in (None, "") else []
        if not values:
            if attribute.required:
                raise DomainError(f"请填写“{attribute.description}”", field=attribute.code)
            continue
        if attribute.datatype in (Datatype.SINGLE, Datatype.MULTI):
            keys = {str(v["key"]) for v in attribute.values}
            if any(str(v) not in keys for v in values):
                raise DomainError(f"“{attribute.description}”的选项无效", field=attribute.code)
            answers[attribute.code] = values if attribute.datatype == Datatype.MULTI else values[0]
        elif attribute.datatype == Datatype.DATETIME:
            try:
                moment = parse_datetime(str(values[0]).strip().replace(" ", "+"))
            except ValueError:  # well formed but impossible: 30 February, 25 o'clock
                moment = None
            if moment is None:
                raise DomainError(
                    f"“{attribute.description}”应为有效的日期时间，如 2026-12-04T09:30:00+08:00",
                    field=attribute.code,
                )
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            answers[attribute.code] = moment.isoformat()
        elif attribute.datatype == Datatype.NUMBER:
            try:
                answers[attribute.code] = float(values[0])
            except (TypeError, ValueError):
                raise DomainError(
                    f"“{attribute.description}”应为数字", field=attribute.code
                ) from None
        else:
            answers[attribute.code] = clean_text(
                str(values[0]), field=attribute.code, label=attribute.description, limit=500
            )
    return answers


# ---------------------------------------------------------------- intake


def receive_request(
    *,
    category,
    description,
    channel,
    grid=None,
    organization=None,
    address="",
    lat=None,
    long=None,
    resident_name="",
    resident_phone="",
    attributes=None,
    photos=(),
    photos_public=False,
    media_url="",
    idempotency_key=None,
    actor=None,
):
    """Store a checked request with its deadlines, not yet routed. Returns (request, created).

    The public page answers after this one INSERT; `route_request` places it on its chain.
    The same idempotency key returns the request it first created, however often it is retried.
    """
    if category is None or not category.is_active:
        raise DomainError("诉求类别无效", field="category")
    # Open311 makes the description optional and allows 4,000 characters (GeoReport v2).
    open311 = channel == Channel.OPEN311
    description = clean_text(
        description,
        field="description",
        label="诉求内容",
        required=not open311,
        limit=OPEN311_TEXT if open311 else MAX_TEXT,
    )
    address = clean_text(address, field="address", label="地址", required=False, limit=200)
    resident_name = clean_text(
        resident_name, field="resident_name", label="姓名", required=False, limit=40
    )
    resident_phone = (resident_phone or "").replace(" ", "")
    if resident_phone and not PHONE_RE.match(resident_phone):
        raise DomainError("联系电话格式不正确", field="resident_phone")
    if grid is None and organization is None:
        raise DomainError("请选择所在社区或网格", field="location")
    if grid is None and not address and (lat is None or long is None):
        raise DomainError("请填写地址或提供定位", field="location")
    org_id = (grid.scope_org_id if grid is not None else None) or (
        organization.pk if organization is not None else None
    )
    if org_id is None:
        raise DomainError("该网格尚未对应党组织，请拨打社区电话反映", field="location")
    answers = validate_attributes(category, attributes)
    checked = check_photos(photos)
    now = timezone.now()
    respond_due = due_after(now, category.respond_within, category.respond_unit)
    finish_due = due_after(now, category.finish_within, category.finish_unit)
    req = ResidentRequest(
        idempotency_key=idempotency_key or None,
        category=category,
        description=description,
        attributes=answers,
        channel=channel,
        grid=grid,
        organization_id=org_id,
        address=address or (grid.address if grid is not None else "")[:200],
        lat=lat,
        long=long,
        resident_name=resident_name,
        resident_phone=resident_phone,
        media_url=media_url,
        respond_due=respond_due,
        respond_from=now,
        finish_due=finish_due,
        next_due=respond_due,
        calendar_warning=calendar_warning(now, finish_due),
        created_at=now,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        routed_at=None,
    )
    try:
        _store(req, checked, public=photos_public)
    except IntegrityError:
        existing = idempotency_key and (
            ResidentRequest.objects.filter(idempotency_key=idempotency_key).first()
        )
        if not existing:
            raise
        return existing, False
    return req, True


def _store(req, checked, *, public=False):
    if not checked and not transaction.get_connection().in_atomic_block:
        req.save()  # a lone INSERT commits by itself: no BEGIN/COMMIT round trips
        return
    with transaction.atomic():
        req.save()
        for upload, content_type in checked:
            photo = RequestPhoto(
                request=req, content_type=content_type, size=upload.size, is_public=public
            )
            photo.image.save(upload.name, upload, save=True)


def route_request(req, *, chains=None):
    """Place a received request on the first level of its chain and start its timeline.

    Safe to run twice (the job and its sweep): a routed request is left as it is, and one
    a dispatcher already placed keeps its place.
    """
    with transaction.atomic():
        req = (
            ResidentRequest.objects.select_for_update(of=("self",))
            .select_related("category", "grid__scope_org", "organization", "created_by")
            .get(pk=req.pk)
        )
        if req.routed_at is not None:
            return req
        if req.grid is not None and req.grid.scope_org_id not in (None, req.organization_id):
            req.organization = req.grid.scope_org  # the grid was re-linked since intake
        if req.holder_org_id is None and req.holder_member_id is None:
            _place(req, chain_of(req, chains), 0)
        req.routed_at = timezone.now()
        req.save()
        _step(
            req,
            "submitted",
            actor=req.created_by,
            note=req.get_channel_display(),
            at=req.created_at,
        )
        notices.notify_handlers(req, f"新诉求 {req.tracking_code}")
    return req


def route_pending(batch=BATCH_ROUTE):
    """Route what the intake job has not (the worker was down or behind); returns how many.

    A backlog shares each grid's chain, as the escalation job does."""
    done = 0
    chains = {}
    while ids := list(
        ResidentRequest.objects.filter(routed_at__isnull=True)
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch]
    ):
        for pk in ids:
            route_request(ResidentRequest(pk=pk), chains=chains)
        done += len(ids)
    return done


def submit_request(**fields):
    """Receive and route at once: staff on a resident's behalf and Open311 clients see the
    handler in their answer. Same arguments and result as `receive_request`."""
    with transaction.atomic():
        req, created = receive_request(**fields)
        if created:
            req = route_request(req)
    return req, created


# ---------------------------------------------------------------- handling


def accept_request(req, *, actor):
    """受理. The first login to accept becomes the owner (首问负责人) for good."""
    with transaction.atomic():
        req = _lock(req)
        if req.status not in UNANSWERED_STATUSES:
            raise DomainError("该诉求已被受理")
        _require_handler(actor, req)
        now = timezone.now()
        first = req.owner_id is None
        if first:
            req.owner = actor
            req.owner_member_id = actor.member_id
            req.owner_name = _actor_name(actor)
        req.responded_at = req.responded_at or now
        req.status = Status.ACCEPTED
        req.checklist = list(req.category.checklist.values_list("text", flat=True))
        req.next_due = max(req.finish_due, due_after(now, 1, TimeUnit.WORKDAYS))
        req.save()
        note = f"首问负责人：{req.owner_name}" if first else ""
        _step(req, "accepted", actor=actor, note=note)
    return req


def ask_resident(req, *, actor, note):
    """一次性告知: ask the resident for what is missing; the clock stops until they answer."""
    note = clean_text(note, field="note", label="需补充的内容", limit=500)
    with transaction.atomic():
        req = _lock(req)
        if req.status != Status.ACCEPTED:
            raise DomainError("只有办理中的诉求可以请居民补充材料")
        _require_handler(actor, req)
        req.status = Status.WAITING
        req.waiting_since = timezone.now()
        req.next_due = None
        req.save()
        _step(req, "asked", actor=actor, note=note)
        notices.tell_resident(req, f"您的诉求 {req.tracking_code} 需补充：{note}")
    return req


def resident_reply(req, *, text, photos=()):
    """The resident answers or adds to the request; a waiting request's clock resumes."""
    text = clean_text(text, field="text", label="回复内容", limit=1000)
    checked = check_photos(photos)
    with transaction.atomic():
        req = _lock(req)
        _require_open(req)
        if req.status == Status.WAITING:
            # The pause is measured and added in working time: never a deadline on a day off.
            waited = workcal.work_hours_between(req.waiting_since, timezone.now())
            req.waited_hours += waited
            req.finish_due = workcal.extend(req.finish_due, waited)
            req.waiting_since = None
            req.status = Status.ACCEPTED
            req.next_due = req.finish_due
            req.save()
        for upload, content_type in checked:
            photo = RequestPhoto(request=req, content_type=content_type, size=upload.size)
            photo.image.save(upload.name, upload, save=True)
        _step(req, "resident_replied", note=text, actor_name=RESIDENT)
        notices.notify_handlers(req, f"居民已回复 {req.tracking_code}")
    return req


def escalate_request(req, *, actor, reason, levels=None):
    """上报 one level with a reason; `actor` None means the deadline job."""
    reason = clean_text(reason, field="reason", label="上报原因", limit=500)
    with transaction.atomic():
        req = _lock(req)
        _require_open(req)
        if actor is not None:
            _require_handler(actor, req)
        levels = levels or chain_of(req)
        if req.level + 1 >= len(levels):
            raise DomainError("已在最高层级（街道），不能继续上报")
        now = timezone.now()
        _place(req, levels, req.level + 1)
        req.status = Status.ESCALATED
        req.escalation_count += 1
        req.respond_from = now
        req.respond_due = due_after(now, req.category.respond_within, req.category.respond_unit)
        req.next_due = req.respond_due
        req.save()
        _step(req, "escalated", actor=actor, note=reason, actor_name=None if actor else "系统")
        notices.notify_handlers(
            req,
            f"诉求 {req.tracking_code} 已上报至本级",
            kind=NoticeKind.REQUEST_ESCALATED,
            actor=actor,
        )
    return req


def reject_request(req, *, actor, reason):
    """非本级事项: send it to the top of the chain for arbitration."""
    reason = clean_text(reason, field="reason", label="退回原因", limit=500)
    with transaction.atomic():
        req = _lock(req)
        _require_open(req)
        _require_handler(actor, req)
        levels = chain_of(req)
        if req.level == len(levels) - 1:
            raise DomainError("街道层级不能退回，请直接办理或吹哨报到")
        _place(req, levels, len(levels) - 1)
        req.status = Status.REJECTED
        req.respond_from = timezone.now()
        req.respond_due = due_after(
            req.respond_from, req.category.respond_within, req.category.respond_unit
        )
        req.next_due = req.respond_due
        req.save()
        _step(req, "rejected", actor=actor, note=reason)
        notices.notify_handlers(req, f"诉求 {req.tracking_code} 待仲裁", actor=actor)
    return req


def arbitrate_request(req, *, actor, level, note=""):
    """仲裁: the street decides which level handles a request sent back as not theirs."""
    with transaction.atomic():
        req = _lock(req)
        if req.status != Status.REJECTED:
            raise DomainError("该诉求不在待仲裁状态")
        if not may_dispatch(actor, req):
            raise DomainError("只有街道调度人员可以仲裁")
        levels = chain_of(req)
        if not 0 <= level < len(levels):
            raise DomainError("层级无效", field="level")
        _place(req, levels, level)
        req.status = Status.NEW
        req.respond_from = timezone.now()
        req.respond_due = due_after(
            req.respond_from, req.category.respond_within, req.category.respond_unit
        )
        req.next_due = req.respond_due
        req.save()
        _step(req, "arbitrated", actor=actor, note=note or f"交由{req.level_label}办理")
        notices.notify_handlers(req, f"诉求 {req.tracking_code} 经仲裁交本级办理", actor=actor)
    return req


def solve_request(req, *, actor, note):
    """办结. The owner's member earns points (rule `request.solved`)."""
    note = clean_text(note, field="note", label="办理结果", limit=1000)
    with transaction.atomic():
        req = _lock(req)
        _require_open(req)
        _require_handler(actor, req)
        now = timezone.now()
        req.status = Status.SOLVED
        req.responded_at = req.responded_at or now
        req.solved_at = req.closed_at = now
        req.next_due = None
        req.save()
        _step(req, "solved", actor=actor, note=note)
        notices.tell_resident(req, f"您的诉求 {req.tracking_code} 已办结，请评价")
        _book_solved(req, actor)
    return req


def _book_solved(req, actor):
    if req.owner_member_id:
        point_event.send(
            sender=ResidentRequest,
            member=req.owner_member,
            rule_code=SOLVED_CODE,
            source=req,
            occurred_on=timezone.localdate(req.solved_at),
            actor=actor,
            note=f"办结诉求 {req.tracking_code}",
        )


def close_unsolved(req, *, actor, reason):
    reason = clean_text(reason, field="reason", label="关闭原因", limit=500)
    with transaction.atomic():
        req = _lock(req)
        _require_open(req)
        _require_handler(actor, req)
        req.status = Status.CLOSED_UNSOLVED
        req.closed_at = timezone.now()
        req.next_due = None
        req.save()
        _step(req, "closed_unsolved", actor=actor, note=reason)
        notices.tell_resident(req, f"您的诉求 {req.tracking_code} 已关闭")
    return req


# ---------------------------------------------------------------- the resident's side


def rate_request(req, *, rating, comment=""):
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise DomainError("请选择 1–5 分", field="rating")
    comment = clean_text(comment, field="comment", label="评价", required=False, limit=300)
    with transaction.atomic():
        req = _lock(req)
        if req.status not in CLOSED_STATUSES:
            raise DomainError("诉求办结后才能评价")
        if req.rating is not None:
            raise DomainError("已评价过")
        req.rating, req.rating_comment, req.rated_at = rating, comment, timezone.now()
        req.save()
        _step(req, "rated", note=f"{rating} 分 {comment}".strip(), actor_name=RESIDENT)
        if rating <= 2:
            notices.notify_handlers(
                req, f"诉求 {req.tracking_code} 差评，请回访", kind=NoticeKind.REQUEST_RATING
            )
    return req


def reopen_request(req, *, reason):
    """The resident reopens within 7 days of closing; it returns to the level that closed it."""
    reason = clean_text(reason, field="reason", label="重新打开的原因", limit=500)
    with transaction.atomic():
        req = _lock(req)
        if req.status not in CLOSED_STATUSES:
            raise DomainError("只有已办结或关闭的诉求可以重新打开")
        now = timezone.now()
        if now - req.closed_at > timedelta(days=REOPEN_DAYS):
            raise DomainError(f"办结超过 {REOPEN_DAYS} 天，不能重新打开，请提交新诉求")
        req.status = Status.REOPENED
        req.solved_at = req.closed_at = None
        req.rating, req.rating_comment, req.rated_at = None, "", None
        req.respond_from = now
        req.respond_due = due_after(now, req.category.respond_within, req.category.respond_unit)
        req.next_due = req.respond_due
        req.save()
        _step(req, "reopened", note=reason, actor_name=RESIDENT)
        notices.notify_handlers(req, f"诉求 {req.tracking_code} 被居民重新打开")
    return req


def move_request(req, *, grid, actor, reason):
    """转派: a dispatcher sends an open request to another grid of their area. It belongs to
    the grid's organization from then on and starts again at the first level of its chain
    (a new response deadline), like a request received there."""
    reason = clean_text(reason, field="reason", label="转派原因", limit=500)
    with transaction.atomic():
        req = _lock(req)
        _require_open(req)
        if not may_dispatch(actor, req):
            raise DomainError("只有街道调度人员可以转派")
        if grid is None or grid.scope_org_id is None:
            raise DomainError("该网格尚未对应党组织", field="grid")
        if grid.pk == req.grid_id:
            raise DomainError("诉求已在该网格", field="grid")
        moved_from = (req.organization_id, req.grid_id)
        req.grid = grid
        req.organization = grid.scope_org
        if not may_dispatch(actor, req):
            raise DomainError("只能转派到您调度范围内的网格", field="grid")
        _place(req, chain_of(req), 0)
        req.status = Status.NEW
        now = timezone.now()
        req.respond_from = now
        req.respond_due = due_after(now, req.category.respond_within, req.category.respond_unit)
        req.next_due = req.respond_due
        req.save()
        rollups.move_escalations(req, *moved_from)
        _step(req, "moved", actor=actor, note=f"转派至{grid.name}：{reason}")
        notices.notify_handlers(req, f"诉求 {req.tracking_code} 转派至本级", actor=actor)
    return req
