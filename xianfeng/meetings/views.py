"""组织生活 pages for one meeting: list, arrange, edit, attendees, attendance, minutes, files,
the QR code, and the member's side: "my meetings" and the sign-in page."""

from io import BytesIO

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can, get_org_for_user, scope_orgs
from xianfeng.core.dates import year_param
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.core.widgets import pick_within

from . import services
from .access import get_meeting_for_user, scope_meetings
from .forms import CancelForm, FileForm, MeetingForm, MinutesForm
from .models import Attendance, AttendanceStatus, Meeting, MeetingStatus
from .rules import MeetingKind


def _errors(request, form):
    messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))


@perm_required(Perm.MEETING_VIEW)
def meeting_list(request):
    year = year_param(request.GET.get("year"))
    meetings = scope_meetings(request.user).filter(held_on__year=year)
    org = None
    if request.GET.get("org"):
        org = get_org_for_user(request.user, request.GET["org"], Perm.MEETING_VIEW)
        meetings = meetings.filter(organization__path__startswith=org.path)
    kind = request.GET.get("kind")
    if kind in MeetingKind.values:
        meetings = meetings.filter(kind=kind)
    page = page_of(request, meetings.select_related("organization"))
    context = {
        "year": year,
        "org": org,
        "kind": kind,
        "kinds": MeetingKind.choices,
        "meetings": page,
        "page": page,
        "first_org": scope_orgs(request.user, Perm.MEETING_CHANGE)
        .active()
        .order_by("path")
        .first(),
    }
    return render(request, "meetings/list.html", context)


@perm_required(Perm.MEETING_CHANGE)
def meeting_create(request):
    org_pk = request.GET.get("org") or request.POST.get("org")
    if not org_pk:
        messages.error(request, "请先选择召开会议的党组织")
        return redirect("meetings:list")
    org = get_org_for_user(request.user, org_pk, Perm.MEETING_CHANGE)
    form = MeetingForm(request.POST or None, members=services.org_members(org).order_by("id"))
    pick_within(form, org)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            meeting = services.create_meeting(
                org,
                kind=data.pop("kind"),
                local_kind=data.pop("local_kind"),
                topic=data.pop("topic"),
                starts_at=data.pop("starts_at"),
                actor=request.user,
                **data,
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "会议已安排，参会人员已按组织生成")
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "org": org, "title": "安排会议"})


@perm_required(Perm.MEETING_CHANGE)
def meeting_edit(request, pk):
    meeting = get_meeting_for_user(request.user, pk, Perm.MEETING_CHANGE)
    members = services.org_members(meeting.organization).order_by("id")
    initial = {name: getattr(meeting, name) for name in services.EDITABLE}
    initial["starts_at"] = timezone.localtime(meeting.starts_at)
    form = MeetingForm(request.POST or None, members=members, initial=initial, editing=True)
    pick_within(form, meeting.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(meeting, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已保存")
            return redirect("meetings:detail", meeting.pk)
    context = {"form": form, "org": meeting.organization, "title": "修改会议", "meeting": meeting}
    return render(request, "meetings/form.html", context)


@perm_required(Perm.MEETING_VIEW)
def meeting_detail(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    may_change = can(request.user, Perm.MEETING_CHANGE, meeting.organization)
    rows = list(meeting.attendances.select_related("member").order_by("member__name_pinyin"))
    invited = {row.member_id for row in rows}
    context = {
        "meeting": meeting,
        "rows": rows,
        "counts": services.attendance_counts(meeting),
        "may_change": may_change,
        "statuses": AttendanceStatus.choices,
        "files": meeting.files.all(),
        "minutes_form": MinutesForm(
            initial={"minutes": meeting.minutes, "resolutions": meeting.resolutions}
        ),
        "file_form": FileForm(),
        "cancel_form": CancelForm(),
        "candidates": [
            (m, m.pk in invited)
            for m in services.org_members(meeting.organization).order_by("name_pinyin")
        ]
        if may_change
        else [],
        "signin_url": _signin_url(request, meeting) if may_change else "",
    }
    return render(request, "meetings/detail.html", context)


def _signin_url(request, meeting):
    token = services.signin_token(meeting)
    return request.build_absolute_uri(reverse("meetings:signin", args=[token]))


def _meeting_post(form_class, call, done):
    """A POST-only view on one meeting: validate → scoped lookup → service → back to it."""

    @require_POST
    @perm_required(Perm.MEETING_CHANGE)
    def view(request, pk):
        meeting = get_meeting_for_user(request.user, pk, Perm.MEETING_CHANGE)
        form = form_class(request.POST, request.FILES) if form_class else None
        if form is not None and not form.is_valid():
            _errors(request, form)
            return redirect("meetings:detail", meeting.pk)
        try:
            call(meeting, request, form.cleaned_data if form else None)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
        return redirect("meetings:detail", meeting.pk)

    return view


def _marks(request, meeting):
    marks = {}
    for member_id in meeting.attendances.values_list("member_id", flat=True):
        status = request.POST.get(f"status_{member_id}")
        if status:
            marks[member_id] = (status, request.POST.get(f"reason_{member_id}", ""))
    if not marks:
        raise DomainError("没有要登记的出席情况")
    return marks


meeting_attendance = _meeting_post(
    None,
    lambda m, r, _d: services.mark_attendance(m, _marks(r, m), actor=r.user),
    "出席情况已登记",
)
meeting_attendees = _meeting_post(
    None,
    lambda m, r, _d: services.set_attendees(m, r.POST.getlist("members"), actor=r.user),
    "参会人员已更新",
)
meeting_minutes = _meeting_post(
    MinutesForm,
    lambda m, r, d: services.record_minutes(m, actor=r.user, **d),
    "会议记录已保存，会议计为已召开",
)
meeting_notice = _meeting_post(
    None, lambda m, r, _d: services.send_notice(m, actor=r.user), "已登记会议通知"
)
meeting_cancel = _meeting_post(
    CancelForm,
    lambda m, r, d: services.cancel_meeting(m, reason=d["reason"], actor=r.user),
    "会议已取消",
)
meeting_upload = _meeting_post(
    FileForm, lambda m, r, d: services.add_file(m, actor=r.user, **d), "已上传"
)


@perm_required(Perm.MEETING_CHANGE)
def meeting_qr(request, pk):
    """The sign-in QR code (SVG) the organizer shows at the meeting."""
    meeting = get_meeting_for_user(request.user, pk, Perm.MEETING_CHANGE)
    out = BytesIO()
    segno.make(_signin_url(request, meeting), error="m").save(out, kind="svg", scale=6, border=2)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


# ---------------------------------------------------------------- the member's side


@login_required
def my_meetings(request):
    member_id = request.user.member_id
    rate = None
    page = page_of(
        request,
        Attendance.objects.filter(member_id=member_id)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting", "meeting__organization")
        .order_by("-meeting__starts_at", "-pk")
        if member_id
        else [],
    )
    if member_id:
        today = timezone.localdate()
        rate = services.attendance_rate(request.user.member, today.replace(month=1, day=1), today)
    return render(
        request,
        "meetings/mine.html",
        {"page": page, "rows": page, "rate": rate, "has_member": bool(member_id)},
    )


@login_required
def sign_in(request, token):
    pk = services.meeting_pk_from_token(token)
    meeting = Meeting.objects.select_related("organization").filter(pk=pk).first()
    if meeting is None:
        raise Http404("签到码无效")
    member = request.user.member
    if member is None:
        messages.error(request, "您的账号未关联党员档案，不能签到")
    elif request.method == "POST":
        try:
            _row, new = services.sign_in(meeting, member, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "签到成功" if new else "您已签到")
            return redirect("meetings:mine")
    invited = member is not None and meeting.attendances.filter(member=member).exists()
    return render(request, "meetings/signin.html", {"meeting": meeting, "invited": invited})
