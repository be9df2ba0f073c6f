"""The figures' rollup rows stay exact through every write path, read the same figures as the
scan over the requests, and `check_rollups` sees (and repairs) drift injected by hand."""

import contextlib
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xianfeng.accounts.models import User
from xianfeng.core.errors import DomainError

from .. import escalation, rollups, services, units
from ..figures import figures_from_rollup, request_figures, requests_in
from ..models import OPEN_STATUSES, RequestNow, RequestRollup, ResidentRequest
from ..testing import dispatcher, make_request

START = timezone.make_aware(datetime(2026, 3, 30, 10, 0))
ACTIONS = (
    "new",
    "public",
    "route",
    "accept",
    "escalate",
    "ask",
    "reply",
    "reject",
    "arbitrate",
    "call_in",
    "solve",
    "close",
    "rate",
    "reopen",
    "delete",
    "wait",
    "move",
    "job",
)


def _same_figures(org, start, end, now):
    """The rollup read and the scan agree (averages to the millisecond the rollup keeps)."""
    scan = request_figures(requests_in(org.path, start, end), now=now)
    ours = figures_from_rollup(org, start, end, now=now)
    ours.pop("map_counts")
    for row_scan, row_ours in [
        (scan["totals"], ours["totals"]),
        *zip(
            sorted(scan["by_category"], key=lambda r: str(r["category__name"])),
            sorted(ours["by_category"], key=lambda r: str(r["category__name"])),
            strict=True,
        ),
        *zip(
            sorted(scan["by_grid"], key=lambda r: str(r["grid__name"])),
            sorted(ours["by_grid"], key=lambda r: str(r["grid__name"])),
            strict=True,
        ),
    ]:
        for key, value in row_scan.items():
            if key in ("avg_respond", "avg_finish", "avg_rating"):
                if value is None:
                    assert row_ours[key] is None, key
                else:
                    unit = 0.01 if key == "avg_rating" else timedelta(milliseconds=1)
                    assert abs(row_ours[key] - value) <= unit, key
            else:
                assert row_ours[key] == value, (key, row_ours, row_scan)
    assert sorted(scan["by_status"]) == sorted(ours["by_status"])
    assert scan["escalations"] == ours["escalations"]


def _apply(action, pick, gw, category, actor, clock):
    reqs = list(ResidentRequest.objects.order_by("pk"))
    req = reqs[pick % len(reqs)] if reqs else None
    if action == "new":
        grid = (gw.building1, gw.building2, gw.grid1)[pick % 3]
        make_request(grid=grid, category=category)
    elif action == "public":
        services.receive_request(
            category=category, description="路灯不亮", channel="public", grid=gw.building1
        )
    elif action == "route":
        services.route_pending()
    elif action == "wait":
        clock.shift(timedelta(hours=1 + pick % 40))
    elif action == "job":
        escalation.escalate_due()
    elif req is None or req.routed_at is None:
        return
    elif action == "accept":
        services.accept_request(req, actor=actor)
    elif action == "escalate":
        services.escalate_request(req, actor=actor, reason="需协调")
    elif action == "ask":
        services.ask_resident(req, actor=actor, note="请补充照片")
    elif action == "reply":
        services.resident_reply(req, text="已补充")
    elif action == "reject":
        services.reject_request(req, actor=actor, reason="非本级")
    elif action == "arbitrate":
        services.arbitrate_request(req, actor=actor, level=pick % 2)
    elif action == "call_in":
        units.call_in_unit(
            req, actor=actor, unit_name="城管", task="清理", due=timezone.now() + timedelta(days=2)
        )
    elif action == "solve":
        services.solve_request(req, actor=actor, note="已解决")
    elif action == "close":
        services.close_unsolved(req, actor=actor, reason="无法解决")
    elif action == "rate":
        services.rate_request(req, rating=1 + pick % 5)
    elif action == "reopen":
        services.reopen_request(req, reason="没修好")
    elif action == "delete":
        req.delete()
    elif action == "move":
        grid = (gw.building1, gw.building2, gw.grid1, gw.grid2)[pick % 4]
        services.move_request(req, grid=grid, actor=actor, reason="不属本网格")


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 99)), min_size=1, max_size=25))
def test_every_write_path_keeps_the_rollup_exact(world, gw, category, steps):
    with transaction.atomic(), time_machine.travel(START, tick=False) as clock:
        actor = dispatcher(world, username="rollup_dispatcher")
        for action, pick in steps:
            with contextlib.suppress(DomainError):  # a step the state does not allow
                _apply(action, pick, gw, category, actor, clock)
        assert rollups.drift() == []
        assert rollups.escalation_drift() == []
        assert rollups.now_drift() == []
        now, today = timezone.now(), timezone.localdate()
        for moment in (now, now + timedelta(hours=5), now + timedelta(days=3)):
            assert rollups.read_now(world.street.path, moment) == _recount_now(world.street, moment)
        for start, end in (
            (date(2026, 3, 1), today),
            (date(2026, 3, 30), today),
            (today, today),
            (date(2026, 1, 1), date(2026, 12, 31)),  # the year rows
            (date(2026, 1, 1), date(2026, 11, 3)),  # the year rows minus the rest
            (date(2025, 6, 1), date(2026, 12, 30)),
        ):
            _same_figures(world.street, start, end, now)
        assert _year_rows() == _recount_years()
        transaction.set_rollback(True)


def _year_rows():
    return {
        row[:5]: list(row[5:])
        for row in RequestRollup.objects.filter(grain=rollups.YEAR).values_list(
            *rollups.KEY, *rollups.COUNTERS
        )
        if any(row[5:])
    }


def _recount_years():
    """The year rows a recount of the routed requests gives."""
    out = {}
    for values in ResidentRequest.objects.values_list(*rollups.SOURCE_FIELDS):
        c = rollups.contribution(values)
        if c is None:
            continue
        (org, cat, grid), day, counts = c
        target = out.setdefault(
            (org, rollups.YEAR, date(day.year, 1, 1), cat, grid), [0] * len(rollups.COUNTERS)
        )
        for i, name in enumerate(rollups.COUNTERS):
            target[i] += counts[name]
    return {k: v for k, v in out.items() if any(v)}


def _day_sums(org, start, end):
    """Every counter summed over the day rows of [start, end] (the slow, obvious read)."""
    rows = RequestRollup.objects.filter(
        organization__path__startswith=org.path, grain=rollups.DAY, day__range=(start, end)
    ).values_list(*rollups.COUNTERS)
    return {c: sum(r[i] for r in rows) for i, c in enumerate(rollups.COUNTERS)}


@given(
    st.dates(date(2024, 11, 1), date(2027, 2, 28)),
    st.integers(0, 800),
)
@settings(max_examples=60, deadline=None)
def test_year_pieces_cover_the_period_exactly(start, length):
    end = start + timedelta(days=length)
    covered = {}
    for grain, first, last, sign in rollups._year_pieces(start, end):
        if grain == rollups.YEAR:
            assert first == last == date(first.year, 1, 1)
            last = date(first.year, 12, 31)
        day = first
        while day <= last:
            covered[day] = covered.get(day, 0) + sign
            day += timedelta(days=1)
    assert {d for d, n in covered.items() if n} == {
        start + timedelta(days=i) for i in range(length + 1)
    }
    assert all(n in (0, 1) for n in covered.values())


def test_year_rows_follow_requests_and_read_like_the_day_rows(world, gw, category):
    """Requests over two years: the year rows equal a recount, and every read (whole year,
    year to date, across the new year) equals the sum of the day rows."""
    actor = dispatcher(world)
    for moment in (
        datetime(2025, 2, 3, 9),
        datetime(2025, 12, 31, 23, 30),
        datetime(2026, 1, 1, 0, 30),
        datetime(2026, 7, 15, 12),
        datetime(2026, 11, 20, 8),
    ):
        with time_machine.travel(timezone.make_aware(moment), tick=False):
            req = make_request(grid=gw.building1, category=category)
            services.accept_request(req, actor=actor)
            services.solve_request(req, actor=actor, note="好了")
            services.rate_request(req, rating=5)
            make_request(grid=gw.grid2, category=category)
    assert _year_rows() == _recount_years()
    assert {k[2] for k in _year_rows()} == {date(2025, 1, 1), date(2026, 1, 1)}
    assert rollups.drift() == []
    periods = {
        "year": (date(2026, 1, 1), date(2026, 12, 31)),
        "to_date": (date(2026, 1, 1), date(2026, 12, 6)),
        "to_july": (date(2026, 1, 1), date(2026, 7, 15)),
        "h1": (date(2026, 1, 1), date(2026, 6, 30)),
        "across": (date(2025, 3, 1), date(2026, 7, 14)),
        "edge": (date(2025, 12, 31), date(2026, 1, 1)),
    }
    sums = rollups.read_sums(world.street.path, periods, rollups.COUNTERS)
    for name, (start, end) in periods.items():
        want = _day_sums(world.street, start, end)
        assert sums[name] == want, name
        got = rollups.read(world.street.path, start, end)
        assert {c: sum(v[c] for v in got.values()) for c in rollups.COUNTERS} == want, name
    assert sums["year"]["total"] == 6 and sums["to_date"]["total"] == 6
    assert sums["edge"]["total"] == 4
    # A closed request and a deleted one change their year's rows (a year-old one too).
    req = ResidentRequest.objects.filter(grid=gw.grid2).order_by("pk").first()
    services.close_unsolved(req, actor=actor, reason="无法解决")
    assert _year_rows() == _recount_years()
    ResidentRequest.objects.filter(grid=gw.building1).order_by("pk").first().delete()
    assert _year_rows() == _recount_years() and rollups.drift() == []


def test_the_migration_fills_the_year_rows_from_the_month_rows(world, gw, category):
    import importlib

    from django.apps import apps

    _some_requests(world, gw, category)
    want = _year_rows()
    assert want
    RequestRollup.objects.filter(grain=rollups.YEAR).delete()
    assert len(rollups.drift()) == len(want)
    migration = importlib.import_module("xianfeng.resident_requests.migrations.0010_year_rollup")
    migration.fill_years(apps, SimpleNamespace(connection=connection))  # it uses only that
    assert _year_rows() == want == _recount_years()
    assert rollups.drift() == []


def _recount_now(org, now):
    """What the "now" rollup should read: open and overdue routed requests per grid."""
    out = {}
    for grid, status, due in ResidentRequest.objects.filter(
        organization__path__startswith=org.path, routed_at__isnull=False
    ).values_list("grid_id", "status", "next_due"):
        o, d = out.get(grid or 0, (0, 0))
        out[grid or 0] = (o + (status in OPEN_STATUSES), d + (due is not None and due <= now))
    return {g: n for g, n in out.items() if any(n)}


def test_the_now_rollup_follows_a_request_through_its_life(world, gw, category):
    """Intake, routing, accept, escalate, ask and reply, solve, rate, reopen, close, a
    transfer to another grid, the escalation job and a delete: after each step the rows
    equal a recount, and the read equals a count of the requests at several moments."""
    actor = dispatcher(world)
    street = world.street

    def same():
        assert rollups.now_drift() == []
        now = timezone.now()
        for moment in (
            now,
            now + timedelta(hours=3),
            now + timedelta(days=2),
            now + timedelta(days=20),
        ):
            assert rollups.read_now(street.path, moment) == _recount_now(street, moment)

    req, _ = services.receive_request(
        category=category, description="路灯不亮", channel="public", grid=gw.building1
    )
    assert not RequestNow.objects.exists()  # not routed yet: the intake stays one INSERT
    services.route_pending()
    same()
    assert sum(o for o, _d in rollups.read_now(street.path, timezone.now()).values()) == 1
    req = services.accept_request(req, actor=actor)
    same()
    req = services.escalate_request(req, actor=actor, reason="需协调")
    same()
    req = services.accept_request(req, actor=actor)
    req = services.ask_resident(req, actor=actor, note="请补充照片")
    same()  # waiting: open, no deadline
    req = services.resident_reply(req, text="已补充")
    same()
    before = rollups.read_now(street.path, timezone.now())
    req = services.move_request(req, grid=gw.grid2, actor=actor, reason="不属本网格")
    same()
    after = rollups.read_now(street.path, timezone.now())
    assert before[gw.building1.pk][0] == 1 and gw.building1.pk not in after
    assert after[gw.grid2.pk][0] == 1
    req = services.accept_request(req, actor=actor)
    req = services.solve_request(req, actor=actor, note="已修好")
    same()
    assert not rollups.read_now(street.path, timezone.now())
    services.rate_request(req, rating=2)
    req = services.reopen_request(req, reason="又坏了")
    same()
    req = services.close_unsolved(req, actor=actor, reason="无法解决")
    same()
    late = make_request(grid=gw.building2, category=category)
    with time_machine.travel(late.respond_due + timedelta(hours=1)):
        now = timezone.now()
        assert rollups.read_now(street.path, now)[gw.building2.pk] == (1, 1)
        escalation.escalate_due()  # the job moves the deadline: no longer overdue
        same()
        assert rollups.read_now(street.path, now)[gw.building2.pk] == (1, 0)
    late.refresh_from_db()
    late.delete()
    same()


def test_check_rollups_fix_repairs_the_now_rollup(world, gw, category, capsys):
    _some_requests(world, gw, category)
    make_request(grid=gw.building2, category=category)
    call_command("check_rollups", only=["requests_now"])
    row = RequestNow.objects.filter(open__gt=0).first()
    RequestNow.objects.filter(pk=row.pk).update(open=row.open + 2, due=0)
    RequestNow.objects.create(
        organization=world.other_branch, grid_id=0, due_day=date(2026, 1, 1), open=5
    )
    ResidentRequest.objects.filter(grid=gw.grid2).update(grid=gw.building1)  # past the save
    assert {d[0] for d in rollups.now_drift()} >= {row.organization_id, world.other_branch.pk}
    with pytest.raises(SystemExit):
        call_command("check_rollups", only=["requests_now"])
    assert "requests_now" in capsys.readouterr().out
    call_command("check_rollups", "--fix", only=["requests_now"])
    call_command("check_rollups", only=["requests_now"])
    assert rollups.now_drift() == []
    now = timezone.now()
    assert rollups.read_now(world.street.path, now) == _recount_now(world.street, now)


def test_the_nightly_prune_drops_only_empty_rows(world, gw, category):
    req = make_request(grid=gw.building1, category=category)
    services.solve_request(req, actor=dispatcher(world), note="好了")
    assert RequestNow.objects.filter(open=0, due=0).exists()
    assert rollups.prune_now() >= 1
    assert not RequestNow.objects.filter(open=0, due=0).exists()
    assert rollups.now_drift() == []


def _some_requests(world, gw, category):
    actor = User.objects.filter(username="dispatcher").first() or dispatcher(world)
    done = make_request(grid=gw.building1, category=category)
    services.accept_request(done, actor=actor)
    services.escalate_request(done, actor=actor, reason="需协调")
    services.solve_request(done, actor=actor, note="好了")
    services.rate_request(done, rating=5)
    make_request(grid=gw.grid2, category=category)
    return ResidentRequest.objects.get(pk=done.pk)


def test_check_rollups_sees_injected_drift_and_fixes_it(world, gw, category, capsys):
    _some_requests(world, gw, category)
    call_command("check_rollups")  # no drift: returns normally
    row = RequestRollup.objects.filter(grain=rollups.MONTH).first()
    RequestRollup.objects.filter(pk=row.pk).update(solved=row.solved + 3)
    with pytest.raises(SystemExit) as exit_:
        call_command("check_rollups", org=world.street.code)
    assert exit_.value.code == 1
    assert "requests" in capsys.readouterr().out
    call_command("check_rollups", "--fix")
    call_command("check_rollups")
    assert rollups.drift() == []


def test_a_raw_update_is_drift_until_fixed(world, gw, category):
    req = _some_requests(world, gw, category)
    ResidentRequest.objects.filter(pk=req.pk).update(finish_due=req.solved_at - timedelta(hours=1))
    found = rollups.drift([world.street.path])
    assert found and {f[0] for f in found} == {req.organization_id}
    rollups.drift([world.street.path], fix=True)
    assert rollups.drift() == []
    today = timezone.localdate()
    _same_figures(world.street, today, today, timezone.now())


def test_an_unrouted_request_is_counted_live(world, gw, category):
    services.receive_request(
        category=category, description="路灯不亮", channel="public", grid=gw.building1
    )
    assert not RequestRollup.objects.exists()
    today = timezone.localdate()
    data = figures_from_rollup(world.street, today, today)
    assert data["totals"]["total"] == 1
    services.route_pending()
    assert RequestRollup.objects.filter(grain=rollups.DAY).get().total == 1
    assert figures_from_rollup(world.street, today, today)["totals"]["total"] == 1


def test_deleting_an_escalated_request_takes_its_escalations_away(world, gw, category):
    actor = dispatcher(world)
    req = make_request(grid=gw.building1, category=category)
    services.escalate_request(req, actor=actor, reason="需协调")
    assert rollups.escalation_drift() == []
    ResidentRequest.objects.get(pk=req.pk).delete()
    assert rollups.escalation_drift() == [] and rollups.drift() == []
    assert rollups.now_drift() == []


def test_moving_a_request_moves_its_escalations(world, gw, category):
    actor = dispatcher(world)
    req = make_request(grid=gw.building1, category=category)
    services.escalate_request(req, actor=actor, reason="需协调")
    services.move_request(req, grid=gw.grid2, actor=actor, reason="不属本网格")
    assert rollups.escalation_drift() == [] and rollups.drift() == []
    assert rollups.now_drift() == []
    with pytest.raises(DomainError):
        services.move_request(req, grid=gw.grid2, actor=actor, reason="再转")  # already there
    with pytest.raises(DomainError):  # another street's grid: outside the dispatcher's area
        services.move_request(req, grid=gw.other_community, actor=actor, reason="转出")


def test_deleting_a_grid_moves_its_rows_to_no_grid(world, gw, category):
    _some_requests(world, gw, category)
    gw.grid2.delete()
    assert rollups.drift() == [] and rollups.escalation_drift() == []


def test_figures_page_reads_the_rollup_in_a_fixed_number_of_queries(login, world, gw, category):
    client = login(world.users["street_admin"])
    url = reverse("requests:figures")
    _some_requests(world, gw, category)
    client.get(url, {"org": world.street.pk})
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"org": world.street.pk}).status_code == 200
    for _ in range(10):
        _some_requests(world, gw, category)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, {"org": world.street.pk})
    assert page.status_code == 200
    assert len(many) == len(few)
    statements = " ".join(q["sql"] for q in many.captured_queries)
    # The period's aggregate reads the rollup table, never a GROUP BY over the requests.
    assert "resident_requests_requestrollup" in statements
    assert (
        "GROUP BY"
        not in statements.split("resident_requests_requestrollup")[0].split(
            "resident_requests_residentrequest"
        )[-1]
    )
