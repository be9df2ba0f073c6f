"""党费 pages: a branch's monthly sheet, bulk marking, yearly ledger (A4 / xlsx), member history."""

from datetime import date

from django.contrib import messages
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
    scope_members,
    scope_orgs,
)
from xianfeng.core import sheets
from xianfeng.core.choices import choice_labels
from xianfeng.core.dates import year_param
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.members.models import Member
from xianfeng.members.views import member_view_required
from xianfeng.orgs.models import OrgKind

from . import rollups, services
from .forms import BasisForm, BulkForm, ExemptionForm, PaymentForm, VoluntaryForm
from .ledger import build_ledger, ledger_workbook
from .models import DuesPayment


def _month_param(request):
    try:
        return date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        return services.month_start(timezone.localdate())


def _year_param(request):
    return year_param(request.GET.get("year"))


def _org_members(user, org, *, lazy=False):
    """The branch's active members in ledger order; `lazy`: the queryset (read in chunks)."""
    members = scope_members(user).filter(organization=org).active().order_by("name_pinyin", "id")
    members = members.defer("id_number", "phone")  # not shown: no decryption a row
    return members if lazy else list(members)


def _refusal(request, exc):
    messages.error(request, exc.message)


@perm_required(Perm.MEMBER_VIEW)
def dues_home(request):
    """The branches to open, and the collection of the whole scope for the last three months
    with each listed branch's last month, read from the rollup rows (dues.rollups)."""
    orgs = scope_orgs(request.user, Perm.MEMBER_VIEW).active().filter(kind=OrgKind.BRANCH)
    page = page_of(request, orgs.order_by("path"))
    this = services.month_start(timezone.localdate())
    last = rollups.prev_month(this)
    months = [this, last, rollups.prev_month(last)]
    sums = rollups.month_sums(granted_paths(request.user, Perm.MEMBER_VIEW), months)
    figures = [{"month": m, **sums[m], **_rates(sums[m])} for m in months]
    per_branch = rollups.subtree_month([o.pk for o in page], last)
    for org in page:
        org.dues_last = {**per_branch[org.pk], **_rates(per_branch[org.pk])}
    return render(
        request,
        "dues/home.html",
        {"orgs": page, "page": page, "figures": figures, "last_month": last},
    )


def _rates(sums):
    liable = sums["liable"]
    return {
        "unpaid": liable - sums["paid"],
        "rate": round(100 * sums["paid"] / liable, 1) if liable else None,
    }


@perm_required(Perm.MEMBER_VIEW)
def dues_sheet(request, pk):
    org = get_org_for_user(request.user, pk, Perm.MEMBER_VIEW)
    month = _month_param(request)
    members = _org_members(request.user, org)
    ids = [m.pk for m in members]
    bases = services.bases_by_member(ids)
    exemptions = services.exemptions_by_member(ids)
    payments = {p.member_id: p for p in DuesPayment.objects.filter(member_id__in=ids, month=month)}
    arrears = {a.member.pk: a for a in services.branch_arrears(org, timezone.localdate(), members)}
    categories = choice_labels(Member, "category")
    rows = [
        {
            "member": m,
            "category": categories.get(m.category, m.category),
            "due": services.due_in(m, bases[m.pk], month, exemptions[m.pk]),
            "payment": payments.get(m.pk),
            "arrears": arrears[m.pk],
        }
        for m in members
    ]
    return render(
        request,
        "dues/sheet.html",
        {
            "org": org,
            "month": month,
            "rows": rows,
            "can_change": can(request.user, Perm.MEMBER_CHANGE, org),
            "today": timezone.localdate(),
            # one reverse a page: a row's link is this plus its pk
            "member_url": reverse("dues:member", args=[0]).removesuffix("0/"),
        },
    )


@require_POST
@perm_required(Perm.MEMBER_CHANGE)
def dues_bulk(request, pk):
    org = get_org_for_user(request.user, pk, Perm.MEMBER_CHANGE)
    ids = [m.pk for m in _org_members(request.user, org)]
    form = BulkForm(request.POST, member_ids=ids)
    if not form.is_valid():
        messages.error(request, "请选择月份、交纳日期和党员。")
        return redirect("dues:sheet", pk=org.pk)
    month = form.cleaned_data["month"]
    try:
        payments = services.record_bulk_payments(
            org,
            month,
            form.cleaned_data["members"],
            paid_on=form.cleaned_data["paid_on"],
            actor=request.user,
        )
    except DomainError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, f"已登记 {len(payments)} 名党员的党费。")
    return redirect(f"{reverse('dues:sheet', args=[org.pk])}?month={month:%Y-%m}")


@perm_required(Perm.MEMBER_VIEW)
def dues_ledger(request, pk):
    org = get_org_for_user(request.user, pk, Perm.MEMBER_VIEW)
    ledger = build_ledger(_org_members(request.user, org), _year_param(request))
    return render(request, "dues/ledger.html", {"org": org, "ledger": ledger})


@perm_required(Perm.MEMBER_VIEW)
def dues_ledger_xlsx(request, pk):
    org = get_org_for_user(request.user, pk, Perm.MEMBER_VIEW)
    year = _year_param(request)
    members = _org_members(request.user, org, lazy=True)
    return sheets.download(ledger_workbook(org, members, year), f"dues-{org.code}-{year}.xlsx")


@member_view_required
def member_dues(request, pk):
    member = get_member_for_user(request.user, pk, Perm.MEMBER_VIEW)
    today = timezone.localdate()
    month = services.month_start(today)
    return render(
        request,
        "dues/member.html",
        {
            "member": member,
            "bases": services.bases_of(member),
            "payments": member.dues_payments.select_related("recorded_by").order_by("-month"),
            "voluntary": member.voluntary_payments.all(),
            "arrears": services.MemberArrears(member, services.arrears(member, today)),
            "due_now": services.dues_for(member, month),
            "can_change": can_for_member(request.user, Perm.MEMBER_CHANGE, member),
            "basis_form": BasisForm(initial={"from_month": month}),
            "pay_form": PaymentForm(initial={"month": month, "paid_on": today}),
            "voluntary_form": VoluntaryForm(initial={"paid_on": today}),
            "exemptions": services.exemptions_of(member),
            "exemption_form": ExemptionForm(initial={"from_month": month, "until_month": month}),
        },
    )


def _member_write(form_class, call, done):
    """A POST-only view on one member: validate → scoped lookup → service → back to history."""

    @require_POST
    @perm_required(Perm.MEMBER_CHANGE)
    def view(request, pk):
        member = get_member_for_user(request.user, pk, Perm.MEMBER_CHANGE)
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        else:
            try:
                call(member, form.cleaned_data, request.user)
            except DomainError as exc:
                _refusal(request, exc)
            else:
                messages.success(request, done)
        return redirect("dues:member", pk=member.pk)

    return view


member_basis = _member_write(
    BasisForm,
    lambda member, data, actor: services.set_dues_basis(
        member,
        category=data["category"],
        income=data["income"],
        from_month=data["from_month"],
        chosen_amount=data["chosen_amount"],
        actor=actor,
    ),
    "交纳基数已保存。",
)
member_pay = _member_write(
    PaymentForm,
    lambda member, data, actor: services.record_payment(
        member,
        data["month"],
        amount=data["amount"],
        paid_on=data["paid_on"],
        method=data["method"],
        actor=actor,
    ),
    "党费交纳已登记。",
)
member_voluntary = _member_write(
    VoluntaryForm,
    lambda member, data, actor: services.record_voluntary_payment(
        member,
        amount=data["amount"],
        paid_on=data["paid_on"],
        note=data["note"],
        actor=actor,
    ),
    "自愿多交党费已登记。",
)
member_exemption = _member_write(
    ExemptionForm,
    lambda member, data, actor: services.grant_dues_exemption(
        member,
        kind=data["kind"],
        monthly_amount=data["monthly_amount"],
        from_month=data["from_month"],
        until_month=data["until_month"],
        reason=data["reason"],
        approved_by=data["approved_by"],
        approved_on=data["approved_on"],
        actor=actor,
    ),
    "少交或免交已登记。",
)
