from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import get_org_for_user, scope_members, scope_orgs
from xianfeng.core import sheets
from xianfeng.core.errors import DomainError
from xianfeng.members.filters import MemberFilter
from xianfeng.members.masking import mask_id_number, mask_phone

from .columns import SPECS
from .exporters import export_members, export_orgs
from .forms import ImportForm, UnmaskedExportForm
from .models import ImportKind, ImportMode
from .services import confirm_import_job, create_import_job, get_job_for_user, recent_jobs
from .workbook import write_book


def _spec(kind):
    if kind not in SPECS:
        raise Http404("没有这种导入类型")
    return SPECS[kind]


def _xlsx(out, title):
    return sheets.download(out, f"{title}-{timezone.localdate():%Y%m%d}.xlsx")


@perm_required(Perm.DATA_IMPORT)
def home(request):
    context = {
        "kinds": ImportKind.choices,
        "modes": ImportMode.choices,
        "form": ImportForm(),
        "jobs": recent_jobs(request.user),
    }
    return render(request, "excel/home.html", context)


@perm_required(Perm.DATA_IMPORT)
def template(request, kind):
    spec = _spec(kind)
    out, _count = write_book(spec, [])
    return _xlsx(out, spec.title)


@require_POST
@perm_required(Perm.DATA_IMPORT)
def upload(request, kind):
    _spec(kind)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("excel:home")
    job = create_import_job(
        form.cleaned_data["file"], kind, actor=request.user, mode=form.cleaned_data["mode"]
    )
    return redirect("excel:job", job.pk)


@require_POST
@perm_required(Perm.DATA_IMPORT)
def confirm(request, pk):
    job = get_job_for_user(request.user, pk)
    try:
        confirm_import_job(job, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("excel:job", job.pk)


@perm_required(Perm.DATA_IMPORT)
def job(request, pk):
    return render(request, "excel/job.html", {"job": get_job_for_user(request.user, pk)})


@perm_required(Perm.DATA_IMPORT)
def job_status(request, pk):
    return render(request, "excel/_job_status.html", {"job": get_job_for_user(request.user, pk)})


@perm_required(Perm.DATA_EXPORT)
def export_members_view(request):
    user = request.user
    members = scope_members(user, Perm.MEMBER_VIEW, qs=scope_members(user, Perm.DATA_EXPORT))
    filterset = MemberFilter(request.GET, queryset=members, request=request)
    if not filterset.is_valid():
        return HttpResponseBadRequest("筛选条件无效".encode())
    filters = {k: v for k, v in request.GET.items() if v and k != "reason"}
    if len(filters.get("q", "")) >= 11:  # a searched full number is not copied into the audit log
        filters["q"] = (
            mask_id_number(filters["q"]) if len(filters["q"]) >= 15 else mask_phone(filters["q"])
        )
    form = UnmaskedExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.first_error().encode())
    try:
        out, _count = export_members(
            filterset.qs,
            actor=user,
            filters=filters,
            masked=form.masked,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        return HttpResponseBadRequest(exc.message.encode())
    return _xlsx(out, "党员名册")


@perm_required(Perm.DATA_EXPORT)
def export_orgs_view(request):
    orgs = scope_orgs(request.user, Perm.DATA_EXPORT)
    if request.GET.get("org"):
        root = get_org_for_user(request.user, request.GET["org"], Perm.DATA_EXPORT)
        orgs = orgs.subtree_of(root)
    out, _count = export_orgs(orgs, actor=request.user, filters=dict(request.GET.items()))
    return _xlsx(out, "党组织名册")
