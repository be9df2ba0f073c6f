"""Daily escalation of late assignments (huey periodic task)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import escalate_late_assignments


@db_periodic_task(crontab(hour="8", minute="20"))
def escalate_campaign_assignments():
    return escalate_late_assignments()
