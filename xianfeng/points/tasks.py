from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .receivers import book_leftovers


@db_periodic_task(crontab(minute="*/5"))
def book_pending_points():
    """The sweep of the bookings outbox: what a crash or a database error left behind."""
    return book_leftovers()
