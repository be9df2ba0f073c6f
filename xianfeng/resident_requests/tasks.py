from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .deadlines import recount_open_deadlines
from .escalation import escalate_due
from .models import ResidentRequest
from .rollups import prune_now
from .services import route_request


@db_task(retries=3, retry_delay=10)
def route_received_request(pk):
    """Place a request from the public page on its chain, moments after the resident submits."""
    route_request(ResidentRequest(pk=pk))


@db_periodic_task(crontab(minute="*/5"))
def escalate_overdue_requests():
    return escalate_due()


@db_periodic_task(crontab(hour="0", minute="20"))
def prune_request_now():
    """The "now" rollup's rows whose deadline day has gone by with nothing left in it."""
    return prune_now()


@db_task(retries=3, retry_delay=30)
def recount_deadlines(years=()):
    """The working calendar changed (`years`): re-count open deadlines, batched."""
    return recount_open_deadlines()


def on_calendar_changed(sender, years=(), **kwargs):
    recount_deadlines(list(years))
