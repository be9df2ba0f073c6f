"""Daily reminders from the meeting plans (huey periodic task)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .plans import send_reminders


@db_periodic_task(crontab(hour="8", minute="0"))
def raise_meeting_reminders():
    return send_reminders(timezone.localdate())
