"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) at /open311/v2/.

Categories are the services; a request's tracking code is its `service_request_id`
(requests are created in real time, so a POST answers with it and no token). `address_id` is
a grid code; a point (lat/long) finds its grid; otherwise a request goes to the organization
its api_key is bound to, or to the street. Times are ISO 8601 with the zone offset; errors
are the spec's arrays, and bad input of any kind is a 400, never a 500.

The public GET (no api_key) publishes only what residents sent through public channels (the
resident page and Open311): the address at building level, the handler's latest public note
(never a staff note or a rating comment), photos only those the resident marked public.
Staff-entered and enterprise cases are not published. Residents' names and phones never are.
"""

import hashlib
import json
import re
import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from xianfeng.core.errors import DomainError
from xianfeng.core.uploads import file_link
from xianfeng.grid.locate import grid_at

from . import services
from .models import CLOSED_STATUSES, Category, Channel, Open311Key, ResidentRequest
from .routing import street_of

SPEC = "http://wiki.open311.org/GeoReport_v2"
CJK = re.compile(r"[\u3400-\u9fff]")
DEFAULT_SPAN = timedelta(days=90)
MAX_RESULTS = 1000
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


class Open311Error(Exception):
    def __init__(self, status, description):
        super().__init__(description)
        self.status = status
        self.description = description


# ---------------------------------------------------------------- keys


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(name, organization=None):
    """A new api_key: returns (row, key); only the hash is stored."""
    key = secrets.token_urlsafe(24)
    row = Open311Key.objects.create(name=name, key_hash=hash_key(key), organization=organization)
    return row, key


def key_for(raw):
    if not raw:
        raise Open311Error(403, "api_key is required to create a request")
    row = Open311Key.objects.filter(key_hash=hash_key(raw), is_active=True).first()
    if row is None:
        raise Open311Error(403, "Invalid api_key received -- can't proceed with create_request.")
    Open311Key.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row


# ---------------------------------------------------------------- rendering


def iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _xml_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


XML_ITEM = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def _xml(tag, value):
    if isinstance(value, dict):
        inner = "".join(_xml(k, v) for k, v in value.items())
        return f"<{tag}>{inner}</{tag}>"
    if isinstance(value, list):
        item = XML_ITEM.get(tag, "item")
        return f"<{tag}>{''.join(_xml(item, v) for v in value)}</{tag}>"
    return f"<{tag}>{_xml_value(value)}</{tag}>"


def render(data, fmt, *, root, item, status=200):
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False)
    else:
        items = data if isinstance(data, list) else [data]
        inner = "".join(_xml(item, entry) for entry in items) if root else _xml(item, data)
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + (
            f"<{root}>{inner}</{root}>" if root else inner
        )
    return HttpResponse(body.encode(), status=status, content_type=CONTENT_TYPES[fmt])


def error_response(exc, fmt):
    errors = [{"code": exc.status, "description": exc.description}]
    return render(errors, fmt, root="errors", item="error", status=exc.status)


def handles_errors(view):
    def wrapped(request, fmt, **kwargs):
        try:
            return view(request, fmt, **kwargs)
        except Open311Error as exc:
            return error_response(exc, fmt)

    wrapped.__name__ = view.__name__
    return wrapped


# ---------------------------------------------------------------- services


def service_json(category):
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": category.attributes.exists(),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def definition_json(category):
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": a.get_datatype_display(),
                "order": position,  # the spec counts from 1, whatever the stored order
                "description": a.description,
                "values": [{"key": v["key"], "name": v["name"]} for v in a.values],
            }
            for position, a in enumerate(category.attributes.all(), 1)
        ],
    }


def _category(code):
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise Open311Error(404, f"service_code {code} was not found")
    return category


@require_GET
@handles_errors
def discovery(request, fmt):
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": "json"}))
    data = {
        "changeset": iso(timezone.now()),
        "contact": "街道党群服务中心",
        "key_service": "向街道申请 api_key（manage.py open311_key create NAME）",
        "endpoints": [
            {
                "specification": SPEC,
                "url": base.rsplit("/", 1)[0],
                "changeset": iso(timezone.now()),
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(data, fmt, root=None, item="discovery")


@require_GET
@handles_errors
def service_list(request, fmt):
    rows = [
        service_json(c)
        for c in Category.objects.filter(is_active=True).prefetch_related("attributes")
    ]
    return render(rows, fmt, root="services", item="service")


@require_GET
@handles_errors
def service_definition(request, fmt, code):
    category = _category(code)
    return render(definition_json(category), fmt, root=None, item="service_definition")


# ---------------------------------------------------------------- requests


# The handler's notes a resident may read: never a staff-only step or the rating comment.
PUBLIC_NOTE_ACTIONS = ("asked", "solved", "closed_unsolved")
PUBLIC_CHANNELS = (Channel.PUBLIC, Channel.OPEN311)
NUMBER = r"(?:\d+|[一二三四五六七八九十百]+)\s*"
BUILDING = re.compile(rf"^.*{NUMBER}(?:号楼|栋|幢|座)")
DOOR = re.compile(rf"^.*?{NUMBER}(?:号院|号)")


def service_notice(category):
    return "；".join(item.text for item in category.checklist.all())


def public_address(req):
    """The address down to the building: no unit or door number of a resident's home."""
    grid = req.grid
    if grid is not None and grid.kind == "household":
        grid = type(grid).objects.get_parent(grid)
    if grid is not None and grid.kind in ("building", "zone"):
        return grid.address or grid.name
    match = BUILDING.match(req.address) or DOOR.match(req.address)
    if match:
        return match.group(0).strip()
    return grid.name if grid is not None else ""


def _status_changed_at(req, events):
    if req.status in CLOSED_STATUSES and req.closed_at:
        return req.closed_at
    changed, previous = req.created_at, None
    for event in events:
        if event.status != previous:
            changed, previous = event.at, event.status
    return changed


def request_json(req, request, *, public=True):
    closed = req.status in CLOSED_STATUSES
    events = list(req.events.all())
    note = next((e.note for e in reversed(events) if e.action in PUBLIC_NOTE_ACTIONS), "")
    photos = [p for p in req.photos.all() if p.is_public or not public]
    media = request.build_absolute_uri(file_link(photos[0].image)) if photos else req.media_url
    return {
        "service_request_id": req.tracking_code,
        "status": "closed" if closed else "open",
        "status_notes": note,
        "service_name": req.category.name,
        "service_code": req.category.code,
        "description": req.description,
        "agency_responsible": req.holder_org.name if req.holder_org_id else req.level_label,
        "service_notice": service_notice(req.category),
        "requested_datetime": iso(req.created_at),
        "updated_datetime": iso(_status_changed_at(req, events)),
        "expected_datetime": iso(req.finish_due),
        "address": public_address(req) if public else req.address,
        "address_id": req.grid.code if req.grid_id else "",
        "zipcode": "",
        "lat": float(req.lat) if req.lat is not None else None,
        "long": float(req.long) if req.long is not None else None,
        "media_url": media,
    }


def _requests_qs(key=None):
    qs = ResidentRequest.objects.select_related("category", "holder_org", "grid").prefetch_related(
        "photos", "events", "category__checklist"
    )
    if key is not None and key.organization_id:
        return qs.filter(organization__path__startswith=key.organization.path)
    return qs.filter(channel__in=PUBLIC_CHANNELS, enterprise_case__isnull=True)


def _reader_key(request):
    """A valid api_key on a GET reads its organization's requests in full; none: the public."""
    raw = request.GET.get("api_key", "")
    return key_for(raw) if raw else None


def _date_param(request, name):
    raw = request.GET.get(name)
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+"))
    except ValueError:  # well formed but impossible: 30 February, 25 o'clock
        moment = None
    if moment is None:
        raise Open311Error(400, f"{name} must be a valid w3 formatted date-time (ISO 8601)")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _csv(request, name):
    return [v.strip() for v in request.GET.get(name, "").split(",") if v.strip()]


def search_requests(request, key=None):
    ids = _csv(request, "service_request_id")
    qs = _requests_qs(key)
    if ids:
        return qs.filter(tracking_code__in=ids)
    codes = _csv(request, "service_code")
    if codes:
        qs = qs.filter(category__code__in=codes)
    statuses = set(_csv(request, "status"))
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status must be open, closed or both")
    if statuses == {"open"}:
        qs = qs.exclude(status__in=CLOSED_STATUSES)
    elif statuses == {"closed"}:
        qs = qs.filter(status__in=CLOSED_STATUSES)
    start, end = _date_param(request, "start_date"), _date_param(request, "end_date")
    if start is None and end is None:
        start = timezone.now() - DEFAULT_SPAN
    if start is not None:
        qs = qs.filter(created_at__gte=start)
    if end is not None:
        qs = qs.filter(created_at__lte=end)
    return qs.order_by("-created_at", "-id")[:MAX_RESULTS]


@csrf_exempt
@require_http_methods(["GET", "POST"])
@handles_errors
def requests_view(request, fmt):
    if request.method == "POST":
        return create_request(request, fmt)
    key = _reader_key(request)
    rows = [request_json(r, request, public=key is None) for r in search_requests(request, key)]
    return render(rows, fmt, root="service_requests", item="request")


@require_GET
@handles_errors
def request_view(request, fmt, request_id):
    key = _reader_key(request)
    req = _requests_qs(key).filter(tracking_code=request_id).first()
    if req is None:
        raise Open311Error(404, f"service_request_id {request_id} was not found")
    rows = [request_json(req, request, public=key is None)]
    return render(rows, fmt, root="service_requests", item="request")


@require_GET
@handles_errors
def token_view(request, fmt, token):
    req = _requests_qs().filter(tracking_code=token).first()
    if req is None:
        raise Open311Error(404, f"token {token} was not found")
    rows = [{"service_request_id": req.tracking_code, "token": token}]
    return render(rows, fmt, root="service_requests", item="request")


def _attributes(post):
    answers = {}
    for name in post:
        if name.startswith("attribute[") and name.endswith("]"):
            code = name[len("attribute[") : -1].removesuffix("][")
            values = post.getlist(name)
            answers[code] = values if name.endswith("[]") or len(values) > 1 else values[0]
    return answers


def _coordinate(post, name, limit):
    raw = post.get(name, "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
        value = value.quantize(Decimal("0.000001")) if value.is_finite() else value
    except InvalidOperation:
        raise Open311Error(400, f"{name} must be a number") from None
    if not value.is_finite() or not -limit <= value <= limit:
        raise Open311Error(400, f"{name} is out of range")
    return value


def _location(post, key):
    """(grid, organization, lat, long, address): lat/long alone, address_string alone or
    address_id are each a complete location. A point finds its grid; outside every grid it
    goes to the street of the key's organization."""
    from xianfeng.grid.models import Grid

    lat, long = _coordinate(post, "lat", 90), _coordinate(post, "long", 180)
    if (lat is None) != (long is None):
        raise Open311Error(400, "lat and long must be given together")
    address = post.get("address_string", "").strip()
    address_id = post.get("address_id", "").strip()
    if lat is None and not address and not address_id:
        raise Open311Error(400, "lat and long, address_string or address_id is required")
    grid = None
    if address_id:
        grid = Grid.objects.filter(code=address_id).first()
        if grid is None:
            raise Open311Error(400, f"address_id {address_id} is not a known grid code")
    elif lat is not None:
        grid = grid_at(lat, long)
    if grid is not None:
        return grid, None, lat, long, address
    if key.organization is None:
        raise Open311Error(
            400,
            "this api_key has no default organization: give address_id or a point inside a grid",
        )
    # A point outside every grid is the street's to place; an address alone, the key's.
    organization = street_of(key.organization) if lat is not None else key.organization
    return None, organization, lat, long, address


def _media_url(post):
    url = post.get("media_url", "").strip()
    if url and (len(url) > 500 or not re.match(r"^https?://[^\s]+$", url)):
        raise Open311Error(400, "media_url must be an http(s) URL of at most 500 characters")
    return url


def _resident_name(post):
    """姓 then 名 with no space for Chinese names; Western order otherwise."""
    first, last = post.get("first_name", "").strip(), post.get("last_name", "").strip()
    if CJK.search(first + last):
        return f"{last}{first}"
    return " ".join(filter(None, [first, last]))


def create_request(request, fmt):
    post = request.POST
    key = key_for(post.get("api_key", ""))
    code = post.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "service_code was not provided")
    category = _category(code)
    grid, organization, lat, long, address = _location(post, key)
    media_url = _media_url(post)
    token = request.headers.get("Idempotency-Key", "")[:40]
    try:
        req, created = services.submit_request(
            category=category,
            description=post.get("description", ""),
            channel=Channel.OPEN311,
            grid=grid,
            organization=organization,
            address=address,
            lat=lat,
            long=long,
            resident_name=_resident_name(post),
            media_url=media_url,
            resident_phone=post.get("phone", ""),
            attributes=_attributes(post),
            idempotency_key=f"open311:{key.pk}:{token}" if token else None,
        )
    except DomainError as exc:
        raise Open311Error(400, f"{exc.field or 'request'}: {exc.message}") from None
    rows = [
        {
            "service_request_id": req.tracking_code,
            "service_notice": service_notice(req.category),
            "account_id": "",
        }
    ]
    return render(
        rows, fmt, root="service_requests", item="request", status=201 if created else 200
    )
