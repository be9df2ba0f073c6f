"""服务与共建 pages: projects and claims (a member claims on the phone), 双报到, alliances."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can, has_perm_anywhere, in_or_above_q, path_q, scope_orgs
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.members.masking import mask_phone

from . import services
from .forms import (
    CheckInForm,
    ClaimForOthersForm,
    DoneForm,
    EventForm,
    JoinForm,
    ProgressForm,
    ProjectForm,
    ReviewForm,
    ServiceRecordForm,
    StudioForm,
    UnitForm,
)
from .models import (
    Alliance,
    Claim,
    ClaimStatus,
    CommunityCheckIn,
    Direction,
    PartnerUnit,
    ProjectStatus,
    ServiceProject,
    Studio,
)


def _projects(user):
    """Projects a login may see: in or above its subtrees, its member's street area and the
    communities the member registered with (双报到)."""
    q = in_or_above_q("organization", user, Perm.ORG_VIEW)
    if user.member_id:
        q |= path_q("organization__path", services.member_area_paths(user.member))
    return ServiceProject.objects.filter(q)


def _get_project(user, pk):
    try:
        return _projects(user).select_related("organization", "offered_by", "studio").get(pk=pk)
    except (ValueError, ServiceProject.DoesNotExist) as exc:
        raise Http404("项目不存在或无权查看") from exc


def _form_page(request, form, title):
    return render(request, "service/form.html", {"form": form, "title": title})


@login_required
def project_list(request):
    projects = _projects(request.user).select_related("organization", "offered_by")
    direction = request.GET.get("direction")
    if direction in Direction.values:
        projects = projects.filter(direction=direction)
    if request.GET.get("open") == "1":
        projects = projects.filter(status=ProjectStatus.OPEN, claim_by__gte=timezone.localdate())
    projects = projects.annotate(
        taken=Count("claims", filter=~Q(claims__status=ClaimStatus.WITHDRAWN))
    ).order_by("-created_at", "-id")
    page = page_of(request, projects)
    mine = []
    if request.user.member_id:
        mine = Claim.objects.filter(member_id=request.user.member_id).select_related("project")
    context = {
        "projects": page,
        "page": page,
        "mine": mine,
        "directions": Direction.choices,
        "may_publish": has_perm_anywhere(request.user, Perm.ORG_CHANGE),
    }
    return render(request, "service/projects.html", context)


@perm_required(Perm.ORG_CHANGE)
def project_create(request):
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = data.pop("organization")
        try:
            project = services.publish_project(org, actor=request.user, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "项目已发布")
            return redirect("service:project", project.pk)
    return _form_page(request, form, "发布服务项目")


@login_required
def project_detail(request, pk):
    project = _get_project(request.user, pk)
    claims = project.claims.select_related("member", "unit", "community")
    live = [c for c in claims if c.status != ClaimStatus.WITHDRAWN]
    manage = can(request.user, Perm.ORG_CHANGE, project.organization)
    context = {
        "project": project,
        "claims": claims,
        "left": max(project.slots - len(live), 0),
        "my_claim": next(
            (c for c in live if c.member_id and c.member_id == request.user.member_id), None
        ),
        "may_manage": manage,
        "may_claim_for": has_perm_anywhere(request.user, Perm.ORG_CHANGE),
        "claim_for_form": ClaimForOthersForm(user=request.user),
        "done_form": DoneForm(initial={"completed_on": timezone.localdate()}),
        "progress_form": ProgressForm(),
        "statuses": ProjectStatus.choices,
    }
    return render(request, "service/project.html", context)


@require_POST
@login_required
def project_claim(request, pk):
    """A member claims a need for themselves."""
    project = _get_project(request.user, pk)
    if not request.user.member_id:
        raise Http404("当前账号未关联党员")
    try:
        services.claim_project(project, actor=request.user, member=request.user.member)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "认领成功")
    return redirect("service:project", project.pk)


@require_POST
@perm_required(Perm.ORG_CHANGE)
def project_claim_for(request, pk):
    """Staff record a unit's claim of a need, or their community's claim of an offer."""
    project = _get_project(request.user, pk)
    form = ClaimForOthersForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "请选择认领单位或社区")
        return redirect("service:project", project.pk)
    unit, community = form.cleaned_data["unit"], form.cleaned_data["community"]
    if project.direction == Direction.NEED and not can(
        request.user, Perm.ORG_CHANGE, project.organization
    ):
        raise PermissionDenied("只有发布组织可以登记单位认领")
    try:
        services.claim_project(project, actor=request.user, unit=unit, community=community)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已登记认领")
    return redirect("service:project", project.pk)


@require_POST
@perm_required(Perm.ORG_CHANGE)
def project_status(request, pk):
    project = _get_project(request.user, pk)
    if not can(request.user, Perm.ORG_CHANGE, project.organization):
        raise Http404("项目不存在或无权操作")
    try:
        services.set_project_status(project, request.POST.get("status"), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("service:project", project.pk)


def _get_claim(request, pk):
    """The claimer member, the project's managers, or the claiming community's staff may act."""
    try:
        claim = Claim.objects.select_related("project__organization", "community").get(pk=pk)
    except (ValueError, Claim.DoesNotExist) as exc:
        raise Http404("认领不存在") from exc
    user = request.user
    own = claim.member_id is not None and claim.member_id == user.member_id
    staff = can(user, Perm.ORG_CHANGE, claim.project.organization) or (
        claim.community is not None and can(user, Perm.ORG_CHANGE, claim.community)
    )
    if not (own or staff):
        raise Http404("认领不存在")
    return claim


@require_POST
@login_required
def claim_withdraw(request, pk):
    claim = _get_claim(request, pk)
    try:
        services.withdraw_claim(claim, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("service:project", claim.project_id)


@require_POST
@login_required
def claim_progress(request, pk):
    claim = _get_claim(request, pk)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.report_claim(claim, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("service:project", claim.project_id)


@require_POST
@login_required
def claim_done(request, pk):
    claim = _get_claim(request, pk)
    form = DoneForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.complete_claim(claim, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已完成")
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("service:project", claim.project_id)


def _check_ins(user):
    return CommunityCheckIn.objects.filter(community__in=scope_orgs(user, Perm.ORG_VIEW))


@perm_required(Perm.ORG_VIEW)
def check_in_list(request):
    check_ins = (
        _check_ins(request.user)
        .filter(ended_on__isnull=True)
        .select_related("community", "unit", "member")
        .annotate(services_n=Count("services"), hours=Sum("services__hours"))
    )
    form = CheckInForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not has_perm_anywhere(request.user, Perm.ORG_CHANGE):
            raise PermissionDenied("没有权限访问此页面。")
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("member_id_last4")
            try:
                services.register_check_in(data.pop("community"), actor=request.user, **data)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "已登记报到")
                return redirect("service:check_ins")
    page = page_of(request, check_ins.order_by("community__path", "kind", "pk"))
    context = {"check_ins": page, "page": page, "form": form}
    return render(request, "service/check_ins.html", context)


@perm_required(Perm.ORG_VIEW)
def check_in_detail(request, pk):
    try:
        check_in = _check_ins(request.user).select_related("community", "unit", "member").get(pk=pk)
    except (ValueError, CommunityCheckIn.DoesNotExist) as exc:
        raise Http404("报到记录不存在或无权查看") from exc
    may_change = can(request.user, Perm.ORG_CHANGE, check_in.community)
    service_form = ServiceRecordForm(request.POST if "content" in request.POST else None)
    review_form = ReviewForm(
        request.POST if "grade" in request.POST else None,
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("没有权限访问此页面。")
        form, action = (
            (service_form, services.record_service)
            if "content" in request.POST
            else (review_form, services.review_check_in)
        )
        if form.is_valid():
            try:
                action(check_in, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "已保存")
                return redirect("service:check_in", check_in.pk)
    context = {
        "check_in": check_in,
        "services": check_in.services.all(),
        "reviews": check_in.reviews.order_by("-year", "direction"),
        "service_form": service_form,
        "review_form": review_form,
        "may_change": may_change,
    }
    return render(request, "service/check_in.html", context)


@perm_required(Perm.ORG_VIEW)
def unit_list(request):
    form = UnitForm(request.POST or None)
    if request.method == "POST":
        if not has_perm_anywhere(request.user, Perm.ORG_CHANGE):
            raise PermissionDenied("没有权限访问此页面。")
        if form.is_valid():
            form.save()
            messages.success(request, "已登记共建单位")
            return redirect("service:units")
    reveal = has_perm_anywhere(request.user, Perm.MEMBER_SENSITIVE)
    page = page_of(
        request, PartnerUnit.objects.annotate(n=Count("alliances")).order_by("name", "pk")
    )
    units = [(unit, unit.phone if reveal else mask_phone(unit.phone)) for unit in page]
    context = {"units": units, "page": page, "form": form}
    return render(request, "service/units.html", context)


@perm_required(Perm.ORG_VIEW)
def studio_list(request):
    form = StudioForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not has_perm_anywhere(request.user, Perm.ORG_CHANGE):
            raise PermissionDenied("没有权限访问此页面。")
        if form.is_valid():
            form.save()
            messages.success(request, "已登记工作室")
            return redirect("service:studios")
    studios = Studio.objects.filter(community__in=scope_orgs(request.user)).select_related(
        "community"
    )
    studios = studios.annotate(projects_n=Count("projects")).order_by(
        "community__path", "name", "pk"
    )
    page = page_of(request, studios)
    context = {"studios": page, "page": page, "form": form}
    return render(request, "service/studios.html", context)


def _alliances(user):
    return Alliance.objects.filter(in_or_above_q("organization", user, Perm.ORG_VIEW))


@perm_required(Perm.ORG_VIEW)
def alliance_list(request):
    alliances = (
        _alliances(request.user)
        .select_related("organization")
        .annotate(
            units_n=Count("memberships", distinct=True), events_n=Count("events", distinct=True)
        )
    )
    page = page_of(request, alliances.order_by("organization__path", "name", "pk"))
    return render(request, "service/alliances.html", {"alliances": page, "page": page})


@perm_required(Perm.ORG_VIEW)
def alliance_detail(request, pk):
    try:
        alliance = _alliances(request.user).select_related("organization").get(pk=pk)
    except (ValueError, Alliance.DoesNotExist) as exc:
        raise Http404("联盟不存在或无权查看") from exc
    may_change = can(request.user, Perm.ORG_CHANGE, alliance.organization)
    join_form = JoinForm(request.POST if "role" in request.POST else None)
    event_form = EventForm(request.POST if "title" in request.POST else None, alliance=alliance)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("没有权限访问此页面。")
        if "role" in request.POST and join_form.is_valid():
            data = dict(join_form.cleaned_data)
            try:
                services.join_alliance(alliance, data.pop("unit"), actor=request.user, **data)
            except DomainError as exc:
                join_form.add_domain_error(exc)
            else:
                return redirect("service:alliance", alliance.pk)
        elif "title" in request.POST and event_form.is_valid():
            services.record_alliance_event(alliance, actor=request.user, **event_form.cleaned_data)
            return redirect("service:alliance", alliance.pk)
    context = {
        "alliance": alliance,
        "memberships": alliance.memberships.select_related("unit"),
        "events": alliance.events.prefetch_related("units")[:50],
        "join_form": join_form,
        "event_form": event_form,
        "may_change": may_change,
    }
    return render(request, "service/alliance.html", context)
