"""吹哨报到 units as a party of their own: the department or alliance unit that the street
calls in gets a signed link to its task (no login needed), sees that task only, reports back
with attachments, and its deadline is kept on the working calendar and escalated by the
periodic job like a request's.

The link is `django.core.signing` over (call-in id, nonce): it works while the task is not
done, the request is open and `link_expires_at` has not passed; `reissue_link` draws a new
nonce, so the old link stops at once. Forged and unknown links answer 404, finished or
expired ones 410, both with a Chinese page.
"""

import secrets
from datetime import datetime, timedelta

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from xianfeng.core import audit, workcal
from xianfeng.core.errors import DomainError
from xianfeng.core.uploads import CONTENT_TYPES, check_upload
from xianfeng.notices.models import NoticeKind
from xianfeng.notices.services import tell_phone

from . import notices
from .models import (
    OPEN_STATUSES,
    CallIn,
    CallInAttachment,
    CallInStatus,
    ResidentRequest,
    Status,
    TimeUnit,
)
from .routing import may_dispatch, may_handle
from .services import PHONE_RE, _lock, _require_open, _step, clean_text, due_after

SALT = "xianfeng.requests.call_in_link"
# The link outlives the deadline (a late unit may still report) but not forever.
LINK_DAYS_AFTER_DUE = 30
MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
FILE_KINDS = ("pdf", "jpeg", "png")
BATCH = 200


class LinkGone(Exception):
    """A genuine link that no longer works (task done, request closed, link expired)."""


def on_workday(due: datetime) -> datetime:
    """A unit's deadline never lands on a day off: moved to the same time of the next
    working day (the office's calendar, core.workcal)."""
    local = timezone.localtime(due)
    day = local.date()
    if workcal.is_workday(day):
        return due
    moved = workcal.next_workday(day)
    return timezone.make_aware(datetime.combine(moved, local.time()))


def start_link(call_in) -> None:
    """Give a new call-in its link (inside the caller's transaction)."""
    call_in.link_nonce = secrets.token_hex(16)
    call_in.link_expires_at = call_in.due + timedelta(days=LINK_DAYS_AFTER_DUE)
    call_in.save(update_fields=["link_nonce", "link_expires_at"])


def token_for(call_in) -> str:
    # No timestamp in the token (expiry is `link_expires_at`): one task, one stable link.
    return signing.Signer(salt=SALT).sign_object(
        {"c": call_in.pk, "n": call_in.link_nonce}, compress=True
    )


def link_path(call_in) -> str:
    return reverse("requests:unit_task", args=[token_for(call_in)])


def call_in_for_token(token, now=None):
    """The call-in a link opens, or raises CallIn.DoesNotExist (forged, unknown) / LinkGone."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
        pk, nonce = int(data["c"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise CallIn.DoesNotExist from None
    call_in = (
        CallIn.objects.select_related("request__category", "request__grid")
        .filter(pk=pk, link_nonce=nonce)
        .exclude(link_nonce="")
        .first()
    )
    if call_in is None:
        raise CallIn.DoesNotExist
    now = now or timezone.now()
    if call_in.status == CallInStatus.DONE:
        raise LinkGone("该吹哨任务已报到完成，链接已失效")
    if call_in.request.status not in OPEN_STATUSES:
        raise LinkGone("该诉求已办结或关闭，链接已失效")
    if call_in.link_expires_at is None or call_in.link_expires_at <= now:
        raise LinkGone("链接已过期，请联系街道重新发送")
    return call_in


def send_link(call_in, url: str) -> None:
    """An SMS with the task link to the unit's contact phone (the notices outbox)."""
    if call_in.contact_phone:
        with transaction.atomic():
            tell_phone(
                call_in.contact_phone,
                f"【吹哨报到】{call_in.unit_name}：{call_in.task[:60]}，"
                f"请于 {timezone.localtime(call_in.due):%m月%d日 %H:%M} 前报到：{url}",
                kind=NoticeKind.REQUEST,
            )


def reissue_link(call_in, *, actor) -> CallIn:
    """A new link for the unit (the old one stops working); only while the task is open."""
    with transaction.atomic():
        call_in = CallIn.objects.select_for_update().get(pk=call_in.pk)
        if call_in.status == CallInStatus.DONE:
            raise DomainError("该单位已报到完成，无需重新发送链接")
        call_in.link_nonce = secrets.token_hex(16)
        call_in.link_expires_at = max(call_in.due, timezone.now()) + timedelta(
            days=LINK_DAYS_AFTER_DUE
        )
        call_in.save(update_fields=["link_nonce", "link_expires_at"])
        audit.record("request.call_in_link", call_in, actor=actor)
    return call_in


def check_files(files):
    files = [f for f in files if f]
    if len(files) > MAX_FILES:
        raise DomainError(f"最多上传 {MAX_FILES} 个附件", field="files")
    checked = []
    for upload in files:
        try:
            kind = check_upload(upload, kinds=FILE_KINDS, max_bytes=MAX_FILE_BYTES)
        except Exception as exc:  # ValidationError from core.uploads, with its Chinese message
            message = getattr(exc, "messages", [str(exc)])[0]
            raise DomainError(f"“{upload.name}”：{message}", field="files") from None
        checked.append((upload, CONTENT_TYPES[kind]))
    return checked


def report_by_unit(call_in, *, result, files=()) -> CallIn:
    """The unit reports through its link: the result, attachments; the request returns to its
    handler when no other unit is still out. The link stops working with this."""
    result = clean_text(result, field="result", label="处理结果", limit=300)
    checked = check_files(files)
    with transaction.atomic():
        req = ResidentRequest.objects.select_for_update().get(pk=call_in.request_id)
        call_in = CallIn.objects.select_for_update().get(pk=call_in.pk)
        if call_in.status == CallInStatus.DONE:
            raise DomainError("该单位已报到完成")
        if req.status not in OPEN_STATUSES:
            raise DomainError("该诉求已办结或关闭")
        now = timezone.now()
        call_in.status = CallInStatus.DONE
        call_in.reported_at = now
        call_in.result = result
        call_in.save(update_fields=["status", "reported_at", "result"])
        for upload, content_type in checked:
            CallInAttachment.objects.create(
                call_in=call_in, file=upload, content_type=content_type, size=upload.size
            )
        if not req.call_ins.exclude(status=CallInStatus.DONE).exists():
            req.status = Status.ACCEPTED
            req.save()
        late = "（超时）" if now > call_in.due else ""
        _step(
            req,
            "call_in_done",
            note=f"{call_in.unit_name}{late}：{result}",
            actor_name=call_in.unit_name,
        )
        notices.notify_handlers(req, f"诉求 {req.tracking_code}：{call_in.unit_name}已报到")
    return call_in


# ---------------------------------------------------------------- the street's side


def call_in_unit(
    req,
    *,
    actor,
    unit_name,
    task,
    due=None,
    within=None,
    unit=TimeUnit.WORKDAYS,
    unit_org=None,
    contact_phone="",
):
    """吹哨报到: the street calls a department or alliance unit in, with its own deadline.

    The deadline is `within` working days/hours from now on the office's calendar, or a
    given `due`, moved off a day off; the unit gets its own link (units.py).
    """
    unit_name = clean_text(unit_name, field="unit_name", label="报到单位", limit=80)
    task = clean_text(task, field="task", label="任务", limit=300)
    contact_phone = "".join((contact_phone or "").split())
    if contact_phone and not PHONE_RE.match(contact_phone):
        raise DomainError("联系电话只能包含数字和“-”", field="contact_phone")
    if within is not None:
        if not isinstance(within, int) or not 1 <= within <= 60:
            raise DomainError("报到时限应为 1~60 个工作日或工作小时", field="within")
        due = due_after(timezone.now(), within, unit)
    if due is None:
        raise DomainError("请填写报到时限", field="due")
    if due <= timezone.now():
        raise DomainError("报到时限应晚于现在", field="due")
    due = on_workday(due)
    with transaction.atomic():
        req = _lock(req)
        _require_open(req)
        if not may_dispatch(actor, req):
            raise DomainError("只有街道调度人员可以吹哨")
        call_in = CallIn.objects.create(
            request=req,
            unit_name=unit_name,
            unit_org=unit_org,
            task=task,
            due=due,
            called_by=actor,
            contact_phone=contact_phone,
        )
        start_link(call_in)
        req.status = Status.CALLED_IN
        req.responded_at = req.responded_at or timezone.now()
        req.next_due = max(req.finish_due, due)
        req.save()
        local = timezone.localtime(due)
        _step(
            req, "called_in", actor=actor, note=f"{unit_name}：{task}（{local:%Y-%m-%d %H:%M} 前）"
        )
    return call_in


def report_call_in(call_in, *, actor, result):
    """The called-in unit reports what it did; the request goes back to its handler."""
    result = clean_text(result, field="result", label="处理结果", limit=300)
    with transaction.atomic():
        req = _lock(call_in.request)
        call_in = CallIn.objects.select_for_update().get(pk=call_in.pk)
        if call_in.status == CallInStatus.DONE:
            raise DomainError("该单位已报到完成")
        if not (may_dispatch(actor, req) or may_handle(actor, req)):
            raise DomainError("没有权限登记报到结果")
        call_in.status = CallInStatus.DONE
        call_in.reported_at = timezone.now()
        call_in.result = result
        call_in.save()
        if not req.call_ins.exclude(status=CallInStatus.DONE).exists():
            req.status = Status.ACCEPTED
            req.save()
        _step(req, "call_in_done", actor=actor, note=f"{call_in.unit_name}：{result}")
    return call_in


# ---------------------------------------------------------------- the periodic job


def escalate_call_ins(now=None) -> int:
    """Units past their deadline: flagged once on the request's timeline, the street's
    dispatchers notified (REQUEST_ESCALATED) and the unit reminded by SMS. Reads only open,
    unflagged call-ins through a partial index on `due`."""
    now = now or timezone.now()
    done = 0
    due = CallIn.objects.filter(due__lte=now, overdue_at__isnull=True).exclude(
        status=CallInStatus.DONE
    )
    while ids := list(due.order_by("due", "pk").values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            rows = (
                due.filter(pk__in=ids)
                .select_for_update(of=("self",))
                .select_related("request__category")
                .order_by("due", "pk")
            )
            for call_in in rows:
                _escalate_one(call_in, now)
                done += 1
    return done


def _escalate_one(call_in, now):
    call_in.overdue_at = now
    call_in.save(update_fields=["overdue_at"])
    req = call_in.request
    if req.status not in OPEN_STATUSES:
        return
    due = timezone.localtime(call_in.due)
    _step(
        req,
        "call_in_overdue",
        note=f"{call_in.unit_name}超过报到时限（{due:%Y-%m-%d %H:%M}），系统已上报街道督办",
        actor_name="系统",
    )
    notices.notify_handlers(
        req,
        f"诉求 {req.tracking_code}：{call_in.unit_name}超过报到时限，请督办",
        kind=NoticeKind.REQUEST_ESCALATED,
        also=[call_in.called_by_id],  # the dispatcher who blew the whistle follows it up
    )
    tell_phone(
        call_in.contact_phone,
        f"【吹哨报到】{call_in.unit_name}承办的任务已超过报到时限，请尽快报到",
        kind=NoticeKind.REQUEST_ESCALATED,
    )
