"""Import jobs: store the upload, run it in the request or on the worker, keep the outcome.

Files above settings.XIANFENG_IMPORT_SYNC_MAX_ROWS data rows go to the huey worker,
queued after the job row commits; smaller ones run before the response. A job runs
twice: checked up to a preview (new / changed / unchanged, or every error), then, once
the clerk confirms, checked again and written all or nothing.
"""

import logging
import uuid
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.core.errors import DomainError

from .columns import SPECS
from .importers import import_members, import_orgs
from .models import ExportJob, ExportKind, ImportJob, ImportMode, JobStatus
from .reader import FileRejected, count_rows, error

logger = logging.getLogger(__name__)
IMPORTERS = {"orgs": import_orgs, "members": import_members}


def register_importer(spec, importer):
    """Another app adds an import kind from its AppConfig.ready() (grid: 住户), so the excel
    app keeps no import of it. `importer(path, *, actor, job, progress, mode, commit,
    versions)` returns an importers.Outcome; the template is written from `spec`."""
    SPECS[spec.kind] = spec
    IMPORTERS[spec.kind] = importer


MAX_STORED_ERRORS = 10000
SYSTEM_ERROR = "导入时发生系统错误，未写入任何数据，请联系管理员"


def _new_job(fileobj, name, kind, *, actor, mode, via_command=False):
    job = ImportJob(
        kind=kind, mode=mode, created_by=actor, original_name=name[:200], via_command=via_command
    )
    job.file.save(f"{uuid.uuid4().hex}.xlsx", fileobj, save=False)
    try:
        job.total_rows = count_rows(job.file.path, SPECS[kind])
    except FileRejected:
        job.total_rows = 0  # the check itself refuses it, in the request and within seconds
    return job


def _start(job):
    """Run the job's next phase now, or queue it for the worker after the commit."""
    with transaction.atomic():
        job.save()
        if job.background:
            from .tasks import run_import

            transaction.on_commit(lambda: run_import(job.pk))
    if not job.background:
        run_import_job(job.pk)
    job.refresh_from_db()
    return job


def create_import_job(uploaded, kind, *, actor, mode=ImportMode.CREATE):
    """Store an uploaded file and check it (now or in the background) up to the preview."""
    job = _new_job(uploaded, uploaded.name, kind, actor=actor, mode=mode)
    job.background = job.total_rows > settings.XIANFENG_IMPORT_SYNC_MAX_ROWS
    return _start(job)


def confirm_import_job(job, *, actor):
    """The clerk accepts the preview: check again and write, all or nothing."""
    with transaction.atomic():
        confirmed = ImportJob.objects.filter(pk=job.pk, status=JobStatus.PREVIEW).update(
            status=JobStatus.CONFIRMED
        )
        if not confirmed:
            raise DomainError("该导入不在待确认状态，不能确认", code="not_preview")
        audit.record("excel.confirm_import", job, actor=actor, mode=job.mode)
    job.refresh_from_db()
    return _start(job)


def import_file(path, kind, *, actor=None, mode=ImportMode.CREATE):
    """Management commands: import a file on disk, synchronously and without a preview."""
    path = Path(path)
    with path.open("rb") as fh:
        job = _new_job(File(fh), path.name, kind, actor=actor, mode=mode, via_command=True)
        job.status = JobStatus.CONFIRMED
        job.save()
    run_import_job(job.pk)
    job.refresh_from_db()
    return job


def _progress(job_id):
    last = [0]

    def report(fraction):
        percent = min(int(fraction * 100), 99)
        if percent > last[0]:
            last[0] = percent
            ImportJob.objects.filter(pk=job_id).update(progress=percent)

    return report


def _finish(job_id, **fields):
    ImportJob.objects.filter(pk=job_id).update(finished_at=timezone.now(), **fields)


def run_import_job(job_id):
    """Run one job's next phase to its end; running it twice does nothing.

    A pending job is checked and stops at the preview (or fails with every error); a
    confirmed one is checked again and written.
    """
    status = ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
    if status not in (JobStatus.PENDING, JobStatus.CONFIRMED):
        return
    started = ImportJob.objects.filter(pk=job_id, status=status).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), progress=0
    )
    if not started:
        return
    commit = status == JobStatus.CONFIRMED
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.created_by is None and not job.via_command:
        _fail(job_id, [error("", 0, "", "", "", "上传人账号已删除")])
        return
    try:
        outcome = IMPORTERS[job.kind](
            job.file.path,
            actor=job.created_by,
            job=job,
            progress=_progress(job_id),
            mode=job.mode,
            commit=commit,
            versions=job.result.get("versions") if commit else None,
        )
    except Exception:
        logger.exception("import job %s failed", job_id)
        _fail(job_id, [error("", 0, "", "", "", SYSTEM_ERROR)])
        return
    if not outcome.ok:
        _fail(
            job_id,
            outcome.errors,
            count=outcome.error_count,
            rows=outcome.rows,
            notes=outcome.notes,
        )
    elif commit:
        result = {
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.plan.unchanged,
            "orgs": len(outcome.orgs),
            "notes": outcome.notes,
        }
        _finish(job_id, status=JobStatus.DONE, progress=100, total_rows=outcome.rows, result=result)
    else:
        preview = outcome.preview()
        nothing = not (preview["new"] or preview["changed"])
        _finish(
            job_id,
            status=JobStatus.DONE if nothing else JobStatus.PREVIEW,
            progress=100,
            total_rows=outcome.rows,
            result=preview | {"created": 0, "updated": 0} if nothing else preview,
        )


def _fail(job_id, errors, *, count=None, rows=0, notes=()):
    _finish(
        job_id,
        status=JobStatus.FAILED,
        progress=100,
        total_rows=rows,
        result={"notes": list(notes)},
        errors=errors[:MAX_STORED_ERRORS],
        error_count=max(count or 0, len(errors)),
    )


def get_job_for_user(user, pk):
    """The job if `user` created it (or is a superuser); 404 for missing and forbidden alike."""
    jobs = ImportJob.objects.select_related("created_by")
    if not user.is_superuser:
        jobs = jobs.filter(created_by_id=user.pk)
    return get_object_or_404(jobs, pk=pk)


def recent_jobs(user, limit=10):
    return ImportJob.objects.filter(created_by_id=user.pk).order_by("-created_at", "-id")[:limit]


# ---------------------------------------------------------------- export jobs
#
# An export of more than settings.XIANFENG_EXPORT_INLINE_ROWS rows runs on the worker: a
# city's roll takes longer to write than a web worker may hold a request. The job keeps the
# filter and the masking the user chose; the worker writes the file as that user (the same
# scoping, the same audit row as an export in the request) and tells them by a notice.


def member_export_filter(user, params):
    """The members `user` may export, filtered by the list's GET `params` (a MemberFilter;
    check `is_valid()`)."""
    from xianfeng.accounts.roles import Perm
    from xianfeng.accounts.scoping import scope_members
    from xianfeng.members.filters import MemberFilter

    members = scope_members(user, Perm.MEMBER_VIEW, qs=scope_members(user, Perm.DATA_EXPORT))
    # The filter reads only the request's user (for the search's own rules).
    return MemberFilter(params, queryset=members, request=SimpleNamespace(user=user))


FULL_NUMBER_LENGTH = 11  # a mobile number; an ID number is longer


def searches_a_full_number(params) -> bool:
    """A search by a whole 身份证号 or phone: such an export stays in the request, so the
    number is never stored with a job (and it matches a few rows anyway)."""
    return len(params.get("q", "")) >= FULL_NUMBER_LENGTH


def request_member_export(params: dict, *, actor, masked: bool, reason: str) -> ExportJob:
    """Queue the export of the members `params` selects; the worker runs it after commit."""
    from .exporters import export_reason

    if searches_a_full_number(params):
        raise DomainError("按完整身份证号或手机号筛选的导出不能在后台生成")
    export_reason(masked, reason, actor)  # refuses an unmasked export without a reason now
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=ExportKind.MEMBERS,
            params=params,
            masked=masked,
            reason=reason,
            created_by=actor,
        )
        audit.record(
            "excel.export_requested",
            job,
            actor=actor,
            masked=masked,
            params=audited_export_filters(params),
        )
        transaction.on_commit(lambda: _enqueue_export(job.pk))
    return job


def _enqueue_export(pk):
    from .tasks import run_export

    run_export(pk)


def run_export_job(pk: int) -> ExportJob:
    """Write the file of a queued export (the worker's side); a job runs once."""
    from xianfeng.notices.models import NoticeKind
    from xianfeng.notices.services import notify

    from .exporters import export_members

    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("created_by").get(pk=pk)
        if job.status != JobStatus.PENDING:
            return job
        job.status = JobStatus.RUNNING
        job.save(update_fields=["status"])
    user = job.created_by
    filterset = member_export_filter(user, job.params)
    try:
        if not filterset.is_valid():
            raise DomainError("筛选条件无效")
        out, count = export_members(
            filterset.qs,
            actor=user,
            filters=audited_export_filters(job.params),
            masked=job.masked,
            reason=job.reason,
        )
    except DomainError as exc:
        return _fail_export(job, exc.message)
    except Exception:
        logger.exception("export job %s failed", pk)
        return _fail_export(job, "导出时发生系统错误，请稍后重试或联系管理员")
    now = timezone.now()
    with out:  # stored under a random name, as imports are; the download names it
        job.file.save(f"{uuid.uuid4().hex}.xlsx", File(out), save=False)
    job.status = JobStatus.DONE
    job.row_count = count
    job.finished_at = now
    job.expires_at = now + timedelta(hours=settings.XIANFENG_EXPORT_KEEP_HOURS)
    job.save(update_fields=["file", "status", "row_count", "finished_at", "expires_at"])
    notify(
        [user.pk],
        kind=NoticeKind.EXPORT,
        title=f"{job.get_kind_display()}已导出（{count} 行）",
        body=f"请在 {timezone.localtime(job.expires_at):%m-%d %H:%M} 前下载，之后文件将删除。",
        link=reverse("excel:export_job", args=[job.pk]),
        key=f"export:{job.pk}",
    )
    return job


def audited_export_filters(params):
    """The list filter as the audit row keeps it: a searched full number is masked."""
    from xianfeng.members.masking import mask_id_number, mask_phone

    filters = {k: v for k, v in params.items() if v and k != "reason"}
    if searches_a_full_number(filters):
        query = filters["q"]
        filters["q"] = mask_id_number(query) if len(query) >= 15 else mask_phone(query)
    return filters


def _fail_export(job, message):
    job.status = JobStatus.FAILED
    job.error = message[:300]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def get_export_for_user(user, pk) -> ExportJob:
    """The export if `user` asked for it; 404 for missing and anyone else's alike (the file
    may hold full ID numbers: not even a superuser downloads another person's export)."""
    return get_object_or_404(ExportJob.objects.filter(created_by_id=user.pk), pk=pk)


def export_file_available(job) -> bool:
    return job.status == JobStatus.DONE and bool(job.file) and job.expires_at > timezone.now()


def delete_expired_exports(now=None) -> int:
    """Delete the files of exports past their time (the rows stay, as the record)."""
    now = now or timezone.now()
    done = 0
    for job in ExportJob.objects.filter(expires_at__lte=now).exclude(file=""):
        job.file.delete(save=False)
        job.file = ""
        job.save(update_fields=["file"])
        done += 1
    return done


def recent_exports(user, limit=10):
    return ExportJob.objects.filter(created_by_id=user.pk).order_by("-created_at", "-id")[:limit]
