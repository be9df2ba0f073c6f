"""The org charts' rollup rows: equal to counting the members after every member write path,
counted on the watermark day, drift seen and repaired by check_rollups, the page in a fixed
number of queries."""

import contextlib
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xianfeng.core.errors import DomainError
from xianfeng.members import services
from xianfeng.members.idcard import make_id_number
from xianfeng.members.models import Category, Education, Member, MemberStatus
from xianfeng.orgs import breakdowns
from xianfeng.orgs.models import OrgBreakdown, RollupWatermark
from xianfeng.orgs.stats import subtree_breakdowns, subtree_breakdowns_scan
from xianfeng.testing import make_member

ACTIONS = ("create", "edit", "birth", "move", "status", "category", "death", "transfer")
_n = iter(range(10**6))


def _apply(action, pick, world, actor):
    orgs = [world.branch, world.branch2, world.other_branch, world.group]
    people = list(Member.objects.order_by("pk"))
    member = people[pick % len(people)] if people else None
    org = orgs[pick % len(orgs)]
    if action == "create" or member is None:
        born = date(1950 + pick % 50, 1 + pick % 12, 1 + pick % 28)
        services.create_member(
            org,
            actor=actor,
            name="新党员",
            id_number=make_id_number("370105", born, 100 + next(_n) % 800),
            joined_on=date(born.year + 25, 7, 1),
            category=Category.PROBATIONARY if pick % 3 == 0 else Category.FULL,
            confirmed_on=None if pick % 3 == 0 else date(born.year + 26, 7, 1),
            education=list(Education.values)[pick % 6] if pick % 7 else "",
        )
    elif action == "edit":
        services.update_member(member, actor=actor, education=list(Education.values)[pick % 6])
    elif action == "birth":
        services.update_member(
            member,
            actor=actor,
            joined_on=member.joined_on - timedelta(days=400 * (pick % 9)),
            confirmed_on=None
            if member.category == Category.PROBATIONARY
            else member.joined_on - timedelta(days=400 * (pick % 9) - 365),
        )
    elif action == "move":
        services.move_members([member.pk], org, actor=actor)
    elif action == "transfer":
        services.update_member(member, actor=actor, organization=org)
    elif action == "status":
        status = (MemberStatus.LOST_CONTACT, MemberStatus.NORMAL, MemberStatus.MOVED_OUT)[pick % 3]
        services.change_status(member, status, on=timezone.localdate(), actor=actor)
    elif action == "death":
        services.change_status(member, MemberStatus.DECEASED, on=timezone.localdate(), actor=actor)
    elif action == "category":
        if member.category == Category.PROBATIONARY:
            services.set_category(
                member, Category.FULL, confirmed_on=timezone.localdate(), actor=actor
            )
        else:
            services.set_category(member, Category.PROBATIONARY, actor=actor)


def _agree(*orgs):
    for org in orgs:
        assert subtree_breakdowns(org) == subtree_breakdowns_scan(org, breakdowns.as_of())


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 99)), max_size=15))
def test_every_member_write_keeps_the_chart_rows_exact(world, steps):
    actor = world.users["street_admin"]
    with transaction.atomic():
        for action, pick in steps:
            with contextlib.suppress(DomainError):
                _apply(action, pick, world, actor)
        assert breakdowns.drift() == []
        _agree(world.district, world.street, world.branch, world.other_branch)
        transaction.set_rollback(True)


def test_the_nightly_job_moves_the_day_and_the_page_says_so(world, login):
    yesterday = timezone.localdate() - timedelta(days=1)
    breakdowns.refresh_all(yesterday)
    assert breakdowns.as_of() == yesterday
    make_member(world.branch, "今天登记")  # counted on the watermark day, like every row
    assert breakdowns.drift() == []
    _agree(world.street)
    page = login(world.users["street_admin"]).get(reverse("orgs:detail", args=[world.street.pk]))
    assert f"按 {yesterday:%Y-%m-%d} 统计" in page.content.decode()
    breakdowns.refresh_all()
    assert RollupWatermark.objects.get(name=breakdowns.WATERMARK).as_of == timezone.localdate()
    page = login(world.users["street_admin"]).get(reverse("orgs:detail", args=[world.street.pk]))
    assert "统计</p>" not in page.content.decode()


def test_check_rollups_sees_injected_chart_drift_and_fixes_it(world, capsys):
    breakdowns.refresh_all()
    call_command("check_rollups", only=["breakdowns"])
    OrgBreakdown.objects.filter(pk=world.branch.pk).update(g_f=7)
    with pytest.raises(SystemExit) as exit_:
        call_command("check_rollups", "--org", world.street.code)
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "breakdowns" in out and "g_f" in out
    call_command("check_rollups", "--fix", only=["breakdowns"])
    assert breakdowns.drift() == []
    _agree(world.street)


def test_org_page_queries_do_not_grow_with_the_members(world, login):
    client = login(world.users["street_admin"])
    url = reverse("orgs:detail", args=[world.street.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(30):
        make_member((world.branch, world.branch2)[i % 2], f"加{i}", born=date(1960 + i, 3, 1))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
    assert not any("members_member" in q["sql"] for q in many.captured_queries)
