"""Background work for imports (huey: SQLite storage by default, Redis when REDIS_URL is set)."""

from huey.contrib.djhuey import db_task

from .services import run_import_job


@db_task()
def run_import(job_id):
    run_import_job(job_id)
