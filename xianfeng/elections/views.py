"""换届选举 pages: reminders, street overview, plan, nominate, votes, approval."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import (
    can,
    get_org_for_user,
    granted_paths,
    path_q,
    scope_members,
    scope_orgs,
)
from xianfeng.core.dates import year_param
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.orgs.models import Committee, CommitteeStatus, Organization, OrgKind
from xianfeng.orgs.rules import RESCHEDULE_SOURCE

from . import services
from .forms import DecideForm, NominationForm, PlanForm, RescheduleForm, VoteForm
from .models import Election
from .overview import due_terms, street_overview
from .rules import RULE_TABLE, margin_short

PAGE_SIZE = 50


def _scoped(user, perm):
    return Election.objects.filter(path_q("organization__path", granted_paths(user, perm)))


def _get(user, pk, perm=Perm.ORG_VIEW):
    qs = _scoped(user, perm).select_related("organization", "committee", "new_committee")
    try:
        return qs.get(pk=pk)
    except (ValueError, TypeError, Election.DoesNotExist) as exc:
        raise Http404("换届选举不存在或无权查看") from exc


@perm_required(Perm.ORG_VIEW)
def election_list(request):
    today = timezone.localdate()
    rows = due_terms(scope_orgs(request.user), today)
    open_elections = (
        _scoped(request.user, Perm.ORG_VIEW)
        .filter(status__in=["planned", "nominating", "voted"])
        .select_related("organization")
        .order_by("planned_on", "organization__path")
    )
    page = page_of(request, rows)
    context = {"page": page, "today": today, "open_elections": open_elections[:PAGE_SIZE]}
    return render(request, "elections/list.html", context)


@perm_required(Perm.ORG_VIEW)
def election_overview(request):
    year = year_param(request.GET.get("year"))
    if request.GET.get("org"):
        street = get_org_for_user(request.user, request.GET["org"])
    else:
        street = scope_orgs(request.user).filter(kind=OrgKind.COMMITTEE).order_by("depth").first()
    rows, statuses, not_started = street_overview(street, year) if street else ([], [], 0)
    committees = scope_orgs(request.user).filter(kind=OrgKind.COMMITTEE).order_by("path")[:200]
    context = {
        "street": street,
        "year": year,
        "rows": rows,
        "statuses": statuses,
        "not_started": not_started,
        "committees": committees,
    }
    return render(request, "elections/overview.html", context)


@perm_required(Perm.ORG_CHANGE)
def election_plan(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ORG_CHANGE)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            election = services.plan_election(org, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已制定换届选举方案")
            return redirect("elections:detail", election.pk)
    return render(request, "elections/plan.html", {"org": org, "form": form})


@perm_required(Perm.ORG_VIEW)
def election_detail(request, pk):
    election = _get(request.user, pk)
    return render(request, "elections/detail.html", _detail_context(request, election))


def _detail_context(request, election, **forms):
    org = election.organization
    nominations = list(
        election.nominations.select_related("member", "member__organization", "result_by")
    )
    parent = Organization.objects.get_parent(org)
    may_change = can(request.user, Perm.ORG_CHANGE, org)
    if may_change and "nomination_form" not in forms:
        members = scope_members(request.user)
        forms["nomination_form"] = NominationForm(org=org, members=members)
    today = timezone.localdate()
    return {
        "election": election,
        "nominations": nominations,
        "margin_short": margin_short(len(nominations), election.seats),
        "may_change": may_change,
        "may_decide": parent is not None and can(request.user, Perm.ELECTION_APPROVE, parent),
        "decide_form": forms.get("decide_form") or DecideForm(initial={"on": today}),
        "nomination_form": forms.get("nomination_form"),
        "rules": RULE_TABLE,
    }


@require_POST
@perm_required(Perm.ORG_CHANGE)
def election_nominate(request, pk):
    election = _get(request.user, pk, Perm.ORG_CHANGE)
    members = scope_members(request.user)
    form = NominationForm(request.POST, org=election.organization, members=members)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.nominate(
                election,
                data["member"],
                post=data["post"],
                source=data["source"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已提名")
            return redirect("elections:detail", election.pk)
    context = _detail_context(request, election, nomination_form=form)
    return render(request, "elections/detail.html", context)


@require_POST
@perm_required(Perm.ORG_CHANGE)
def nomination_withdraw(request, pk):
    election = _get(request.user, pk, Perm.ORG_CHANGE)
    nomination = (
        election.nominations.select_related("member")
        .filter(pk=_int(request.POST.get("nomination")))
        .first()
    )
    if nomination is None:
        raise Http404("候选人不存在或无权查看")
    try:
        services.withdraw_nomination(nomination, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤销对{nomination.member.name}的提名")
    return redirect("elections:detail", election.pk)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@perm_required(Perm.ORG_CHANGE)
def election_vote(request, pk):
    election = _get(request.user, pk, Perm.ORG_CHANGE)
    nominations = election.nominations.select_related("member")
    initial = {"eligible": services.eligible_voters(election.organization)}
    form = VoteForm(request.POST or None, nominations=nominations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            elected = services.record_votes(
                election,
                held_on=data["held_on"],
                eligible=data["eligible"],
                present=data["present"],
                votes=form.votes(),
                actor=request.user,
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已登记选举结果，当选{len(elected)}名，待上级批复")
            return redirect("elections:detail", election.pk)
    return render(request, "elections/vote.html", {"election": election, "form": form})


@require_POST
@perm_required(Perm.ELECTION_APPROVE)
def election_decide(request, pk):
    election = _get(request.user, pk, Perm.ELECTION_APPROVE)
    form = DecideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_election(
                election,
                approve=data["approve"],
                on=data["on"],
                note=data["note"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已批复" if data["approve"] else "已退回，不予批准")
            return redirect("elections:detail", election.pk)
    context = _detail_context(request, election, decide_form=form)
    return render(request, "elections/detail.html", context)


@perm_required(Perm.ELECTION_APPROVE)
def election_reschedule(request, pk):
    """换届延期或提前: the level above records its approval and the new date."""
    org = get_org_for_user(request.user, pk, Perm.ELECTION_APPROVE)
    committee = Committee.objects.filter(organization=org, status=CommitteeStatus.CURRENT).first()
    form = RescheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule_renewal(org, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已记录上级批准的换届日期")
            return redirect("orgs:detail", org.pk)
    context = {"org": org, "committee": committee, "form": form, "source": RESCHEDULE_SOURCE}
    return render(request, "elections/reschedule.html", context)
