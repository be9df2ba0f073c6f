"""Archive completeness rollup (issue 19 §3): the tally rows and member states equal the file
states after every archive and member write, drift is seen and repaired by check_rollups, and
the archive pages read them in a fixed number of queries."""

import contextlib

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xianfeng.archives import rollups, services
from xianfeng.archives.completeness import file_states, tally_by_org
from xianfeng.archives.models import ArchiveItem, ArchiveState, ArchiveTally
from xianfeng.core.errors import DomainError
from xianfeng.core.rollups import check_all
from xianfeng.members import services as member_services
from xianfeng.members.models import Member, MemberStatus
from xianfeng.testing import make_member

from .factories import complete_file, upload_scan

LEGACY_FULL = ["application", "volunteer_form", "confirmation_application"]


def _agree(world):
    orgs = [world.district, world.street, world.branch, world.branch2, world.other_branch]
    want = tally_by_org(file_states(Member.objects.all()), orgs)
    have = rollups.subtree_tallies(orgs)
    for org in orgs:
        assert vars(have[org.pk]) == vars(want[org.pk]), org.name
    assert rollups.drift() == []


ACTIONS = ("accept", "to_fix", "upload", "path", "move", "status", "create")


def _apply(action, pick, world, actor):
    people = list(Member.objects.order_by("pk"))
    member = people[pick % len(people)]
    orgs = [world.branch, world.branch2, world.other_branch, world.group]
    if action in ("accept", "to_fix"):
        item = ArchiveItem.objects.order_by("pk")[pick % max(1, ArchiveItem.objects.count()) :]
        item = item.first()
        if item is None:
            return
        services.review_item(
            item, verdict=("accepted" if action == "accept" else "to_fix"), note="补", actor=actor
        )
    elif action == "upload":
        doc = LEGACY_FULL[pick % 3]
        item = upload_scan(member, actor=actor, doc=doc, n=pick)
        services.review_item(item, verdict="accepted", actor=actor)
    elif action == "path":
        services.set_archive_path(member, ("", "legacy", "developed")[pick % 3], actor=actor)
    elif action == "move":
        member_services.move_members([member.pk], orgs[pick % len(orgs)], actor=actor)
    elif action == "status":
        status = (MemberStatus.LOST_CONTACT, MemberStatus.NORMAL, MemberStatus.MOVED_OUT)[pick % 3]
        member_services.change_status(member, status, on=timezone.localdate(), actor=actor)
    elif action == "create":
        make_member(orgs[pick % len(orgs)], f"新{pick}")


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 99)), max_size=12))
def test_every_archive_and_member_write_keeps_the_rows_exact(world, steps):
    actor = world.users["admin"]
    with transaction.atomic():
        for action, pick in steps:
            with contextlib.suppress(DomainError):
                _apply(action, pick, world, actor)
        _agree(world)
        transaction.set_rollback(True)


def test_check_rollups_sees_injected_archive_drift_and_fixes_it(world, capsys):
    complete_file(world.member, LEGACY_FULL)
    _agree(world)
    ArchiveTally.objects.filter(organization=world.branch, doc="").update(complete=9)
    ArchiveState.objects.filter(pk=world.member.pk).update(complete=False)
    found = check_all([world.street.path], only=("archives",))
    assert {d.key[0] for d in found} == {"tally", "member"}
    with pytest.raises(SystemExit) as exit_:
        call_command("check_rollups", "--org", world.street.code, only=["archives"])
    assert exit_.value.code == 1
    assert "archives" in capsys.readouterr().out
    call_command("check_rollups", "--fix", only=["archives"])
    _agree(world)


@pytest.mark.parametrize("incomplete", ["", "?incomplete=1"])
def test_the_org_page_reads_the_rows_in_fixed_queries(world, login, incomplete):
    complete_file(world.member, LEGACY_FULL)
    client = login(world.users["street_admin"])
    url = reverse("archives:org", args=[world.street.pk]) + incomplete
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url)
    assert page.status_code == 200
    for i in range(40):
        make_member((world.branch, world.branch2)[i % 2], f"档{i}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(many) == len(few)
    text = page.content.decode()
    assert "档案完整 1 名" in text
    home = client.get(reverse("archives:home") + f"?org={world.street.pk}")
    assert home.status_code == 200 and "档案完整 1 名" in home.content.decode()


def test_the_incomplete_filter_pages_in_sql(world, login):
    complete_file(world.member, LEGACY_FULL)
    client = login(world.users["street_admin"])
    page = client.get(reverse("archives:org", args=[world.street.pk]) + "?incomplete=1")
    text = page.content.decode()
    assert world.member.name not in text.split("<tbody>")[1]
    for other in Member.objects.exclude(pk=world.member.pk).filter(
        organization__path__startswith=world.street.path
    ):
        assert other.name in text
