from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .escalation import escalate_due


@db_periodic_task(crontab(minute="*/5"))
def escalate_overdue_requests():
    return escalate_due()
