"""Periodic jobs of points: the monthly close of TOP10s and the sweep of the bookings outbox."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .rankings import close_last_month
from .receivers import book_leftovers


@db_periodic_task(crontab(day="1", hour="1", minute="30"))
def close_points_month():
    """月度结账: last month's TOP10 of every street closes on the 1st."""
    return close_last_month()


@db_periodic_task(crontab(minute="*/5"))
def book_pending_points():
    """The sweep of the bookings outbox: what a crash or a database error left behind."""
    return book_leftovers()
