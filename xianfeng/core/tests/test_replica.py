"""The replica router against a real streaming replica (issue 19 §5).

Runs when DATABASE_REPLICA_URLS names a standby of the test server: `.ci/replica` starts one
on port 5433 from a base backup of the local cluster and `.ci/run` runs these tests with
DATABASE_REPLICA_URLS=postgres://postgres@127.0.0.1:5433/test. The test database is created
on the primary and reaches the standby by replication, like every other row.

Proved here: the standby is in recovery and streams; a row committed on the primary is read
back from the standby after the lag; a session that wrote reads the primary (so it sees its
own row while the standby has not replayed it yet) while a fresh session reads the standby.
"""

import time

import dj_database_url
import pytest
from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from xianfeng.core import db_router
from xianfeng.core.db_router import ReplicaMiddleware
from xianfeng.core.models import CalendarYear

pytestmark = [
    pytest.mark.skipif(
        not settings.REPLICA_URLS, reason="needs a streaming replica (DATABASE_REPLICA_URLS)"
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica1"]),
]
YEAR = 2099
LAG_LIMIT = 10.0  # seconds; streaming replicas usually replay in milliseconds


@pytest.fixture
def standby():
    """`replica1` connected to the real standby (Django's test run would mirror it onto the
    primary's connection) and the test database's name on it."""
    conn = connections["replica1"]
    saved = conn.settings_dict
    url = dj_database_url.parse(settings.REPLICA_URLS[0])
    conn.close()
    conn.settings_dict = {
        **saved,
        "HOST": url["HOST"],
        "PORT": url["PORT"],
        "NAME": connections["default"].settings_dict["NAME"],
    }
    try:
        yield conn
    finally:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_is_wal_replay_paused()")
            if cursor.fetchone()[0]:
                cursor.execute("SELECT pg_wal_replay_resume()")
        conn.close()
        conn.settings_dict = saved


def scalar(conn, sql):
    with conn.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def on_standby_within(seconds, query):
    """Seconds until `query()` is true on the standby, or None after `seconds`."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if query():
            return time.monotonic() - start
        time.sleep(0.02)
    return None


def request(method, session, view):
    """Run `view()` inside ReplicaMiddleware with this session; return what it returned."""
    req = getattr(RequestFactory(), method)("/x/")
    req.session = session
    seen = {}

    def get_response(r):
        seen["value"] = view()
        return HttpResponse()

    ReplicaMiddleware(get_response)(req)
    return seen["value"]


def saved_year_seen():
    return CalendarYear.objects.filter(year=YEAR).exists()


def test_the_replica_is_a_streaming_standby_of_the_primary(standby):
    assert scalar(standby, "SELECT pg_is_in_recovery()") is True
    assert scalar(connections["default"], "SELECT pg_is_in_recovery()") is False
    assert scalar(standby, "SELECT status FROM pg_stat_wal_receiver") == "streaming"
    assert (
        scalar(standby, "SELECT current_database()") == connections["default"].settings_dict["NAME"]
    )


def test_a_write_on_the_primary_is_read_back_from_the_replica_after_lag(standby):
    CalendarYear.objects.create(year=YEAR, source="复制测试")
    lag = on_standby_within(
        LAG_LIMIT, lambda: CalendarYear.objects.using("replica1").filter(year=YEAR).exists()
    )
    assert lag is not None, f"the standby did not replay the row within {LAG_LIMIT} s"
    # A GET request without a write reads it through the router, from the standby.
    where = request("get", {}, lambda: db_router.ReplicaRouter().db_for_read(CalendarYear))
    assert where == "replica1"
    assert request("get", {}, saved_year_seen) is True
    print(f"replication lag until the row was readable on the standby: {lag * 1000:.0f} ms")


def test_a_session_reads_its_own_writes_from_the_primary(standby):
    scalar(standby, "SELECT pg_wal_replay_pause()")
    assert on_standby_within(5, lambda: scalar(standby, "SELECT pg_is_wal_replay_paused()"))
    session = {}
    # The POST writes on the primary; the standby, paused, does not have the row.
    request("post", session, lambda: CalendarYear.objects.create(year=YEAR, source="复制测试"))
    assert session[db_router.SESSION_KEY] > time.time()
    assert not CalendarYear.objects.using("replica1").filter(year=YEAR).exists()
    # The writer's next GET (the redirect after the POST) reads the primary and sees it…
    assert request("get", session, saved_year_seen) is True
    # …another session reads the standby, which has not replayed the row yet…
    assert request("get", {}, saved_year_seen) is False
    # …until the standby replays it.
    scalar(standby, "SELECT pg_wal_replay_resume()")
    assert on_standby_within(LAG_LIMIT, lambda: request("get", {}, saved_year_seen))
