"""The dues collection rollup (issue 19 §3): equal to counting the members after every dues and
member write, drift seen and repaired by check_rollups, the workbench item and the dues page
in a fixed number of queries."""

import contextlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xianfeng.core.errors import DomainError
from xianfeng.core.rollups import check_all
from xianfeng.dues import rollups, services
from xianfeng.dues.models import DuesMonthRollup
from xianfeng.dues.workbench import behind_counts, behind_counts_scan
from xianfeng.members import services as member_services
from xianfeng.members.models import Member, MemberStatus
from xianfeng.testing import make_member


def back(n, today=None):
    month = (today or timezone.localdate()).replace(day=1)
    for _ in range(n):
        month = rollups.prev_month(month)
    return month


def _agree(world, today=None):
    today = today or timezone.localdate()
    for org in (world.district, world.street, world.branch, world.other_branch):
        paths = (org.path,)
        assert behind_counts(paths, today) == behind_counts_scan(paths, today), org.name
    assert rollups.drift() == []


ACTIONS = ("basis", "pay", "bulk", "exempt", "move", "status", "create", "joined")


def _apply(action, pick, world, actor):
    people = list(Member.objects.order_by("pk"))
    member = people[pick % len(people)]
    orgs = [world.branch, world.branch2, world.other_branch, world.group]
    if action == "basis":
        services.set_dues_basis(
            member,
            category="salaried",
            income=3000 + 500 * (pick % 5),
            from_month=back(pick % 8),
            actor=actor,
        )
    elif action == "pay":
        services.record_payment(
            member, back(pick % 6), paid_on=timezone.localdate(), method="self", actor=actor
        )
    elif action == "bulk":
        org = orgs[pick % 2]
        ids = list(org.members.active().values_list("pk", flat=True))
        services.record_bulk_payments(
            org, back(1 + pick % 3), ids, paid_on=timezone.localdate(), actor=actor
        )
    elif action == "exempt":
        services.grant_dues_exemption(
            member,
            kind=("waived", "reduced")[pick % 2],
            monthly_amount=Decimal("1.00"),
            from_month=back(1 + pick % 4),
            until_month=back(pick % 2),
            reason="生活困难",
            approved_by="区委组织部",
            approved_on=timezone.localdate(),
            actor=actor,
        )
    elif action == "move":
        member_services.move_members([member.pk], orgs[pick % len(orgs)], actor=actor)
    elif action == "status":
        status = (MemberStatus.LOST_CONTACT, MemberStatus.NORMAL, MemberStatus.MOVED_OUT)[pick % 3]
        member_services.change_status(member, status, on=timezone.localdate(), actor=actor)
    elif action == "create":
        make_member(orgs[pick % len(orgs)], f"新{pick}", joined_on=back(pick % 7) + timedelta(5))
    elif action == "joined":
        member_services.update_member(member, actor=actor, joined_on=back(pick % 9))


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 99)), max_size=14))
def test_every_dues_and_member_write_keeps_the_rows_exact(world, steps):
    actor = world.users["admin"]
    with transaction.atomic():
        for action, pick in steps:
            with contextlib.suppress(DomainError):
                _apply(action, pick, world, actor)
        _agree(world)
        transaction.set_rollback(True)


def _owing(world):
    actor = world.users["admin"]
    for member in (world.member, *world.branch.members.active()):
        with contextlib.suppress(DomainError):
            services.set_dues_basis(
                member, category="salaried", income=4000, from_month=back(5), actor=actor
            )
    services.record_payment(
        world.member, back(4), paid_on=timezone.localdate(), method="self", actor=actor
    )


def test_the_rows_hold_the_months_figures(world):
    _owing(world)
    rows = {r.month: r for r in DuesMonthRollup.objects.filter(organization=world.branch)}
    assert set(rows) == {back(n) for n in range(6)}
    liable = world.branch.members.active().count()
    assert rows[back(4)].paid == 1 and rows[back(4)].amount_paid == Decimal("40.00")
    assert rows[back(1)].liable == liable and rows[back(1)].amount_due == 40 * liable
    assert rows[back(1)].run_unpaid == liable  # none paid the last three months
    assert rows[back(3)].run_unpaid == liable - 1  # the payment four months back breaks his run
    _agree(world)


def test_a_month_after_the_watermark_is_counted_from_the_source(world):
    _owing(world)
    rollups.refresh_all(back(2))
    assert rollups.through() == back(2)
    assert not DuesMonthRollup.objects.filter(month__gt=back(2)).exists()
    paths = (world.street.path,)
    assert behind_counts(paths, timezone.localdate()) == behind_counts_scan(
        paths, timezone.localdate()
    )
    assert rollups.drift() == []
    rollups.refresh_all()
    assert rollups.through() == back(0)
    _agree(world)


def test_check_rollups_sees_injected_dues_drift_and_fixes_it(world, capsys):
    _owing(world)
    call_command("check_rollups", only=["dues"])
    DuesMonthRollup.objects.filter(organization=world.branch, month=back(1)).update(paid=7)
    assert [d.rollup for d in check_all([world.street.path], only=("dues",))] == ["dues"]
    with pytest.raises(SystemExit) as exit_:
        call_command("check_rollups", "--org", world.street.code, only=["dues"])
    assert exit_.value.code == 1
    assert "dues" in capsys.readouterr().out
    call_command("check_rollups", "--fix", only=["dues"])
    assert rollups.drift() == []
    _agree(world)


def test_the_workbench_item_reads_the_rows_in_fixed_queries(world):
    _owing(world)
    paths = (world.district.path,)
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as few:
        first = behind_counts(paths, today)
    for i in range(20):
        m = make_member((world.branch, world.branch2)[i % 2], f"欠{i}", joined_on=date(2000, 1, 1))
        services.set_dues_basis(
            m, category="salaried", income=5000, from_month=back(4), actor=world.users["admin"]
        )
    with CaptureQueriesContext(connection) as many:
        second = behind_counts(paths, today)
    assert len(few) == len(many) == 2  # the watermark, the sum of the rows
    assert not any("members_member" in q["sql"] for q in many.captured_queries)
    assert second["last"] == first["last"] + 20
    assert second == behind_counts_scan(paths, today)


def test_the_dues_page_shows_the_figures_in_fixed_queries(world, login):
    _owing(world)
    client = login(world.users["street_admin"])
    url = reverse("dues:home")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "收缴率" in text and f"{back(1):%Y-%m}" in text
    for i in range(10):
        m = make_member(world.branch2, f"欠{i}", joined_on=date(2000, 1, 1))
        services.set_dues_basis(
            m, category="salaried", income=5000, from_month=back(4), actor=world.users["admin"]
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
    assert not any("dues_duespayment" in q["sql"] for q in many.captured_queries)


def test_rows_counted_before_a_new_month_are_not_read_as_it(world, time_machine):
    """The first re-count stores its month as the watermark: when the month turns before the
    job runs, the new month is counted live, never read from rows that stop short of it."""
    from xianfeng.orgs.models import RollupWatermark

    RollupWatermark.objects.filter(name=rollups.WATERMARK).delete()  # a fresh install
    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 3, 15, 12)))
    _owing(world)
    assert rollups.through() == date(2026, 3, 1)
    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 4, 2, 12)))
    assert rollups.through() == date(2026, 3, 1)
    paths = (world.street.path,)
    april = date(2026, 4, 1)
    sums = rollups.month_sums(paths, [april])[april]
    assert sums["liable"] > 0  # counted from the source: no April rows exist
    assert not DuesMonthRollup.objects.filter(month=april).exists()
    assert behind_counts(paths, timezone.localdate()) == behind_counts_scan(
        paths, timezone.localdate()
    )
