"""党员考核 pages: a branch's yearly results with the secretary's scores, a member's history,
and the weights of the year."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can, get_member_for_user, get_org_for_user, scope_members
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of

from . import members as services
from . import rules
from .forms import SecretaryForm, WeightsForm
from .inputs import MEMBER_INPUTS
from .models import MemberAssessment, SecretaryScore
from .views import manages_top, year_param

PAGE_SIZE = 100


def _members_url(org, year):
    return f"{reverse('assessment:members', args=[org.pk])}?year={year}"


def components(year):
    """(code, label, connected) for the year's weighted codes and every registered input."""
    codes = list(services.weights_for(year))
    codes += [code for code in sorted(MEMBER_INPUTS) if code not in codes]
    known = {"points": "积分", "review": "民主评议", "secretary": "书记评价"}
    return [
        (
            code,
            str(MEMBER_INPUTS[code].label) if code in MEMBER_INPUTS else known.get(code, code),
            code in MEMBER_INPUTS,
        )
        for code in codes
    ]


@perm_required(Perm.ASSESS_VIEW)
def member_results(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ASSESS_VIEW)
    year = year_param(request)
    page = page_of(
        request,
        scope_members(request.user, Perm.ASSESS_VIEW)
        .active()
        .filter(organization__path__startswith=org.path)
        .select_related("organization")
        .order_by("organization__path", "name_pinyin", "id"),
        PAGE_SIZE,
    )
    members = list(page)
    results = {
        r.member_id: r for r in MemberAssessment.objects.filter(member__in=members, year=year)
    }
    scores = {s.member_id: s for s in SecretaryScore.objects.filter(member__in=members, year=year)}
    parts = components(year)
    rows = [
        {
            "member": m,
            "result": results.get(m.pk),
            "secretary": scores.get(m.pk),
            "cells": [
                (results[m.pk].components.get(code) if m.pk in results else None)
                for code, _, _ in parts
            ],
        }
        for m in members
    ]
    return render(
        request,
        "assessment/members.html",
        {
            "org": org,
            "year": year,
            "rows": rows,
            "page": page,
            "parts": parts,
            "weights": services.weights_for(year),
            "may_score": can(request.user, Perm.ASSESS_SCORE, org),
            "may_publish": can(request.user, Perm.ASSESS_MANAGE, org),
            "form": SecretaryForm(),
        },
    )


@require_POST
@perm_required(Perm.ASSESS_SCORE)
def member_evaluate(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ASSESS_SCORE)
    year = year_param(request)
    rows = services.evaluate_members(org, year, actor=request.user)
    messages.success(request, f"已测评 {len(rows)} 名党员（已发布的结果保持不变）。")
    return redirect(_members_url(org, year))


@require_POST
@perm_required(Perm.ASSESS_MANAGE)
def member_publish(request, pk):
    org = get_org_for_user(request.user, pk, Perm.ASSESS_MANAGE)
    year = year_param(request)
    try:
        count = services.publish_member_results(org, year, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已发布 {count} 名党员的考核结果。")
    return redirect(_members_url(org, year))


@require_POST
@perm_required(Perm.ASSESS_SCORE)
def secretary_score(request, pk):
    member = get_member_for_user(request.user, pk, Perm.ASSESS_SCORE)
    year = year_param(request)
    form = SecretaryForm(request.POST)
    if not form.is_valid():
        messages.error(request, "书记评价应在 0 到 100 分之间。")
    else:
        try:
            services.set_secretary_score(
                member,
                year,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                actor=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已保存{member.name}的书记评价。")
    return redirect(_members_url(member.organization, year))


@perm_required(Perm.ASSESS_VIEW)
def member_history(request, pk):
    member = get_member_for_user(request.user, pk, Perm.ASSESS_VIEW)
    results = MemberAssessment.objects.filter(member=member).order_by("-year")
    return render(request, "assessment/member_history.html", {"member": member, "results": results})


@perm_required(Perm.ASSESS_VIEW)
def weights(request):
    year = year_param(request)
    parts = components(year)
    current = services.weights_for(year)
    may_set = manages_top(request.user)
    if request.method == "POST" and not may_set:
        raise PermissionDenied("党员考核权重由区级党委统一设置。")
    form = WeightsForm(
        request.POST or None,
        components=[(code, label) for code, label, _ in parts],
        initial={code: current.get(code, 0) for code, _, _ in parts},
    )
    if request.method == "POST" and may_set and form.is_valid():
        try:
            services.set_weights(year, form.cleaned_data, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{year}年度党员考核权重已保存。")
            return redirect(f"{reverse('assessment:weights')}?year={year}")
    return render(
        request,
        "assessment/weights.html",
        {
            "year": year,
            "form": form,
            "parts": parts,
            "may_set": may_set,
            "grades": rules.MEMBER_GRADES,
        },
    )
