"""Staff pages: venues with rooms, photos and duty, the week's calendar, bookings and their
approval, activities with sign-ups and QR attendance, and the 15-minute circle."""

from datetime import datetime, time, timedelta
from io import BytesIO

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import has_perm_anywhere
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.core.uploads import file_link, serve
from xianfeng.members.masking import mask_phone

from . import activities, circle, services
from .forms import ActivityForm, BookingForm, DutyForm, PhotoForm, RoomForm, VenueForm
from .models import Activity, Booking, BookingStatus, SignupStatus, VenuePhoto


def _may_create(user):
    return has_perm_anywhere(user, Perm.ORG_CHANGE)


@perm_required(Perm.ORG_VIEW)
def venue_list(request):
    form = VenueForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not _may_create(request.user):
            raise PermissionDenied("没有权限访问此页面。")
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                venue = services.create_venue(data.pop("organization"), actor=request.user, **data)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "已建立阵地")
                return redirect("venues:detail", venue.pk)
    venues = (
        services.scope_venues(request.user)
        .select_related("organization")
        .annotate(rooms_n=Count("rooms"))
        .order_by("organization__path", "name", "pk")
    )
    page = page_of(request, venues)
    context = {"venues": page, "page": page, "form": form, "may_create": _may_create(request.user)}
    return render(request, "venues/list.html", context)


def week_of(request):
    try:
        first = datetime.strptime(request.GET.get("week", ""), "%Y-%m-%d").date()
    except ValueError:
        first = timezone.localdate()
    return first - timedelta(days=first.weekday())


def _calendar(venue, monday):
    """Seven days from `monday`: whether open, and the bookings and activities of each."""
    start = timezone.make_aware(datetime.combine(monday, time.min))
    end = start + timedelta(days=7)
    bookings = (
        Booking.objects.filter(room__venue=venue, starts_at__gte=start, starts_at__lt=end)
        .exclude(status__in=(BookingStatus.CANCELLED, BookingStatus.REJECTED))
        .select_related("room", "organization", "unit")
    )
    acts = Activity.objects.filter(venue=venue, starts_at__gte=start, starts_at__lt=end)
    days = []
    for day, is_open in services.open_days(venue, monday):
        days.append(
            {
                "day": day,
                "open": is_open,
                "bookings": [b for b in bookings if timezone.localdate(b.starts_at) == day],
                "activities": [a for a in acts if timezone.localdate(a.starts_at) == day],
            }
        )
    return days


@perm_required(Perm.ORG_VIEW)
def venue_detail(request, pk):
    venue = services.get_venue_for_user(request.user, pk)
    manager = services.may_manage(request.user, venue)
    monday = week_of(request)
    context = {
        "venue": venue,
        "manager": manager,
        "rooms": venue.rooms.all(),
        "duties": venue.duties.all(),
        "photos": [(p, file_link(p.file)) for p in venue.photos.all()],
        "days": _calendar(venue, monday),
        "monday": monday,
        "prev_week": monday - timedelta(days=7),
        "next_week": monday + timedelta(days=7),
        "booking_form": BookingForm(user=request.user, venue=venue, manager=manager)
        if _may_create(request.user)
        else None,
        "room_form": RoomForm() if manager else None,
        "duty_form": DutyForm() if manager else None,
        "photo_form": PhotoForm() if manager else None,
    }
    return render(request, "venues/detail.html", context)


@perm_required(Perm.ORG_CHANGE)
def venue_edit(request, pk):
    venue = services.get_venue_for_user(request.user, pk)
    if not services.may_manage(request.user, venue):
        raise Http404("阵地不存在或无权修改")
    form = VenueForm(request.POST or None, instance=venue, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in form.fields}
        venue.refresh_from_db()
        try:
            services.update_venue(venue, actor=request.user, **fields)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已保存")
            return redirect("venues:detail", venue.pk)
    return render(request, "venues/edit.html", {"venue": venue, "form": form})


def _venue_post(form_class, action, done):
    """A POST on a venue's page by one of its managers; refusals come back as messages."""

    @require_POST
    @perm_required(Perm.ORG_CHANGE)
    def view(request, pk):
        venue = services.get_venue_for_user(request.user, pk)
        if not services.may_manage(request.user, venue):
            raise Http404("阵地不存在或无权修改")
        form = form_class(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        else:
            try:
                action(venue, request, form.cleaned_data)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, done)
        return redirect("venues:detail", venue.pk)

    return view


room_add = _venue_post(RoomForm, lambda v, r, d: services.add_room(v, actor=r.user, **d), "已添加")
duty_add = _venue_post(DutyForm, lambda v, r, d: services.set_duty(v, actor=r.user, **d), "已添加")
photo_add = _venue_post(
    PhotoForm, lambda v, r, d: services.add_photo(v, actor=r.user, **d), "已上传"
)


@perm_required(Perm.ORG_VIEW)
def photo(request, pk):
    try:
        item = VenuePhoto.objects.get(
            pk=pk, venue__in=services.scope_venues(request.user).values("pk")
        )
    except (ValueError, VenuePhoto.DoesNotExist) as exc:
        raise Http404("照片不存在") from exc
    return serve(item.file)


@require_POST
@perm_required(Perm.ORG_CHANGE)
def book(request, pk):
    venue = services.get_venue_for_user(request.user, pk)
    manager = services.may_manage(request.user, venue)
    form = BookingForm(request.POST, user=request.user, venue=venue, manager=manager)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("venues:detail", venue.pk)
    data = dict(form.cleaned_data)
    try:
        booking = services.book_room(data.pop("room"), actor=request.user, **data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("venues:detail", venue.pk)
    messages.success(request, f"{booking.get_status_display()}：{booking.room}")
    return redirect("venues:booking", booking.pk)


@perm_required(Perm.ORG_VIEW)
def booking_list(request):
    bookings = services.scope_bookings(request.user).select_related(
        "room__venue", "organization", "unit"
    )
    status = request.GET.get("status", "")
    if status in BookingStatus.values:
        bookings = bookings.filter(status=status)
    if request.GET.get("mine"):
        bookings = bookings.filter(created_by_id=request.user.pk)
    page = page_of(request, bookings.order_by("-starts_at", "-pk"))
    context = {
        "bookings": page,
        "page": page,
        "status": status,
        "statuses": BookingStatus.choices,
    }
    return render(request, "venues/bookings.html", context)


@perm_required(Perm.ORG_VIEW)
def booking_detail(request, pk):
    booking = services.get_booking_for_user(request.user, pk)
    url = request.build_absolute_uri(reverse("portal:booking", args=[booking.token]))
    context = {
        "booking": booking,
        "manager": services.may_manage(request.user, booking.room.venue),
        "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=2),
        "phone": mask_phone(booking.phone),
    }
    return render(request, "venues/booking.html", context)


def _booking_post(action, done):
    @require_POST
    @perm_required(Perm.ORG_VIEW)
    def view(request, pk):
        booking = services.get_booking_for_user(request.user, pk)
        try:
            action(booking, request)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
        return redirect("venues:booking", booking.pk)

    return view


booking_decide = _booking_post(
    lambda b, r: services.decide_booking(
        b,
        actor=r.user,
        approve=r.POST.get("approve") == "1",
        note=r.POST.get("note", "")[:200],
    ),
    "已处理",
)
booking_cancel = _booking_post(lambda b, r: services.cancel_booking(b, actor=r.user), "已取消")
booking_check_in = _booking_post(lambda b, r: services.check_in_booking(b, actor=r.user), "已签到")


# ---------------------------------------------------------------- activities


@login_required
def activity_list(request):
    venues = services.scope_venues(request.user)
    form = ActivityForm(request.POST or None, user=request.user, venues=venues)
    if request.method == "POST":
        if not _may_create(request.user):
            raise PermissionDenied("没有权限访问此页面。")
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                activity = activities.publish_activity(
                    data.pop("venue"), actor=request.user, **data
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                return redirect("venues:activity", activity.pk)
    items = activities.scope_activities(request.user).select_related("venue", "organization")
    if venue_id := request.GET.get("venue", ""):
        items = items.filter(venue_id=venue_id if venue_id.isdigit() else 0)
    if request.GET.get("past") != "1":
        items = items.filter(ends_at__gte=timezone.now())
    items = items.annotate(
        taken=Count("signups", filter=Q(signups__status__in=("confirmed", "attended")))
    ).order_by("starts_at", "pk")
    page = page_of(request, items)
    context = {
        "activities": page,
        "page": page,
        "form": form,
        "may_publish": _may_create(request.user),
        "venues": venues.order_by("name")[:200],
    }
    return render(request, "venues/activities.html", context)


@login_required
def activity_detail(request, pk):
    activity = activities.get_activity_for_user(request.user, pk)
    manager = activities.may_manage(request.user, activity)
    signups = list(activity.signups.select_related("member").order_by("signed_up_at", "pk"))
    confirmed, waiting = activities.counts(activity)
    own = next(
        (
            s
            for s in signups
            if request.user.member_id
            and s.member_id == request.user.member_id
            and s.status != SignupStatus.CANCELLED
        ),
        None,
    )
    context = {
        "activity": activity,
        "manager": manager,
        "signups": [(s, mask_phone(s.phone)) for s in signups] if manager else [],
        "confirmed": confirmed,
        "waiting": waiting,
        "own": own,
        "may_sign_up": bool(request.user.member_id) and own is None,
    }
    return render(request, "venues/activity.html", context)


@perm_required(Perm.ORG_CHANGE)
def activity_qr(request, pk):
    activity = activities.get_activity_for_user(request.user, pk)
    if not activities.may_manage(request.user, activity):
        raise Http404("活动不存在或无权查看")
    url = request.build_absolute_uri(
        reverse("portal:check_in", args=[activities.check_in_token(activity)])
    )
    out = BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=6, border=2)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@require_POST
@login_required
def activity_sign_up(request, pk):
    activity = activities.get_activity_for_user(request.user, pk)
    member = request.user.member
    if member is None:
        messages.error(request, "只有党员本人可以在此报名")
        return redirect("venues:activity", activity.pk)
    try:
        signup = activities.sign_up(activity, actor=request.user, member=member, name=member.name)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, signup.get_status_display())
    return redirect("venues:activity", activity.pk)


def _signup_post(action, done, *, manage=True):
    @require_POST
    @login_required
    def view(request, pk):
        from .models import Signup

        try:
            signup = Signup.objects.select_related("activity").get(
                pk=pk, activity__in=activities.scope_activities(request.user).values("pk")
            )
        except (ValueError, Signup.DoesNotExist) as exc:
            raise Http404("报名不存在") from exc
        own = request.user.member_id and signup.member_id == request.user.member_id
        if not own and not activities.may_manage(request.user, signup.activity):
            raise Http404("报名不存在")
        if manage and not activities.may_manage(request.user, signup.activity):
            raise Http404("报名不存在")
        try:
            action(signup, request)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
        return redirect("venues:activity", signup.activity_id)

    return view


signup_cancel = _signup_post(
    lambda s, r: activities.cancel_signup(s, actor=r.user), "已取消报名", manage=False
)
signup_check_in = _signup_post(lambda s, r: activities.check_in(s, actor=r.user), "已签到")


# ---------------------------------------------------------------- the 15-minute circle


def _float(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if -180 <= value <= 180 else None


@perm_required(Perm.ORG_VIEW)
def circle_page(request):
    """A point's venues within the walk, and per community the households covered."""
    from xianfeng.grid.models import GridKind
    from xianfeng.grid.scoping import scope_grids

    venues = list(services.scope_venues(request.user).select_related("organization"))
    lat, lng = _float(request.GET.get("lat")), _float(request.GET.get("lng"))
    near = circle.venues_near(lat, lng) if lat is not None and lng is not None else None
    communities = (
        scope_grids(request.user, Perm.GRID_VIEW)
        .filter(kind__in=(GridKind.COMMUNITY, GridKind.VILLAGE))
        .order_by("path")[:50]
    )
    rows = circle.coverage(communities, venues)
    map_data = {
        "radius": circle.radius(),
        "venues": [
            {
                "lat": v.latitude,
                "lng": v.longitude,
                "name": v.name,
                "status": v.status,
                "url": reverse("venues:detail", args=[v.pk]),
            }
            for v in venues
            if v.has_point
        ],
        "gaps": [g for row in rows for g in row["gaps"]][:2000],
        "point": [lat, lng] if near is not None else None,
        "tiles": settings.XIANFENG_MAP_TILES,
        "attribution": settings.XIANFENG_MAP_ATTRIBUTION,
    }
    context = {
        "near": near,
        "lat": lat,
        "lng": lng,
        "rows": rows,
        "radius": circle.radius(),
        "map_data": map_data,
    }
    return render(request, "venues/circle.html", context)
