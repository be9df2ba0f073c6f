"""The replica router (issue 19 §5): lag-tolerant reads go to a replica; writes, reads after a
write in the same request or session, transactions and sessions/auth stay on the primary."""

import time

from django.http import HttpResponse
from django.test import RequestFactory

from xianfeng.accounts.models import User
from xianfeng.core import db_router
from xianfeng.core.db_router import ReplicaMiddleware, ReplicaRouter
from xianfeng.members.models import Member
from xianfeng.orgs.models import Organization

router = ReplicaRouter(replicas=["replica1", "replica2"])


def through_middleware(method="get", session=None, view=None):
    """Run `view(request)` inside ReplicaMiddleware; returns (what the view saw, session)."""
    request = getattr(RequestFactory(), method)("/x/")
    request.session = {} if session is None else session
    seen = {}

    def get_response(req):
        seen.update(view(req) if view else {})
        return HttpResponse()

    ReplicaMiddleware(get_response)(request)
    return seen, request.session


def test_without_replicas_everything_reads_the_primary():
    assert ReplicaRouter(replicas=[]).db_for_read(Member) == "default"


def test_a_get_reads_one_replica_for_the_whole_request():
    seen, session = through_middleware(
        view=lambda r: {"reads": {router.db_for_read(Member) for _ in range(20)}}
    )
    assert len(seen["reads"]) == 1 and seen["reads"] <= {"replica1", "replica2"}
    assert db_router.SESSION_KEY not in session


def test_reads_after_a_write_in_the_same_request_stay_on_the_primary():
    def view(request):
        before = router.db_for_read(Organization)
        assert router.db_for_write(Organization) == "default"
        return {"before": before, "after": router.db_for_read(Member)}

    seen, session = through_middleware(view=view)
    assert seen["before"].startswith("replica")
    assert seen["after"] == "default"
    # …and the same session keeps reading the primary for the next requests.
    assert session[db_router.SESSION_KEY] > time.time()
    seen, _ = through_middleware(session=session, view=lambda r: {"r": router.db_for_read(Member)})
    assert seen["r"] == "default"


def test_the_pin_expires():
    session = {db_router.SESSION_KEY: time.time() - 1}
    seen, _ = through_middleware(session=session, view=lambda r: {"r": router.db_for_read(Member)})
    assert seen["r"].startswith("replica")


def test_a_post_reads_the_primary():
    seen, _ = through_middleware("post", view=lambda r: {"r": router.db_for_read(Member)})
    assert seen["r"] == "default"


def test_sessions_and_auth_read_the_primary():
    seen, _ = through_middleware(
        view=lambda r: {"user": router.db_for_read(User), "member": router.db_for_read(Member)}
    )
    assert seen["member"].startswith("replica")
    # accounts.User is an auth model in spirit but not app_label "auth": a login reads it
    # through the session, whose app stays on the primary.
    from django.contrib.sessions.models import Session

    assert router.db_for_read(Session) == "default"


def test_primary_block_and_migrations():
    with db_router.primary():
        assert router.db_for_read(Member) == "default"
    assert router.allow_migrate("default", "members")
    assert not router.allow_migrate("replica1", "members")
    assert router.allow_relation(Member(), Organization())
