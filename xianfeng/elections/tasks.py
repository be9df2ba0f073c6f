from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import remind_expiring_terms


@db_periodic_task(crontab(hour="8", minute="10"))
def remind_terms():
    return remind_expiring_terms(timezone.localdate())
