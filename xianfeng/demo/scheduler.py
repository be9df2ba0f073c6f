"""The periodic jobs for the demo, in-process: no Redis, no second terminal, only Python.

`serve_demo` starts `run_forever` in a daemon thread beside runserver, so escalations,
meeting reminders, letter expiry and month closing happen while someone clicks around.
Production runs the huey consumer instead (docs/operations.md §4).
"""

import logging
import time

from django.db import close_old_connections
from django.utils.module_loading import autodiscover_modules

log = logging.getLogger(__name__)


def run_due(huey, timestamp=None) -> list[str]:
    """Run every periodic task whose schedule matches `timestamp` (this minute); → their names."""
    autodiscover_modules("tasks")  # what the huey consumer imports at start-up
    ran = []
    for task in huey.read_periodic(timestamp):
        try:
            huey.execute(task, timestamp)
        except Exception:  # a failing job must not stop the others or the demo
            log.exception("demo scheduler: %s failed", task.name)
        ran.append(task.name)
    close_old_connections()
    return ran


def run_forever(huey, sleep=time.sleep):
    while True:
        ran = run_due(huey)
        if ran:
            log.warning("demo scheduler ran: %s", ", ".join(ran))
        sleep(60 - time.gmtime().tm_sec)
