"""党建指导员 pages: roster, an instructor's page, duty records, windows, meetings, supervision."""

from django.contrib import messages
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import (
    can,
    granted_paths,
    path_q,
    scope_members,
    scope_orgs,
)
from xianfeng.core import sheets
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.orgs.models import OrgKind

from . import services
from .forms import (
    AppointForm,
    AssignForm,
    MeetingForm,
    ReportForm,
    SubmitForm,
    VisitForm,
    WindowForm,
)
from .ledger import build_ledger, ledger_workbook
from .models import Assignment, CollectionWindow, InstructorMeeting
from .rules import RULE_TABLE
from .supervision import (
    monthly_visits,
    open_assignments,
    scope_instructors,
    unvisited_orgs,
    window_status,
)


def _get(user, pk):
    qs = scope_instructors(user).select_related("member", "member__organization", "office")
    try:
        return qs.get(pk=pk)
    except (ValueError, TypeError, qs.model.DoesNotExist) as exc:
        raise Http404("党建指导员不存在或无权查看") from exc


def _offices(user):
    return scope_orgs(user, Perm.INSTRUCTOR_MANAGE).filter(kind=OrgKind.COMMITTEE)


def _year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _windows(user):
    return CollectionWindow.objects.filter(
        path_q("office__path", granted_paths(user, Perm.INSTRUCTOR_MANAGE))
    ).select_related("office")


@perm_required(Perm.INSTRUCTOR_LOG)
def instructor_list(request):
    year = timezone.localdate().year
    instructors = (
        scope_instructors(request.user)
        .select_related("member", "office")
        .annotate(
            org_count=Count(
                "assignments", filter=Q(assignments__ended_on__isnull=True), distinct=True
            ),
            visit_count=Count("visits", filter=Q(visits__visited_on__year=year), distinct=True),
            last_visit=Max("visits__visited_on"),
        )
        .order_by("office__path", "member__name_pinyin")
    )
    page = page_of(request, instructors)
    context = {"instructors": page, "page": page, "year": year, "rules": RULE_TABLE}
    return render(request, "instructors/list.html", context)


@perm_required(Perm.INSTRUCTOR_MANAGE)
def instructor_appoint(request):
    offices = _offices(request.user)
    form = AppointForm(
        request.POST or None,
        offices=offices,
        members=scope_members(request.user, Perm.MEMBER_VIEW),
        orgs=scope_orgs(request.user, Perm.INSTRUCTOR_MANAGE),
        initial={"started_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            instructor = services.appoint_instructor(
                data["member"],
                office=data["office"],
                organizations=list(data["organizations"]),
                started_on=data["started_on"],
                department=data["department"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已选派{instructor}为党建指导员")
            return redirect("instructors:detail", instructor.pk)
    return render(request, "instructors/appoint.html", {"form": form})


@perm_required(Perm.INSTRUCTOR_LOG)
def instructor_detail(request, pk):
    instructor = _get(request.user, pk)
    return render(request, "instructors/detail.html", _detail_context(request, instructor))


def _detail_context(request, instructor, **forms):
    today = timezone.localdate()
    assignments = list(instructor.assignments.select_related("organization"))
    current = [a.organization for a in assignments if a.ended_on is None]
    manages = can(request.user, Perm.INSTRUCTOR_MANAGE, instructor.office)
    own = request.user.member_id == instructor.member_id
    org_ids = [o.pk for o in current]
    windows = instructor.office.instructor_windows.filter(opens_on__lte=today).order_by(
        "-closes_on"
    )[:4]
    submitted = set(instructor.submissions.values_list("window_id", flat=True))
    return {
        "instructor": instructor,
        "assignments": assignments,
        "visits": instructor.visits.select_related("organization")[:30],
        "reports": instructor.reports.all()[:10],
        "windows": [(w, w.pk in submitted) for w in windows],
        "manages": manages,
        "may_record": manages or own,
        "assign_form": forms.get("assign_form")
        or AssignForm(
            orgs=scope_orgs(request.user, Perm.INSTRUCTOR_MANAGE),
            initial={"started_on": today},
        ),
        "visit_form": forms.get("visit_form")
        or VisitForm(
            orgs=_recordable(request.user, org_ids),
            initial={"visited_on": today},
        ),
        "report_form": forms.get("report_form") or ReportForm(initial={"reported_on": today}),
        "today": today,
    }


def _recordable(user, org_ids):
    return scope_orgs(user, Perm.INSTRUCTOR_LOG).filter(pk__in=org_ids)


@require_POST
@perm_required(Perm.INSTRUCTOR_MANAGE)
def instructor_assign(request, pk):
    instructor = _get(request.user, pk)
    form = AssignForm(request.POST, orgs=scope_orgs(request.user, Perm.INSTRUCTOR_MANAGE))
    if form.is_valid():
        try:
            services.assign_instructor(
                instructor,
                form.cleaned_data["organization"],
                started_on=form.cleaned_data["started_on"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已增加指导的党组织")
            return redirect("instructors:detail", instructor.pk)
    context = _detail_context(request, instructor, assign_form=form)
    return render(request, "instructors/detail.html", context)


@require_POST
@perm_required(Perm.INSTRUCTOR_MANAGE)
def assignment_end(request, pk):
    scoped = Assignment.objects.filter(
        path_q("instructor__office__path", granted_paths(request.user, Perm.INSTRUCTOR_MANAGE))
    )
    assignment = scoped.filter(pk=pk).first()
    if assignment is None:
        raise Http404("指导关系不存在或无权查看")
    try:
        services.end_assignment(assignment, ended_on=timezone.localdate(), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已结束指导关系")
    return redirect("instructors:detail", assignment.instructor_id)


@require_POST
@perm_required(Perm.INSTRUCTOR_LOG)
def instructor_visit(request, pk):
    instructor = _get(request.user, pk)
    org_ids = list(open_assignments([instructor]).values_list("organization_id", flat=True))
    form = VisitForm(request.POST, orgs=_recordable(request.user, org_ids))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_visit(
                instructor,
                data["organization"],
                visited_on=data["visited_on"],
                kind=data["kind"],
                content=data["content"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已登记到岗履责记录")
            return redirect("instructors:detail", instructor.pk)
    context = _detail_context(request, instructor, visit_form=form)
    return render(request, "instructors/detail.html", context)


@require_POST
@perm_required(Perm.INSTRUCTOR_LOG)
def instructor_report(request, pk):
    instructor = _get(request.user, pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.submit_report(instructor, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已提交工作汇报")
            return redirect("instructors:detail", instructor.pk)
    context = _detail_context(request, instructor, report_form=form)
    return render(request, "instructors/detail.html", context)


@perm_required(Perm.INSTRUCTOR_LOG)
def instructor_ledger(request, pk):
    instructor = _get(request.user, pk)
    ledger = build_ledger(instructor, _year(request))
    return render(request, "instructors/ledger.html", {"instructor": instructor, "ledger": ledger})


@perm_required(Perm.INSTRUCTOR_LOG)
def instructor_ledger_xlsx(request, pk):
    instructor = _get(request.user, pk)
    year = _year(request)
    book = ledger_workbook(build_ledger(instructor, year))
    return sheets.download(book, f"instructor-ledger-{instructor.pk}-{year}.xlsx")


@perm_required(Perm.INSTRUCTOR_MANAGE)
def window_list(request):
    offices = _offices(request.user)
    form = WindowForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.open_window(data.pop("office"), actor=request.user, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已设定收取窗口")
            return redirect("instructors:windows")
    windows = _windows(request.user).annotate(received=Count("submissions"))
    page = page_of(request, windows.order_by("-period_start", "kind", "pk"))
    context = {"form": form, "windows": page, "page": page}
    return render(request, "instructors/windows.html", context)


@perm_required(Perm.INSTRUCTOR_MANAGE)
def window_detail(request, pk):
    window = _windows(request.user).filter(pk=pk).first()
    if window is None:
        raise Http404("收取窗口不存在或无权查看")
    today = timezone.localdate()
    rows = window_status(window, today)
    counts = {state: sum(1 for r in rows if r.state == state) for state in STATES}
    context = {"window": window, "rows": rows, "counts": counts, "today": today}
    return render(request, "instructors/window.html", context)


STATES = ("on_time", "late", "missing", "overdue")


@require_POST
@perm_required(Perm.INSTRUCTOR_LOG)
def window_submit(request, pk):
    form = SubmitForm(request.POST)
    form.is_valid()
    chosen = form.cleaned_data.get("instructor")
    instructors = scope_instructors(request.user).select_related("member")
    instructor = (
        instructors.filter(pk=chosen).first()
        if chosen
        else instructors.filter(member_id=request.user.member_id).first()
    )
    window = CollectionWindow.objects.filter(pk=pk).first()
    if instructor is None or window is None or window.office_id != instructor.office_id:
        raise Http404("收取窗口不存在或无权查看")
    try:
        submission = services.submit_log(
            window, instructor, note=form.cleaned_data.get("note", ""), actor=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        late = "（已逾期）" if submission.is_late else ""
        messages.success(request, f"已提交{window}{late}")
    return redirect("instructors:detail", instructor.pk)


@perm_required(Perm.INSTRUCTOR_MANAGE)
def meeting_list(request):
    offices = _offices(request.user)
    instructors = scope_instructors(request.user).filter(office__in=offices)
    form = MeetingForm(request.POST or None, offices=offices, instructors=instructors)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.record_meeting(data.pop("office"), actor=request.user, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已登记工作例会")
            return redirect("instructors:meetings")
    meetings = (
        InstructorMeeting.objects.filter(
            path_q("office__path", granted_paths(request.user, Perm.INSTRUCTOR_MANAGE))
        )
        .select_related("office")
        .annotate(attended=Count("attendees"))
    )
    page = page_of(request, meetings.order_by("-held_on", "-pk"))
    context = {"form": form, "meetings": page, "page": page}
    return render(request, "instructors/meetings.html", context)


@perm_required(Perm.INSTRUCTOR_MANAGE)
def supervision(request):
    today = timezone.localdate()
    year = _year(request)
    paths = granted_paths(request.user, Perm.INSTRUCTOR_MANAGE)
    page = page_of(
        request,
        scope_instructors(request.user)
        .filter(path_q("office__path", paths))
        .select_related("member")
        .order_by("office__path", "member__name_pinyin", "pk"),
    )
    instructors = list(page)
    table = monthly_visits(instructors, year)
    rows = [(i, table[i.pk], sum(table[i.pk])) for i in instructors]
    context = {
        "year": year,
        "page": page,
        "rows": rows,
        "months": range(1, 13),
        "stale": list(unvisited_orgs(paths, today)[:200]),
        "today": today,
    }
    return render(request, "instructors/supervision.html", context)
