"""The residents' portal `/m/`: no login to browse a community's venues, services, opening
hours, activities and the people who serve its grid. A phone verified by SMS code
(phones.py) lets a resident sign up, book a room and follow what they did.

Plain pages for old phones: one small stylesheet, no script, under 50 KB without images
(tests/… asserts it), a large-text switch kept in a cookie.
"""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from xianfeng.core.clientip import client_ip
from xianfeng.core.errors import DomainError

from . import activities, circle, phones, services
from .forms import PhoneForm, ResidentBookingForm, ResidentSignupForm
from .models import (
    LIVE,
    Activity,
    BookerKind,
    Booking,
    BookingStatus,
    FollowedRequest,
    Signup,
    SignupStatus,
    Venue,
    VenueStatus,
)

BIG_COOKIE = "m_big"


def _communities():
    from xianfeng.grid.models import Grid, GridKind

    return Grid.objects.filter(kind__in=(GridKind.COMMUNITY, GridKind.VILLAGE)).select_related(
        "scope_org"
    )


def _community(code):
    grid = _communities().filter(code=code).first()
    if grid is None or grid.scope_org is None:
        raise Http404("社区不存在")
    return grid


def _venues_of(org):
    """Venues run by `org`, below it, or above it (the street's)."""
    from xianfeng.accounts.scoping import lineage_paths

    return Venue.objects.filter(
        Q(organization__path__startswith=org.path) | Q(organization__path__in=lineage_paths(org))
    ).exclude(status=VenueStatus.CLOSED)


def _upcoming(venues):
    return (
        Activity.objects.filter(
            venue__in=venues, is_public=True, cancelled=False, ends_at__gte=timezone.now()
        )
        .select_related("venue")
        .order_by("starts_at", "pk")
    )


def _render(request, template, context):
    context = {
        **context,
        "big": request.COOKIES.get(BIG_COOKIE) == "1",
        "phone": phones.verified_phone(request),
    }
    return render(request, template, context)


HOME_LIMIT = 300


def _by_street(communities):
    """[(street name, [community grid])]: each community under the nearest 党委 above its
    organization (the street's 党工委), streets and communities in name order."""
    from xianfeng.orgs.models import Organization, OrgKind

    step = Organization.steplen
    prefixes = {
        g.scope_org.path[:end]
        for g in communities
        for end in range(step, len(g.scope_org.path) + 1, step)
    }
    streets = dict(
        Organization.objects.filter(path__in=prefixes, kind=OrgKind.COMMITTEE).values_list(
            "path", "name"
        )
    )
    groups = {}
    for grid in communities:
        path = grid.scope_org.path
        owners = [p for p in streets if path.startswith(p)]
        street = streets[max(owners, key=len)] if owners else ""
        groups.setdefault(street, []).append(grid)
    return sorted(
        ((street, sorted(grids, key=lambda g: g.name)) for street, grids in groups.items()),
        key=lambda pair: (pair[0] == "", pair[0]),
    )


def home(request):
    query = request.GET.get("q", "").strip()[:40]
    communities = _communities().filter(scope_org__isnull=False)
    if query:
        communities = communities.filter(Q(name__icontains=query) | Q(address__icontains=query))
    found = list(communities.order_by("name")[: HOME_LIMIT + 1])
    context = {
        "streets": _by_street(found[:HOME_LIMIT]),
        "query": query,
        "more": len(found) > HOME_LIMIT,
    }
    return _render(request, "portal/home.html", context)


def text_size(request):
    """Switch large text on or off (a cookie), then back to the page the resident was on."""
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = reverse("portal:home")
    response = redirect(back or "portal:home")
    if request.COOKIES.get(BIG_COOKIE) == "1":
        response.delete_cookie(BIG_COOKIE)
    else:
        response.set_cookie(BIG_COOKIE, "1", max_age=365 * 86400, samesite="Lax")
    return response


def community(request, code):
    from xianfeng.grid.boards import board_servers

    grid = _community(code)
    venues = list(_venues_of(grid.scope_org).order_by("name")[:50])
    context = {
        "grid": grid,
        "venues": [(v, services.is_open_on(v, timezone.localdate())) for v in venues],
        "activities": _upcoming(venues)[:30],
        "servers": board_servers(grid),
    }
    return _render(request, "portal/community.html", context)


def _venue(pk):
    try:
        return Venue.objects.select_related("organization").get(
            pk=pk, status__in=(VenueStatus.OPEN, VenueStatus.PLANNED)
        )
    except (ValueError, Venue.DoesNotExist) as exc:
        raise Http404("阵地不存在") from exc


def venue(request, pk):
    item = _venue(pk)
    today = timezone.localdate()
    phone = phones.verified_phone(request)
    form = ResidentBookingForm(request.POST or None, venue=item)
    if request.method == "POST":
        if not phone:
            return redirect(f"{reverse('portal:phone')}?next={request.path}")
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                booking = services.book_room(
                    data.pop("room"),
                    actor=None,
                    booker_kind=BookerKind.RESIDENT,
                    phone=phone,
                    **data,
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                return redirect("portal:booking", booking.token)
    context = {
        "venue": item,
        "open_today": services.is_open_on(item, today),
        "week": services.open_days(item, today),
        "rooms": item.rooms.all(),
        "duties": item.duties.filter(weekday=today.weekday()),
        "activities": _upcoming([item])[:20],
        "form": form if item.status == VenueStatus.OPEN and item.rooms.exists() else None,
    }
    return _render(request, "portal/venue.html", context)


def _activity(pk):
    try:
        return Activity.objects.select_related("venue").get(
            pk=pk, is_public=True, venue__status__in=(VenueStatus.OPEN, VenueStatus.PLANNED)
        )
    except (ValueError, Activity.DoesNotExist) as exc:
        raise Http404("活动不存在") from exc


def activity(request, pk):
    item = _activity(pk)
    phone = phones.verified_phone(request)
    form = ResidentSignupForm(request.POST or None)
    member = request.user.member if request.user.is_authenticated else None
    if request.method == "POST":
        if not phone and member is None:
            return redirect(f"{reverse('portal:phone')}?next={request.path}")
        if form.is_valid():
            try:
                signup = activities.sign_up(
                    item, name=form.cleaned_data["name"], phone=phone, member=member
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    "报名成功"
                    if signup.status == SignupStatus.CONFIRMED
                    else "名额已满，已进入候补",
                )
                return redirect("portal:me")
    confirmed, waiting = activities.counts(item)
    own = (
        Signup.objects.filter(
            activity=item, phone_hash=phones.phone_hash(phone), status__in=LIVE
        ).first()
        if phone
        else None
    )
    context = {
        "activity": item,
        "left": max(item.capacity - confirmed, 0),
        "waiting": waiting,
        "form": form,
        "own": own,
        "open": not item.cancelled and item.starts_at > timezone.now(),
    }
    return _render(request, "portal/activity.html", context)


def check_in(request, token):
    """The activity's QR code: the verified resident (or a member logged in) checks in."""
    item = activities.activity_for_token(token)
    phone = phones.verified_phone(request)
    q = Q(pk__in=[])
    if phone:
        q |= Q(phone_hash=phones.phone_hash(phone))
    if request.user.is_authenticated and request.user.member_id:
        q |= Q(member_id=request.user.member_id)
    signup = Signup.objects.filter(q, activity=item, status__in=LIVE).first()
    if request.method == "POST" and signup is not None:
        try:
            activities.check_in(signup, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "签到成功")
        return redirect(request.path)
    context = {"activity": item, "signup": signup, "token": token}
    return _render(request, "portal/check_in.html", context)


def booking(request, token):
    """A booking's page and QR code: the token is the key (the booker's link)."""
    try:
        item = Booking.objects.select_related("room__venue").get(token=token)
    except Booking.DoesNotExist as exc:
        raise Http404("预约不存在") from exc
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "check_in":
                services.check_in_booking(item, actor=request.user)  # the link is the key
            elif action == "cancel":  # the link is the booker's key
                services.cancel_booking(item, actor=None)
            else:
                raise DomainError("操作无效")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已签到" if action == "check_in" else "已取消")
        return redirect(request.path)
    import segno

    url = request.build_absolute_uri(request.path)
    context = {
        "booking": item,
        "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=2),
        "may_cancel": item.status in (BookingStatus.PENDING, BookingStatus.APPROVED),
    }
    return _render(request, "portal/booking.html", context)


def phone(request):
    """Two steps on one form: send a code, then enter it."""
    form = PhoneForm(request.POST or None)
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}) or not back.startswith(
        "/m/"
    ):
        back = reverse("portal:me")
    sent = False
    if request.method == "POST" and form.is_valid():
        number, code = form.cleaned_data["phone"], form.cleaned_data["code"]
        try:
            if code:
                phones.remember(request, phones.verify_code(number, code))
                return redirect(back)
            phones.send_code(number, ip=client_ip(request))
            sent = True
        except DomainError as exc:
            form.add_error("code" if exc.field == "code" else None, exc.message)
            sent = exc.field == "code"
    return _render(request, "portal/phone.html", {"form": form, "sent": sent, "next": back})


@require_POST
def sign_out(request):
    request.session.pop(phones.SESSION_KEY, None)
    return redirect("portal:home")


def me(request):
    phone = phones.verified_phone(request)
    if not phone:
        return redirect(f"{reverse('portal:phone')}?next={reverse('portal:me')}")
    digest = phones.phone_hash(phone)
    since = timezone.now() - timedelta(days=90)
    if request.method == "POST":
        _follow(request, phone, digest)
        return redirect("portal:me")
    context = {
        "signups": Signup.objects.filter(phone_hash=digest, activity__ends_at__gte=since)
        .select_related("activity__venue")
        .order_by("-activity__starts_at")[:50],
        "bookings": Booking.objects.filter(phone_hash=digest, starts_at__gte=since)
        .select_related("room__venue")
        .order_by("-starts_at")[:50],
        "requests": FollowedRequest.objects.filter(phone_hash=digest)
        .select_related("request")
        .order_by("-created_at")[:50],
    }
    return _render(request, "portal/me.html", context)


def _follow(request, phone, digest):
    """Follow a request by its 查询码: only one filed with this very phone number."""
    from xianfeng.resident_requests.models import ResidentRequest

    code = request.POST.get("code", "").strip().upper()[:20]
    req = ResidentRequest.objects.filter(tracking_code=code).first()
    digits = "".join(c for c in (req.resident_phone if req else "") if c.isdigit())
    if req is None or digits != phone:
        messages.error(request, "没有用该手机号提交的这个查询码")
        return
    FollowedRequest.objects.get_or_create(phone_hash=digest, request=req)
    messages.success(request, "已加入我的诉求")


@require_POST
def signup_cancel(request, pk):
    phone = phones.verified_phone(request)
    signup = Signup.objects.filter(
        pk=pk if str(pk).isdigit() else 0, phone_hash=phones.phone_hash(phone) if phone else "-"
    ).first()
    if signup is None:
        raise Http404("报名不存在")
    try:
        activities.cancel_signup(signup)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已取消报名")
    return redirect("portal:me")


def circle_page(request):
    """Venues within a walk of a point (the phone's location or a picked community)."""
    lat, lng = _coord(request.GET.get("lat"), 90), _coord(request.GET.get("lng"), 180)
    if (lat is None or lng is None) and request.GET.get("c"):
        grid = _community(request.GET["c"])
        found = circle._centroid(grid.geometry) if grid.geometry else None
        lat, lng = found or (None, None)
    near = circle.venues_near(lat, lng) if lat is not None and lng is not None else None
    context = {"near": near, "radius": circle.radius(), "communities": _communities()[:300]}
    return _render(request, "portal/circle.html", context)


def _coord(text, limit):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if -limit <= value <= limit else None


def volunteer(request):
    """志愿者报名: a resident with a verified phone joins a community's volunteer team."""
    from xianfeng.service import volunteering

    phone = phones.verified_phone(request)
    communities = list(_communities().exclude(scope_org=None).order_by("name")[:300])
    if request.method == "POST":
        if not phone:
            return redirect(f"{reverse('portal:phone')}?next={request.path}")
        grid = next((g for g in communities if g.code == request.POST.get("community")), None)
        name = request.POST.get("name", "").strip()[:50]
        if grid is None or not name:
            messages.error(request, "请选择社区并填写姓名")
        else:
            try:
                volunteering.register_volunteer(
                    grid.scope_org,
                    actor=None,
                    name=name,
                    phone=phone,
                    registered_on=timezone.localdate(),
                    skills=request.POST.get("skills", "").strip()[:100],
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"已加入{grid.name}志愿者队伍")
                return redirect("portal:community", grid.code)
    return _render(request, "portal/volunteer.html", {"communities": communities})
