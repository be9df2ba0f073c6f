"""The dues rollup's new month: counted and the watermark moved on the 1st (Beijing time)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .rollups import refresh_all


@db_periodic_task(crontab(day="1", hour="0", minute="10"))
def count_dues_month():
    """Re-count every organization's dues rows through the new month (rollups.refresh_all)."""
    return refresh_all()
