from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .breakdowns import refresh_all


@db_periodic_task(crontab(hour="0", minute="5"))
def recount_org_breakdowns():
    """A new day: the org charts' age and party-age bands re-counted, the watermark moved."""
    return refresh_all()
