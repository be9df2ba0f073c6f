"""Campaign pages: list, board, households (phone-first case page), ledger, dispatch, weekly
review, allocation, notices, import. Thin: scoped lookup → service → render or redirect."""

import tempfile
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import has_perm_anywhere
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.core.uploads import file_link
from xianfeng.members.masking import mask_id_number, mask_phone

from . import allocation, imports, outreach, services
from .forms import (
    AssignForm,
    CampaignForm,
    CaseEditForm,
    ChooseForm,
    DispatchForm,
    DocumentForm,
    DoneForm,
    DrawForm,
    ImportForm,
    NoticeForm,
    RevealForm,
    StageForm,
    VisitForm,
    person_formset,
    persons_of,
)
from .models import Assignment, Case, DispatchMeeting, HousingUnit
from .progress import board
from .rules import CampaignKind, CampaignStatus, stages_of
from .scoping import (
    get_assignment_for_user,
    get_campaign_for_user,
    get_case_for_user,
    may_change_campaign,
    may_change_case,
    may_manage,
    may_reveal_case,
    scope_campaigns,
)


def _logged_in(view):
    """Pages a 包户 cadre without any grant may open (their own cases and assignments)."""

    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _manage(request, campaign):
    if not may_manage(request.user, campaign):
        raise PermissionDenied("只有街道可以办理此事项")


@perm_required(Perm.ORG_VIEW)
def campaign_list(request):
    campaigns = scope_campaigns(request.user).select_related("street", "branch")
    status = request.GET.get("status")
    if status in CampaignStatus.values:
        campaigns = campaigns.filter(status=status)
    page = page_of(request, campaigns)
    context = {
        "page": page,
        "statuses": CampaignStatus.choices,
        "may_create": has_perm_anywhere(request.user, Perm.TASK_MANAGE),
    }
    return render(request, "campaigns/list.html", context)


@perm_required(Perm.TASK_MANAGE)
def campaign_create(request):
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        street = data.pop("street")
        try:
            campaign = services.create_campaign(street, actor=request.user, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已成立专项工作及其临时党支部")
            return redirect("campaigns:detail", campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "title": "新建专项工作"})


@perm_required(Perm.ORG_VIEW)
def campaign_detail(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    context = {
        "campaign": campaign,
        "board": board(campaign),
        "groups": campaign.groups.select_related("organization", "leader"),
        "may_manage": may_manage(request.user, campaign),
        "is_resettlement": campaign.kind == CampaignKind.RESETTLEMENT,
    }
    return render(request, "campaigns/detail.html", context)


@perm_required(Perm.ORG_VIEW)
@require_POST
def campaign_close(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    _manage(request, campaign)
    try:
        services.close_campaign(campaign, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "专项工作已结束，临时党支部已撤销")
    return redirect("campaigns:detail", campaign.pk)


def _case_rows(cases):
    return cases.select_related("case_class", "group", "responsible").order_by("number")


@perm_required(Perm.ORG_VIEW)
def case_list(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    cases = Case.objects.filter(campaign=campaign)
    stage = request.GET.get("stage")
    if stage in dict(stages_of(campaign.kind)):
        cases = cases.filter(stage=stage)
    for key in ("case_class", "group"):
        value = request.GET.get(key, "")
        if value.isdigit():
            cases = cases.filter(**{f"{key}_id": int(value)})
    q = request.GET.get("q", "").strip()
    if q:
        cases = cases.filter(number__icontains=q) | cases.filter(head_name__icontains=q)
    page = page_of(request, _case_rows(cases), 50)
    labels = dict(stages_of(campaign.kind))
    for case in page:
        case.phone_shown = mask_phone(case.phone)
        case.stage_shown = labels.get(case.stage, case.stage)
    context = {
        "campaign": campaign,
        "page": page,
        "stages": stages_of(campaign.kind),
        "classes": campaign.classes.all(),
        "groups": campaign.groups.all(),
    }
    return render(request, "campaigns/cases.html", context)


@perm_required(Perm.ORG_VIEW)
def ledger(request, pk):
    """台账: every household's file on A4, one after another (print CSS)."""
    campaign = get_campaign_for_user(request.user, pk)
    cases = _case_rows(Case.objects.filter(campaign=campaign)).prefetch_related(
        "persons", "visits", "documents", "stage_changes"
    )
    page = page_of(request, cases, 100)
    labels = dict(stages_of(campaign.kind))
    for case in page:
        _shown(case, labels)
    return render(request, "campaigns/ledger.html", {"campaign": campaign, "page": page})


def _shown(case, labels):
    case.phone_shown = mask_phone(case.phone)
    case.id_shown = mask_id_number(case.id_number)
    case.stage_shown = labels.get(case.stage, case.stage)
    for change in case.stage_changes.all():
        change.after_shown = labels.get(change.after, change.after)


@_logged_in
def case_detail(request, pk):
    """The 包户 cadre's page: made for a phone, the household and its next step first."""
    case = get_case_for_user(request.user, pk)
    return render(request, "campaigns/case.html", _case_context(request, case))


case_detail.may_open = lambda user: user.is_authenticated


def _case_context(request, case, **forms):
    campaign = case.campaign
    codes = [code for code, _label in stages_of(campaign.kind)]
    here = codes.index(case.stage) if case.stage in codes else 0
    near = [c for i, c in enumerate(codes) if abs(i - here) == 1]
    labels = dict(stages_of(campaign.kind))
    choices = [(code, labels[code]) for code in near]
    _shown(case, labels)
    documents = list(case.documents.all())
    for document in documents:
        document.link = file_link(document.file)
    return {
        "campaign": campaign,
        "case": case,
        "may_change": may_change_case(request.user, case) and campaign.status == "active",
        "next_stage": labels[codes[here + 1]] if here + 1 < len(codes) else "",
        "stage_form": forms.get("stage_form")
        or StageForm(choices=choices, initial={"stage": codes[min(here + 1, len(codes) - 1)]}),
        "visit_form": forms.get("visit_form") or VisitForm(),
        "document_form": forms.get("document_form") or DocumentForm(),
        "assign_form": forms.get("assign_form")
        or AssignForm(
            campaign=campaign,
            initial={
                "case_class": case.case_class_id,
                "group": case.group_id,
                "responsible": case.responsible_id,
            },
        ),
        "persons": [(p, mask_id_number(p.id_number)) for p in case.persons.all()],
        "visits": case.visits.all()[:20],
        "documents": documents,
        "history": case.stage_changes.select_related("actor"),
        "may_manage": may_manage(request.user, campaign),
        "may_reveal": may_reveal_case(request.user, case),
        "reveal_form": forms.get("reveal_form") or RevealForm(),
        "revealed": None,
    }


def _changeable_case(request, pk):
    case = get_case_for_user(request.user, pk)
    if not may_change_case(request.user, case):
        raise PermissionDenied("无权办理该户")
    return case


def _case_post(request, pk, form_class, name, act, done):
    case = _changeable_case(request, pk)
    kwargs = {"campaign": case.campaign} if form_class is AssignForm else {}
    if form_class is StageForm:
        kwargs = {"choices": stages_of(case.campaign.kind)}
    form = form_class(request.POST, request.FILES, **kwargs)
    if form.is_valid():
        try:
            act(case, form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, done)
            return redirect("campaigns:case", case.pk)
    return render(
        request, "campaigns/case.html", _case_context(request, case, **{name: form}), status=400
    )


@_logged_in
@require_POST
def case_stage(request, pk):
    def act(case, data):
        services.change_stage(
            case, data["stage"], actor=request.user, on=data["on"], note=data["note"]
        )

    return _case_post(request, pk, StageForm, "stage_form", act, "进度已更新")


@_logged_in
@require_POST
def case_visit(request, pk):
    def act(case, data):
        services.add_visit(
            case,
            actor=request.user,
            visited_on=data["visited_on"],
            visitor_name=str(request.user),
            talked_with=data["talked_with"],
            said=data["said"],
            issues=data["issues"],
            key=data["token"] or None,
        )

    return _case_post(request, pk, VisitForm, "visit_form", act, "已登记走访谈话")


@_logged_in
@require_POST
def case_document(request, pk):
    def act(case, data):
        services.add_document(
            case, actor=request.user, kind=data["kind"], title=data["title"], file=data["file"]
        )

    return _case_post(request, pk, DocumentForm, "document_form", act, "材料已归档")


@perm_required(Perm.ORG_CHANGE)
@require_POST
def case_assign(request, pk):
    def act(case, data):
        services.assign_case(
            case,
            actor=request.user,
            case_class=data["case_class"],
            group=data["group"],
            responsible=data["responsible"],
        )

    return _case_post(request, pk, AssignForm, "assign_form", act, "已保存")


@_logged_in
def case_edit(request, pk):
    """Correct a household's file (people, property, class, contacts). The version read with
    the form guards against a colleague's edit in between: a stale save is refused with the
    typed values still in the form."""
    case = _changeable_case(request, pk)
    may_classify = may_change_campaign(request.user, case.campaign)
    data = request.POST if request.method == "POST" else None
    form = CaseEditForm(data, case=case, may_classify=may_classify)
    persons = person_formset(case, data)
    status = 200
    if data is not None:
        if form.is_valid() and persons.is_valid():
            try:
                services.update_case(
                    case,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    persons=persons_of(persons),
                    **form.case_fields(),
                )
            except DomainError as exc:
                form.add_domain_error(exc)
                status = 409 if exc.code == "stale" else 400
            else:
                messages.success(request, "户档案已保存")
                return redirect("campaigns:case", case.pk)
        else:
            status = 400
    context = {"campaign": case.campaign, "case": case, "form": form, "persons": persons}
    return render(request, "campaigns/case_edit.html", context, status=status)


@_logged_in
@require_POST
def case_reveal(request, pk):
    """显示: the full 身份证号 and phones of one household, with a reason, audited — for those
    the permission matrix gives 查看完整身份证号和手机号 over the campaign."""
    case = get_case_for_user(request.user, pk)
    if not may_reveal_case(request.user, case):
        raise PermissionDenied("没有权限查看完整身份证号和手机号。")
    form = RevealForm(request.POST)
    context = _case_context(request, case, reveal_form=form)
    if not form.is_valid():
        return render(request, "campaigns/case.html", context, status=400)
    try:
        revealed = services.reveal_case(
            case, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return render(request, "campaigns/case.html", context, status=400)
    context["revealed"] = revealed
    context["reveal_form"] = RevealForm()
    return render(request, "campaigns/case.html", context)


for _view in (case_stage, case_visit, case_document, case_edit, case_reveal):
    _view.may_open = lambda user: user.is_authenticated


@perm_required(Perm.ORG_VIEW)
def dispatch(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    may_record = may_change_campaign(request.user, campaign)
    form = DispatchForm(request.POST or None, campaign=campaign)
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied("无权记录调度会")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_dispatch(
                    campaign,
                    actor=request.user,
                    held_on=data["held_on"],
                    kind=data["kind"],
                    attendees=data["attendees"],
                    issues=data["issues"],
                    decisions=data["decisions"],
                    assignments=form.assignments(),
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "已记录调度会")
                return redirect("campaigns:dispatch", campaign.pk)
    meetings = DispatchMeeting.objects.filter(campaign=campaign).prefetch_related(
        "assignments__owner"
    )
    page = page_of(request, meetings, 20)
    context = {"campaign": campaign, "page": page, "form": form, "may_record": may_record}
    return render(request, "campaigns/dispatch.html", context, status=400 if form.errors else 200)


@_logged_in
@require_POST
def assignment_done(request, pk):
    assignment = get_assignment_for_user(request.user, pk)
    form = DoneForm(request.POST)
    form.is_valid()
    services.complete_assignment(
        assignment, actor=request.user, result=form.cleaned_data.get("result", "")
    )
    messages.success(request, "已办结")
    if request.POST.get("next") == "dispatch":
        return redirect("campaigns:dispatch", assignment.campaign_id)
    return redirect("campaigns:mine")


assignment_done.may_open = lambda user: user.is_authenticated


@_logged_in
def mine(request):
    """My assignments and my households (包户), for a phone."""
    assignments = (
        Assignment.objects.filter(owner=request.user, done_on=None)
        .select_related("campaign", "meeting")
        .order_by("due_on", "id")
    )
    cases = (
        Case.objects.filter(responsible=request.user, campaign__status=CampaignStatus.ACTIVE)
        .select_related("campaign")
        .order_by("campaign_id", "number")
    )
    page = page_of(request, cases, 50)
    context = {
        "assignments": assignments[:100],
        "page": page,
        "today": timezone.localdate(),
        "done_form": DoneForm(),
    }
    return render(request, "campaigns/mine.html", context)


mine.may_open = lambda user: user.is_authenticated


@perm_required(Perm.ORG_VIEW)
def review(request, pk):
    """周研判: a week's dispatch meetings, assignments due and done, stage changes."""
    campaign = get_campaign_for_user(request.user, pk)
    try:
        week = timezone.datetime.strptime(request.GET.get("week", ""), "%Y-%m-%d").date()
    except ValueError:
        week = timezone.localdate()
    monday = week - timedelta(days=week.weekday())
    sunday = monday + timedelta(days=6)
    meetings = DispatchMeeting.objects.filter(
        campaign=campaign, held_on__range=(monday, sunday)
    ).order_by("held_on", "kind")
    assignments = Assignment.objects.filter(
        campaign=campaign, due_on__range=(monday, sunday)
    ).select_related("owner")
    days = [row for row in board(campaign)["days"] if monday <= row[0] <= sunday]
    context = {
        "campaign": campaign,
        "monday": monday,
        "sunday": sunday,
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
        "meetings": meetings,
        "assignments": assignments,
        "late": [a for a in assignments if a.done_on is None and a.due_on < timezone.localdate()],
        "stages": stages_of(campaign.kind),
        "days": days,
    }
    return render(request, "campaigns/review.html", context)


@perm_required(Perm.ORG_VIEW)
def allocation_page(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    if campaign.kind != CampaignKind.RESETTLEMENT:
        raise Http404("只有回迁工作有分房")
    manage = may_manage(request.user, campaign)
    form = DrawForm(request.POST or None)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied("只有街道可以排定选房顺序")
        if form.is_valid():
            try:
                allocation.draw_order(
                    campaign,
                    actor=request.user,
                    rule=form.cleaned_data["rule"],
                    seed=form.cleaned_data["seed"],
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "已排定选房顺序")
                return redirect("campaigns:allocation", campaign.pk)
    rows = Case.objects.filter(campaign=campaign, choose_order__isnull=False).select_related("unit")
    page = page_of(request, rows.order_by("choose_order"), 50)
    units = HousingUnit.objects.filter(campaign=campaign)
    context = {
        "campaign": campaign,
        "page": page,
        "form": form,
        "may_manage": manage,
        "units_total": units.count(),
        "units_free": units.filter(case=None).count(),
        "next_case": rows.filter(unit__isnull=True).order_by("choose_order").first(),
        "choose_form": ChooseForm(campaign=campaign),
    }
    return render(request, "campaigns/allocation.html", context, status=400 if form.errors else 200)


@perm_required(Perm.ORG_CHANGE)
@require_POST
def choose(request, pk):
    case = _changeable_case(request, pk)
    form = ChooseForm(request.POST, campaign=case.campaign)
    if not form.is_valid():
        messages.error(request, "请填写空余的房号")
    else:
        try:
            allocation.choose_unit(
                case, form.cleaned_data["unit"], actor=request.user, on=form.cleaned_data["on"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{case.number} 已选定 {form.cleaned_data['unit'].code}")
    return redirect("campaigns:allocation", case.campaign_id)


@perm_required(Perm.ORG_VIEW)
@require_POST
def publish(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    _manage(request, campaign)
    try:
        allocation.publish_allocation(campaign, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "分房结果已公布并通知各户")
    return redirect("campaigns:allocation", campaign.pk)


@perm_required(Perm.ORG_VIEW)
def notices(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    manage = may_manage(request.user, campaign)
    form = NoticeForm(request.POST or None)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied("只有街道可以向各户发通知")
        if form.is_valid():
            try:
                outreach.send_notice(
                    campaign,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "通知已发出")
                return redirect("campaigns:notices", campaign.pk)
    sent = campaign.notices.select_related("sent_by")
    page = page_of(request, sent, 20)
    figures = outreach.reach_figures(list(page))
    rows = [(n, figures[n.pk]) for n in page]
    context = {"campaign": campaign, "page": page, "rows": rows, "form": form, "may_manage": manage}
    return render(request, "campaigns/notices.html", context, status=400 if form.errors else 200)


@perm_required(Perm.DATA_IMPORT)
def import_page(request, pk):
    campaign = get_campaign_for_user(request.user, pk, Perm.DATA_IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        run = imports.import_cases if form.cleaned_data["what"] == "cases" else imports.import_units
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            for chunk in form.cleaned_data["file"].chunks():
                handle.write(chunk)
            handle.flush()
            try:
                outcome = run(campaign, handle.name, actor=request.user)
            except DomainError as exc:
                form.add_domain_error(exc)
        if outcome is not None and outcome.ok:
            messages.success(request, f"已导入 {outcome.created} 行")
            return redirect("campaigns:detail", campaign.pk)
    status = 400 if form.errors or (outcome and not outcome.ok) else 200
    context = {"campaign": campaign, "form": form, "outcome": outcome}
    return render(request, "campaigns/import.html", context, status=status)
