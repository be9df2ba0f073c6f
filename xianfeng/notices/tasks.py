from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .outbox import deliver, sweep


@db_task()
def deliver_task(pk):
    """Send one delivery moments after its event commits (retries are the sweep's)."""
    deliver(pk)


@db_periodic_task(crontab(minute="*"))
def sweep_deliveries():
    return sweep()
