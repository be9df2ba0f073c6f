"""积分 pages: rules, rankings and the notice board, a member's ledger, claims, the card and scan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import (
    can,
    can_for_member,
    get_member_for_user,
    get_org_for_user,
    granted_paths,
    path_q,
    scope_orgs,
)
from xianfeng.core import uploads
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.meetings import services as meeting_services
from xianfeng.members.models import Member
from xianfeng.orgs.models import OrgKind
from xianfeng.service import volunteering

from . import periods, rankings, services
from .card import member_id_from, qr_data_uri
from .forms import AwardForm, ClaimForm, ReasonForm, RuleForm
from .models import ClaimStatus, PointClaim, PointEvent, PointRule, RankingSnapshot


def _errors(request, form):
    messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))


def _rules_for(member, *, claimable=False):
    today = timezone.localdate()
    found = []
    codes = sorted({rule.code for rule in services.current_rules()})
    for rule in (services.current_rule(code, member.organization) for code in codes):
        if claimable and not rule.claimable:
            continue
        try:
            services.check_applies(rule, member, today)
        except DomainError:
            continue
        found.append(rule)
    return found


def _period(request):
    key = request.GET.get("period") or periods.previous_month(timezone.localdate())
    try:
        return periods.parse(key)
    except DomainError:
        return periods.parse(periods.previous_month(timezone.localdate()))


def _n(request):
    try:
        return max(1, min(int(request.GET.get("n", 10)), rankings.MAX_N))
    except ValueError:
        return 10


# ---------------------------------------------------------------- home, rules


@perm_required(Perm.POINTS_VIEW)
def points_home(request):
    orgs = scope_orgs(request.user, Perm.POINTS_VIEW).active().exclude(kind=OrgKind.GROUP)
    pending = PointClaim.objects.filter(
        path_q("member__organization__path", granted_paths(request.user, Perm.POINTS_AWARD)),
        status=ClaimStatus.PENDING,
    ).count()
    page = page_of(request, orgs.order_by("path", "pk"))
    context = {"page": page, "orgs": page, "pending": pending, "rules": services.current_rules()}
    return render(request, "points/home.html", context)


def _manageable(user, rule):
    paths = granted_paths(user, Perm.POINTS_MANAGE)
    if rule is None or rule.scope_id is None:
        return "" in paths
    return can(user, Perm.POINTS_MANAGE, rule.scope)


@perm_required(Perm.POINTS_VIEW)
def rule_detail(request, pk):
    rule = _rule_or_404(pk)
    versions = PointRule.objects.filter(code=rule.code, scope_id=rule.scope_id).select_related(
        "created_by"
    )
    return render(
        request,
        "points/rule.html",
        {"rule": rule, "versions": versions, "can_manage": _manageable(request.user, rule)},
    )


def _rule_or_404(pk):
    try:
        return PointRule.objects.select_related("scope").get(pk=pk)
    except (PointRule.DoesNotExist, ValueError) as exc:
        raise Http404("规则不存在") from exc


def _rule_form_page(request, rule):
    orgs = scope_orgs(request.user, Perm.POINTS_MANAGE).active().exclude(kind=OrgKind.GROUP)
    form = RuleForm(request.POST or None, instance=rule, scope_orgs=orgs)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        if data["scope"] is None and "" not in granted_paths(request.user, Perm.POINTS_MANAGE):
            form.add_error("scope", "请选择适用组织")
        else:
            try:
                if rule is None:
                    saved = services.create_rule(
                        code=form.cleaned_data["code"], actor=request.user, **data
                    )
                else:
                    saved = services.revise_rule(rule, actor=request.user, **data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"规则已保存（第 {saved.version} 版）。")
                return redirect("points:rule", pk=saved.pk)
    return render(request, "points/rule_form.html", {"form": form, "rule": rule})


@perm_required(Perm.POINTS_MANAGE)
def rule_create(request):
    return _rule_form_page(request, None)


@perm_required(Perm.POINTS_MANAGE)
def rule_edit(request, pk):
    rule = _rule_or_404(pk)
    if not _manageable(request.user, rule):
        raise Http404("规则不存在或无权修改")
    return _rule_form_page(request, services.latest_version(rule))


# ---------------------------------------------------------------- rankings


def _ranking_context(request, org):
    period = _period(request)
    snap = rankings.snapshot(org, period.key) if period.kind == periods.MONTH else None
    places = rankings.snapshot_places(snap) if snap else rankings.top(org, period.key, _n(request))
    return {"org": org, "period": period, "snapshot": snap, "places": places, "n": _n(request)}


@perm_required(Perm.POINTS_VIEW)
def ranking(request, pk):
    org = get_org_for_user(request.user, pk, Perm.POINTS_VIEW)
    context = _ranking_context(request, org)
    period = context["period"]
    context["can_close"] = (
        context["snapshot"] is None
        and period.kind == periods.MONTH
        and period.end <= timezone.localdate()
        and can(request.user, Perm.POINTS_MANAGE, org)
    )
    context["closed"] = org_snapshots(org)
    return render(request, "points/ranking.html", context)


def org_snapshots(org):
    return RankingSnapshot.objects.filter(organization=org).order_by("-period")[:24]


@perm_required(Perm.POINTS_VIEW)
def board(request, pk):
    org = get_org_for_user(request.user, pk, Perm.POINTS_VIEW)
    context = _ranking_context(request, org)
    context["paper"] = "A3" if request.GET.get("paper") == "A3" else "A4"
    return render(request, "points/board.html", context)


@require_POST
@perm_required(Perm.POINTS_MANAGE)
def close_month(request, pk):
    org = get_org_for_user(request.user, pk, Perm.POINTS_MANAGE)
    key = request.POST.get("period", "")
    try:
        rankings.close_month(org, key, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已结账，排名已固定。")
    return redirect(f"{reverse('points:ranking', args=[org.pk])}?period={key}")


# ---------------------------------------------------------------- a member's ledger


@perm_required(Perm.POINTS_VIEW)
def member_points(request, pk):
    member = get_member_for_user(request.user, pk, Perm.POINTS_VIEW)
    can_award = can_for_member(request.user, Perm.POINTS_AWARD, member)
    return render(
        request,
        "points/member.html",
        {
            "member": member,
            "events": _events(member),
            "totals": _my_totals(member),
            "can_award": can_award,
            "award_form": AwardForm(rules=_rules_for(member)) if can_award else None,
        },
    )


def _events(member):
    return (
        PointEvent.objects.filter(member=member)
        .select_related("rule", "approved_by", "reversed_by")
        .order_by("-booked_on", "-id")
    )


def _my_totals(member):
    today = timezone.localdate()
    return [
        {"period": periods.parse(key), "places": _places(member, key)}
        for key in periods.keys_for(today)
    ]


def _places(member, key):
    found = []
    for org in rankings.home_orgs(member):
        rank, total = rankings.rank_of(member, org, key)
        found.append({"org": org, "rank": rank, "total": total})
    return found


@require_POST
@perm_required(Perm.POINTS_AWARD)
def award(request, pk):
    member = get_member_for_user(request.user, pk, Perm.POINTS_AWARD)
    form = AwardForm(request.POST, rules=_rules_for(member))
    if not form.is_valid():
        _errors(request, form)
    else:
        data = form.cleaned_data
        try:
            event = services.award_points(
                member,
                data["rule"],
                token=data["token"],
                occurred_on=data["occurred_on"],
                note=data["note"],
                actor=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已登记 {member.name} {event.points:+d} 分。")
    back = request.POST.get("next", "")
    if not back.startswith("/points/scan/"):
        back = reverse("points:member", args=[member.pk])
    return redirect(back)


@require_POST
@perm_required(Perm.POINTS_AWARD)
def reverse_event(request, pk):
    try:
        event = PointEvent.objects.select_related("member__organization", "rule").get(pk=pk)
    except (PointEvent.DoesNotExist, ValueError) as exc:
        raise Http404("积分记录不存在") from exc
    if not can(request.user, Perm.POINTS_AWARD, event.member.organization):
        raise Http404("积分记录不存在")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    else:
        try:
            services.reverse_event(event, reason=form.cleaned_data["reason"], actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已冲正。")
    return redirect("points:member", pk=event.member_id)


# ---------------------------------------------------------------- claims


def _scoped_claims(user):
    return PointClaim.objects.filter(
        path_q("member__organization__path", granted_paths(user, Perm.POINTS_AWARD))
    ).select_related("member__organization", "rule", "decided_by")


def _claim_for(user, pk):
    try:
        return _scoped_claims(user).get(pk=pk)
    except (PointClaim.DoesNotExist, ValueError) as exc:
        raise Http404("申报不存在或无权查看") from exc


@perm_required(Perm.POINTS_AWARD)
def claims(request):
    qs = _scoped_claims(request.user)
    return render(
        request,
        "points/claims.html",
        {
            # Oldest first, a page at a time: a city has thousands waiting.
            "pending": page_of(
                request,
                qs.filter(status=ClaimStatus.PENDING).order_by("created_at", "pk"),
                param="waiting",
            ),
            "decided": page_of(
                request, qs.exclude(status=ClaimStatus.PENDING).order_by("-decided_at", "-pk")
            ),
        },
    )


@require_POST
@perm_required(Perm.POINTS_AWARD)
def claim_approve(request, pk):
    claim = _claim_for(request.user, pk)
    try:
        services.approve_claim(claim, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已通过 {claim.member.name} 的申报。")
    return redirect("points:claims")


@require_POST
@perm_required(Perm.POINTS_AWARD)
def claim_reject(request, pk):
    claim = _claim_for(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("points:claims")
    try:
        services.reject_claim(claim, reason=form.cleaned_data["reason"], actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("points:claims")


@login_required
def claim_evidence(request, pk):
    """The evidence file, for the claimant and for secretaries over them."""
    claim = PointClaim.objects.filter(pk=pk).select_related("member__organization").first()
    if claim is None or not (
        claim.member_id == request.user.member_id
        or can(request.user, Perm.POINTS_AWARD, claim.member.organization)
    ):
        raise Http404("申报不存在或无权查看")
    return uploads.serve(claim.evidence)


# ---------------------------------------------------------------- the member's own pages


def _me(request):
    if not request.user.member_id:
        raise Http404("该账号未关联党员")
    return Member.objects.select_related("organization").get(pk=request.user.member_id)


@login_required
def my_points(request):
    member = _me(request)
    return render(
        request,
        "points/me.html",
        {
            "member": member,
            "totals": _my_totals(member),
            "events": _events(member)[:100],
            "claims": member.point_claims.select_related("rule")[:20],
            "claim_form": ClaimForm(rules=_rules_for(member, claimable=True)),
        },
    )


@require_POST
@login_required
def my_claim(request):
    member = _me(request)
    form = ClaimForm(request.POST, request.FILES, rules=_rules_for(member, claimable=True))
    if not form.is_valid():
        _errors(request, form)
    else:
        data = form.cleaned_data
        try:
            services.submit_claim(
                member,
                data["rule"],
                occurred_on=data["occurred_on"],
                description=data["description"],
                evidence=data["evidence"],
                actor=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "申报已提交，等待支部审核。")
    return redirect("points:me")


@login_required
def my_card(request):
    member = _me(request)
    return render(
        request, "points/card.html", {"member": member, "qr": qr_data_uri(request, member)}
    )


@perm_required(Perm.POINTS_VIEW)
def member_card(request, pk):
    member = get_member_for_user(request.user, pk, Perm.POINTS_VIEW)
    return render(
        request, "points/card.html", {"member": member, "qr": qr_data_uri(request, member)}
    )


@perm_required(Perm.POINTS_AWARD)
def scan(request, token):
    """A secretary's phone opens the card's QR: the member (if in scope), sign-in to a meeting
    or volunteer activity that is open now (in the scanner's scope), and quick awards."""
    member_id = member_id_from(token)
    if member_id is None:
        raise Http404("无效的一卡通")
    member = get_member_for_user(request.user, member_id, Perm.POINTS_AWARD)
    meetings = meeting_services.open_for_sign_in(
        member, scope_orgs(request.user, Perm.MEETING_CHANGE)
    )
    signups = volunteering.open_signups(member, scope_orgs(request.user, Perm.ORG_CHANGE))
    if request.method == "POST":
        _scan_sign_in(request, member, meetings, signups)
        return redirect(request.path)
    return render(
        request,
        "points/scan.html",
        {
            "member": member,
            "meetings": meetings,
            "signups": signups,
            "rules": _rules_for(member),
            "award_form": AwardForm(rules=_rules_for(member)),
            "next": request.path,
        },
    )


def _scan_sign_in(request, member, meetings, signups):
    try:
        if request.POST.get("meeting"):
            meeting = meetings.filter(pk=int(request.POST["meeting"])).first()
            if meeting is None:
                raise DomainError("该会议当前不能签到")
            meeting_services.sign_in(meeting, member, actor=request.user)
            messages.success(request, f"{member.name} 已签到：{meeting}")
        elif request.POST.get("signup"):
            signup = signups.filter(pk=int(request.POST["signup"])).first()
            if signup is None:
                raise DomainError("该志愿活动当前不能签到")
            volunteering.sign_in(signup, actor=request.user)
            messages.success(request, f"{member.name} 已签到：{signup.activity.title}")
        else:
            raise DomainError("请选择要签到的会议或活动")
    except ValueError:
        messages.error(request, "请选择要签到的会议或活动")
    except DomainError as exc:
        messages.error(request, exc.message)
