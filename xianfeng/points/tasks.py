"""月度结账: last month's TOP10 of every street closes on the 1st (huey periodic task)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .rankings import close_last_month


@db_periodic_task(crontab(day="1", hour="1", minute="30"))
def close_points_month():
    return close_last_month()
