from io import StringIO

import pytest
from django.core.management import call_command

from xianfeng.orgs.models import Organization

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    try:
        call_command("check_counts", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def test_clean_counts_pass(world):
    code, output = run()
    assert code == 0
    assert "不一致 drifted 0" in output


def test_drift_is_reported_then_fixed(world):
    Organization.objects.filter(pk=world.branch.pk).update(member_count=99, full_member_count=0)

    code, output = run()
    assert code == 1
    assert "B1" in output

    code, output = run("--fix")
    assert code == 0
    world.branch.refresh_from_db()
    assert world.branch.member_count == world.branch.members.active().count()
    assert world.branch.full_member_count == world.branch.member_count
    assert run()[0] == 0


def test_scoped_to_an_org(world):
    Organization.objects.filter(pk=world.other_branch.pk).update(member_count=99)
    assert run("--org", world.street.code)[0] == 0
    assert run("--org", world.other_street.code)[0] == 1
