from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*/15"))
def sweep_no_shows_task():
    """Bookings whose time passed without a check-in become 爽约."""
    return services.sweep_no_shows()
