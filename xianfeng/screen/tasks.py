from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import record_month_figures


@db_periodic_task(crontab(hour="0", minute="20"))
def record_screen_months():
    """The big screen's trend: this month's member and organization totals per committee."""
    return record_month_figures()
