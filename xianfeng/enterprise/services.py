"""企业一站式服务: the registry and intake on the grid request engine.

An enterprise's case is an ordinary 诉求 (xianfeng/resident_requests) with a 企业服务 category,
routed to the enterprise's organization and up to the street, plus an `EnterpriseCase` row that
ties it to the enterprise. Handling (accept/solve/escalate, deadlines, escalation job) is the
request engine's; this module only registers enterprises and submits their requests.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import granted_paths, path_q
from xianfeng.core.audit import record
from xianfeng.core.errors import DomainError
from xianfeng.notices.models import NoticeKind
from xianfeng.notices.services import notify
from xianfeng.resident_requests.models import Channel
from xianfeng.resident_requests.routing import handlers_of
from xianfeng.resident_requests.services import PHONE_RE, clean_text, submit_request

from .creditcode import credit_code_error, normalize
from .models import GROUP, Enterprise, EnterpriseCase

FIELDS = (
    "name",
    "credit_code",
    "industry",
    "address",
    "contact_name",
    "contact_phone",
    "organization",
    "party_org",
    "specialist",
)
STAFF_CHANNELS = (Channel.VISIT, Channel.PHONE, Channel.WALK_IN)


# ---------------------------------------------------------------- scoping


def _granted_or_served(user, perm):
    paths = granted_paths(user, perm)
    if "" in paths:
        return Q()
    q = path_q("organization__path", paths)
    return q | Q(specialist_id=user.pk) if user.is_authenticated else q


def visible_q(user):
    """Enterprises under the user's `request.view` grants, and those they are specialist of."""
    return _granted_or_served(user, Perm.REQUEST_VIEW)


def serving_q(user):
    """Enterprises the user may submit for: `request.handle` there, or their specialist."""
    return _granted_or_served(user, Perm.REQUEST_HANDLE)


# ---------------------------------------------------------------- registry


def _clean(data):
    data = dict(data)
    data["name"] = clean_text(data.get("name"), field="name", label="企业名称", limit=100)
    code = normalize(data.get("credit_code"))
    error = credit_code_error(code)
    if error:
        raise DomainError(error, field="credit_code")
    data["credit_code"] = code
    data["address"] = clean_text(data.get("address"), field="address", label="地址", limit=200)
    data["contact_name"] = clean_text(
        data.get("contact_name"), field="contact_name", label="联系人", limit=40
    )
    phone = (data.get("contact_phone") or "").replace(" ", "")
    if not PHONE_RE.match(phone):
        raise DomainError("联系电话格式不正确", field="contact_phone")
    data["contact_phone"] = phone
    if data.get("organization") is None:
        raise DomainError("请选择服务组织", field="organization")
    return data


def _save(enterprise, action, actor):
    try:
        with transaction.atomic():
            enterprise.save()
            record(action, enterprise, actor=actor, credit_code=enterprise.credit_code)
    except IntegrityError:
        raise DomainError("该统一社会信用代码已登记", field="credit_code") from None
    return enterprise


def register_enterprise(*, actor, **data):
    data = _clean(data)
    return _save(Enterprise(**{f: data.get(f) for f in FIELDS}), "enterprise.registered", actor)


def update_enterprise(enterprise, *, actor, **data):
    data = _clean(data)
    for field in FIELDS:
        setattr(enterprise, field, data.get(field))
    return _save(enterprise, "enterprise.updated", actor)


# ---------------------------------------------------------------- intake


def submit_enterprise_request(
    enterprise, *, category, description, actor, idempotency_key=None, channel=Channel.VISIT
):
    """Submit an enterprise's request to its organization. Returns (case, created).

    Retry-safe: the same idempotency key returns the case it first created.
    """
    if category is None or category.group != GROUP:
        raise DomainError("请选择企业服务类别", field="category")
    if channel not in STAFF_CHANNELS:
        raise DomainError("来源无效", field="channel")
    with transaction.atomic():
        req, created = submit_request(
            category=category,
            description=description,
            channel=channel,
            organization=enterprise.organization,
            address=enterprise.address,
            resident_name=enterprise.contact_name,
            resident_phone=enterprise.contact_phone,
            idempotency_key=idempotency_key,
            actor=actor,
        )
        case, linked = EnterpriseCase.objects.get_or_create(
            request=req, defaults={"enterprise": enterprise}
        )
        if case.enterprise_id != enterprise.pk:
            raise DomainError("该提交编号已用于其他企业，请刷新页面后重新提交")
        if linked:
            record(
                "enterprise.case_submitted",
                enterprise,
                actor=actor,
                request=req.tracking_code,
                category=category.code,
            )
            notify_specialist(case)
    return case, created and linked


def notify_specialist(case):
    """Tell the enterprise's specialist, unless the request engine already told them."""
    enterprise, req = case.enterprise, case.request
    if enterprise.specialist_id is None or enterprise.specialist_id in handlers_of(req):
        return
    notify(
        [enterprise.specialist_id],
        kind=NoticeKind.REQUEST,
        title=f"您服务的企业“{enterprise.name}”有新事项 {req.tracking_code}",
        body=req.category.name,
        link=reverse("requests:detail", args=[req.pk]),
    )
