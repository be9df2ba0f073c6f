"""后备干部 pages: the pool per subtree, one entry's training and evaluations, forms, xlsx."""

from django.contrib import messages
from django.db.models import Prefetch, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can, get_org_for_user, scope_members, scope_orgs
from xianfeng.core import sheets
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of

from . import services
from .export import cadres_workbook
from .forms import CadreForm, EvaluationForm, StatusForm, TrainingForm
from .models import CadreStatus, Evaluation, ReserveCadre


def scoped_cadres(user, perm=Perm.MEMBER_VIEW):
    orgs = scope_orgs(user, perm)
    return ReserveCadre.objects.filter(organization__in=orgs).select_related(
        "member__organization", "organization"
    )


def get_cadre_for_user(user, pk, perm=Perm.MEMBER_VIEW):
    try:
        return scoped_cadres(user, perm).get(pk=pk)
    except (ValueError, TypeError, ReserveCadre.DoesNotExist) as exc:
        raise Http404("后备干部不存在或无权查看") from exc


def _filtered(request):
    cadres = scoped_cadres(request.user)
    org = None
    if request.GET.get("org"):
        org = get_org_for_user(request.user, request.GET["org"], Perm.MEMBER_VIEW)
        cadres = cadres.filter(organization__path__startswith=org.path)
    status = request.GET.get("status", CadreStatus.ACTIVE)
    if status in CadreStatus.values:
        cadres = cadres.filter(status=status)
    latest = Prefetch("evaluations", queryset=Evaluation.objects.order_by("-year"))
    cadres = cadres.annotate(training_hours=Sum("trainings__hours")).prefetch_related(latest)
    return org, status, cadres.order_by("organization__path", "-entered_on", "pk")


def _with_latest(cadres):
    for cadre in cadres:
        evaluations = list(cadre.evaluations.all())
        cadre.latest_evaluation = evaluations[0] if evaluations else None
        yield cadre


@perm_required(Perm.MEMBER_VIEW)
def cadre_list(request):
    org, status, cadres = _filtered(request)
    page = page_of(request, cadres)
    context = {
        "org": org,
        "status": status,
        "statuses": CadreStatus.choices,
        "cadres": list(_with_latest(page)),
        "page": page,
    }
    return render(request, "cadres/list.html", context)


@perm_required(Perm.DATA_EXPORT)
def cadre_export(request):
    _org, _status, cadres = _filtered(request)
    rows = _with_latest(cadres.iterator(chunk_size=sheets.chunk_size()))
    book, _rows = cadres_workbook(rows, actor=request.user)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return sheets.download(book, f"reserve-cadres-{stamp}.xlsx")


@perm_required(Perm.CADRE_MANAGE)
def cadre_add(request):
    form = CadreForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        members = scope_members(request.user, Perm.CADRE_MANAGE).select_related("organization")
        member = members.filter(id_number=data.pop("id_number").strip().upper()).first()
        if member is None:
            form.add_error("id_number", "未找到该身份证号的党员(或不在您的管辖范围内)")
        else:
            try:
                cadre = services.add_reserve_cadre(
                    data.pop("organization"), member, actor=request.user, **data
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "已列入后备干部库")
                return redirect("cadres:detail", cadre.pk)
    return render(request, "cadres/form.html", {"form": form})


@perm_required(Perm.MEMBER_VIEW)
def cadre_detail(request, pk):
    cadre = get_cadre_for_user(request.user, pk)
    return render(request, "cadres/detail.html", _detail_context(request, cadre))


def _detail_context(request, cadre, **forms):
    return {
        "cadre": cadre,
        "trainings": cadre.trainings.all(),
        "evaluations": cadre.evaluations.all(),
        "may_manage": can(request.user, Perm.CADRE_MANAGE, cadre.organization),
        "training_form": forms.get("training_form") or TrainingForm(),
        "evaluation_form": forms.get("evaluation_form")
        or EvaluationForm(initial={"year": timezone.localdate().year}),
        "status_form": forms.get("status_form") or StatusForm(initial={"on": timezone.localdate()}),
    }


def _cadre_write(form_class, form_name, call, done):
    """POST-only: validate → scoped lookup → service → back to the entry (errors shown there)."""

    @require_POST
    @perm_required(Perm.CADRE_MANAGE)
    def view(request, pk):
        cadre = get_cadre_for_user(request.user, pk, Perm.CADRE_MANAGE)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                call(cadre, form.cleaned_data, request.user)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, done)
                return redirect("cadres:detail", cadre.pk)
        context = _detail_context(request, cadre, **{form_name: form})
        return render(request, "cadres/detail.html", context, status=400)

    return view


cadre_training = _cadre_write(
    TrainingForm,
    "training_form",
    lambda cadre, data, actor: services.record_training(cadre, actor=actor, **data),
    "已记录培训",
)
cadre_evaluation = _cadre_write(
    EvaluationForm,
    "evaluation_form",
    lambda cadre, data, actor: services.record_evaluation(cadre, actor=actor, **data),
    "已记录年度评价",
)
cadre_status = _cadre_write(
    StatusForm,
    "status_form",
    lambda cadre, data, actor: services.set_cadre_status(
        cadre, data["status"], on=data["on"], note=data["note"], actor=actor
    ),
    "已变更状态",
)
