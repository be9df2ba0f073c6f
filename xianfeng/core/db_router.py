"""Read replicas (issue 19 §5): reads that tolerate a second of lag go to a streaming replica.

`DATABASE_REPLICA_URLS` (comma-separated) adds the aliases `replica1`, `replica2`, … and this
router. Without it nothing changes: every query goes to `default`, the primary.

What stays on the primary:
- every write, and every read in the rest of the same request after a write;
- every read inside a transaction (`atomic`): a service reads what it is about to change;
- every read for a session that wrote in the last REPLICA_PIN_SECONDS (a POST, then the
  redirect's GET shows the row it just saved): ReplicaMiddleware keeps the time in the
  session;
- every request that is not GET/HEAD/OPTIONS, sessions and auth (a login must be seen at once);
- any code inside `with primary():` (a job that must see its own writes).
Everything else (lists, figures, exports, the big screen, the API's GETs) reads a replica
picked at random per request.
"""

import random
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

PRIMARY = "default"
# Apps whose rows are read right after they are written by another request.
PRIMARY_APPS = frozenset({"sessions", "auth", "authtoken", "accounts", "contenttypes", "admin"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_KEY = "_db_primary_until"

_pinned: ContextVar[bool] = ContextVar("xianfeng_db_pinned", default=False)
_wrote: ContextVar[bool] = ContextVar("xianfeng_db_wrote", default=False)
_replica: ContextVar[str | None] = ContextVar("xianfeng_db_replica", default=None)


def replica_aliases():
    return sorted(alias for alias in settings.DATABASES if alias.startswith("replica"))


def pin_primary():
    """Send every further read of this request (or task) to the primary."""
    _pinned.set(True)


@contextmanager
def primary():
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


class ReplicaRouter:
    def __init__(self, replicas=None):
        self.replicas = list(replica_aliases() if replicas is None else replicas)

    def db_for_read(self, model, **hints):
        if not self.replicas or _pinned.get() or _wrote.get():
            return PRIMARY
        if model._meta.app_label in PRIMARY_APPS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        alias = _replica.get()
        if alias is None:
            alias = random.choice(self.replicas)
            _replica.set(alias)
        return alias

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY


class ReplicaMiddleware:
    """Per request: start unpinned on a fresh replica choice; pin unsafe methods and sessions
    that wrote lately to the primary; remember a write in the session for the next requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tokens = (_pinned.set(False), _wrote.set(False), _replica.set(None))
        try:
            session = getattr(request, "session", None)
            until = session.get(SESSION_KEY, 0) if session is not None else 0
            if request.method not in SAFE_METHODS or until > time.time():
                _pinned.set(True)
            response = self.get_response(request)
            if _wrote.get() and session is not None:
                seconds = getattr(settings, "REPLICA_PIN_SECONDS", 5)
                session[SESSION_KEY] = time.time() + seconds
            return response
        finally:
            for var, token in zip((_pinned, _wrote, _replica), tokens, strict=True):
                var.reset(token)
