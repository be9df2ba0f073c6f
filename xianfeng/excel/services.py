"""Import jobs: store the upload, run it in the request or on the worker, keep the outcome.

Files above settings.XIANFENG_IMPORT_SYNC_MAX_ROWS data rows go to the huey worker,
queued after the job row commits; smaller ones run before the response.
"""

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .columns import SPECS
from .importers import import_members, import_orgs
from .models import ImportJob, JobStatus
from .reader import FileRejected, count_rows, error

logger = logging.getLogger(__name__)
IMPORTERS = {"orgs": import_orgs, "members": import_members}
MAX_STORED_ERRORS = 10000
SYSTEM_ERROR = "导入时发生系统错误，未写入任何数据，请联系管理员"


def _new_job(fileobj, name, kind, *, actor, via_command=False):
    job = ImportJob(kind=kind, created_by=actor, original_name=name[:200], via_command=via_command)
    job.file.save(f"{uuid.uuid4().hex}.xlsx", fileobj, save=False)
    try:
        job.total_rows = count_rows(job.file.path, SPECS[kind])
    except FileRejected:
        job.total_rows = 0
    return job


def create_import_job(uploaded, kind, *, actor):
    """Store an uploaded file and import it now or in the background; returns the job."""
    job = _new_job(uploaded, uploaded.name, kind, actor=actor)
    job.background = job.total_rows > settings.XIANFENG_IMPORT_SYNC_MAX_ROWS
    with transaction.atomic():
        job.save()
        if job.background:
            from .tasks import run_import

            transaction.on_commit(lambda: run_import(job.pk))
    if not job.background:
        run_import_job(job.pk)
    job.refresh_from_db()
    return job


def import_file(path, kind, *, actor=None):
    """Management commands: import a file on disk, synchronously; returns the finished job."""
    path = Path(path)
    with path.open("rb") as fh:
        job = _new_job(File(fh), path.name, kind, actor=actor, via_command=True)
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
    """Run one pending job to its end (done or failed); running it twice does nothing."""
    started = ImportJob.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not started:
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.created_by is None and not job.via_command:
        _finish(
            job_id,
            status=JobStatus.FAILED,
            errors=[error("", 0, "", "", "", "上传人账号已删除")],
            error_count=1,
        )
        return
    try:
        outcome = IMPORTERS[job.kind](
            job.file.path, actor=job.created_by, job=job, progress=_progress(job_id)
        )
    except Exception:
        logger.exception("import job %s failed", job_id)
        _finish(
            job_id,
            status=JobStatus.FAILED,
            errors=[error("", 0, "", "", "", SYSTEM_ERROR)],
            error_count=1,
        )
        return
    if outcome.ok:
        _finish(
            job_id,
            status=JobStatus.DONE,
            progress=100,
            total_rows=outcome.rows,
            result={"created": outcome.created, "orgs": len(outcome.orgs), "notes": outcome.notes},
        )
    else:
        _finish(
            job_id,
            status=JobStatus.FAILED,
            progress=100,
            total_rows=outcome.rows,
            result={"notes": outcome.notes},
            errors=outcome.errors[:MAX_STORED_ERRORS],
            error_count=max(outcome.error_count, len(outcome.errors)),
        )


def get_job_for_user(user, pk):
    """The job if `user` created it (or is a superuser); 404 for missing and forbidden alike."""
    jobs = ImportJob.objects.select_related("created_by")
    if not user.is_superuser:
        jobs = jobs.filter(created_by_id=user.pk)
    return get_object_or_404(jobs, pk=pk)


def recent_jobs(user, limit=10):
    return ImportJob.objects.filter(created_by_id=user.pk).order_by("-created_at", "-id")[:limit]
