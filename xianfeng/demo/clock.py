"""The demo's simulated clock: past events are replayed through the services at their moment.

Services read `django.utils.timezone.now()` / `localdate()`; inside `at(moment)` both answer
`moment`, so a request accepted "at 08:45 on 2020-02-19" gets its deadlines, timeline and audit
rows from that moment. Demo only (single-threaded `load_demo`); never used while serving.
"""

from contextlib import contextmanager

from django.utils import timezone


@contextmanager
def at(moment):
    real_now, real_localdate = timezone.now, timezone.localdate

    def localdate(value=None, timezone=None):
        return real_localdate(moment if value is None else value, timezone)

    timezone.now, timezone.localdate = (lambda: moment), localdate
    try:
        yield
    finally:
        timezone.now, timezone.localdate = real_now, real_localdate
