"""Background work for imports and large exports (huey: SQLite storage by default, Redis when
REDIS_URL is set)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import delete_expired_exports, run_export_job, run_import_job


@db_task()
def run_import(job_id):
    run_import_job(job_id)


@db_task()
def run_export(job_id):
    run_export_job(job_id)


@db_periodic_task(crontab(minute="17"))
def delete_expired_export_files():
    return delete_expired_exports()
