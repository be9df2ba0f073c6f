from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import get_org_for_user, scope_orgs
from xianfeng.core import sheets
from xianfeng.core.errors import DomainError

from .columns import SPECS
from .exporters import export_members, export_orgs
from .forms import ImportForm, UnmaskedExportForm
from .models import ImportKind, ImportMode
from .services import (
    audited_export_filters,
    confirm_import_job,
    create_import_job,
    export_file_available,
    get_export_for_user,
    get_job_for_user,
    member_export_filter,
    recent_exports,
    recent_jobs,
    request_member_export,
    searches_a_full_number,
)
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
        "exports": recent_exports(request.user),
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
    filterset = member_export_filter(user, request.GET)
    if not filterset.is_valid():
        return HttpResponseBadRequest("筛选条件无效".encode())
    form = UnmaskedExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.first_error().encode())
    params = {k: v for k, v in request.GET.items() if v and k != "reason"}
    reason = form.cleaned_data["reason"]
    try:
        large = filterset.qs.count() > settings.XIANFENG_EXPORT_INLINE_ROWS
        if large and not searches_a_full_number(params):
            job = request_member_export(params, actor=user, masked=form.masked, reason=reason)
            return redirect("excel:export_job", job.pk)
        out, _count = export_members(
            filterset.qs,
            actor=user,
            filters=audited_export_filters(params),
            masked=form.masked,
            reason=reason,
        )
    except DomainError as exc:
        return HttpResponseBadRequest(exc.message.encode())
    return _xlsx(out, "党员名册")


@perm_required(Perm.DATA_EXPORT)
def export_job(request, pk):
    job = get_export_for_user(request.user, pk)
    context = {"job": job, "available": export_file_available(job)}
    template = "excel/_export_status.html" if request.htmx else "excel/export_job.html"
    return render(request, template, context)


@perm_required(Perm.DATA_EXPORT)
def export_download(request, pk):
    job = get_export_for_user(request.user, pk)
    if not export_file_available(job):
        raise Http404("文件不存在或已过期，请重新导出")
    handle = job.file.open("rb")
    stamp = timezone.localtime(job.finished_at)
    return sheets.download(handle, f"{job.get_kind_display()}-{stamp:%Y%m%d}.xlsx")


@perm_required(Perm.DATA_EXPORT)
def export_orgs_view(request):
    orgs = scope_orgs(request.user, Perm.DATA_EXPORT)
    if request.GET.get("org"):
        root = get_org_for_user(request.user, request.GET["org"], Perm.DATA_EXPORT)
        orgs = orgs.subtree_of(root)
    out, _count = export_orgs(orgs, actor=request.user, filters=dict(request.GET.items()))
    return _xlsx(out, "党组织名册")
