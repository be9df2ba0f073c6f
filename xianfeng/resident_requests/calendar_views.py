"""工作日历 pages for the office administrator: the years entered, a form per year, and the
import of a State Council holiday notice with a preview to confirm before saving."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.core import holidays, workcal
from xianfeng.core.errors import DomainError
from xianfeng.core.models import CalendarYear, DayKind

from .forms import CalendarYearForm, NoticeImportForm
from .models import OPEN_STATUSES, ResidentRequest

MIN_YEAR, MAX_YEAR = holidays.FIRST_YEAR, holidays.LAST_YEAR


@perm_required(Perm.CALENDAR_MANAGE)
def calendar(request):
    today = timezone.localdate()
    years = CalendarYear.objects.annotate(
        off_count=Count("days", filter=Q(days__kind=DayKind.OFF)),
        work_count=Count("days", filter=Q(days__kind=DayKind.WORK)),
    )
    entered = {c.year for c in years}
    next_year = next(y for y in range(today.year, MAX_YEAR + 1) if y not in entered)
    uncovered = (
        ResidentRequest.objects.filter(status__in=OPEN_STATUSES)
        .exclude(calendar_warning="")
        .count()
    )
    return render(
        request,
        "resident_requests/calendar.html",
        {
            "years": years,
            "warning": workcal.calendar_warning(today),
            "runs_out": workcal.calendar_runs_out_on(today),
            "next_year": next_year,
            "uncovered": uncovered,
        },
    )


@perm_required(Perm.CALENDAR_MANAGE)
def calendar_year(request, year):
    if not MIN_YEAR <= year <= MAX_YEAR:
        messages.error(request, f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间")
        return redirect("requests:calendar")
    existing = CalendarYear.objects.filter(year=year).first()
    if request.method == "POST":
        form = CalendarYearForm(request.POST)
        if form.is_valid():
            parsed = holidays.parsed_from_lines(
                year,
                form.cleaned_data["source"],
                form.cleaned_data["days_off"],
                form.cleaned_data["workdays"],
            )
            try:
                holidays.save_calendar_year(parsed, actor=request.user)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"{year}年节假日安排已保存，未办结诉求的时限正在重新计算")
                return redirect("requests:calendar")
    elif existing:
        days_off, workdays = holidays.as_lines(existing)
        form = CalendarYearForm(
            initial={"source": existing.source, "days_off": days_off, "workdays": workdays}
        )
    else:
        form = CalendarYearForm(initial={"source": f"国务院办公厅关于{year}年部分节假日安排的通知"})
    return render(
        request,
        "resident_requests/calendar_year.html",
        {"form": form, "year": year, "existing": existing},
    )


@perm_required(Perm.CALENDAR_MANAGE)
def calendar_import(request):
    """GET: paste the notice. POST: preview what was read; POST with `confirm`: save it."""
    form = NoticeImportForm(request.POST or None)
    parsed = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        parsed = holidays.parse_notice(text, form.cleaned_data["year"])
        if request.POST.get("confirm") and not parsed.errors:
            try:
                holidays.save_calendar_year(parsed, actor=request.user, notice_text=text)
            except DomainError as exc:
                parsed.errors.append(exc.message)
            else:
                messages.success(
                    request, f"{parsed.year}年节假日安排已导入，未办结诉求的时限正在重新计算"
                )
                return redirect("requests:calendar")
        elif not parsed.errors:
            try:
                holidays.check_year(parsed)
            except DomainError as exc:
                parsed.errors.append(exc.message)
    return render(
        request,
        "resident_requests/calendar_import.html",
        {
            "form": form,
            "parsed": parsed,
            "replaces": parsed and CalendarYear.objects.filter(year=parsed.year).exists(),
        },
    )
