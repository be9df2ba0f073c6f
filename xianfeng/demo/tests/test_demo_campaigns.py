"""The campaigns demo on its own (the whole demo is loaded in test_demo.py): the report's
numbers, produced through the services, and loading twice adds nothing."""

from time import monotonic

import pytest

from xianfeng.campaigns.models import Assignment, Campaign, Case, DispatchMeeting, HousingUnit
from xianfeng.campaigns.progress import board
from xianfeng.campaigns.tests.factories import recount, table
from xianfeng.core.models import AuditLog
from xianfeng.demo import Context
from xianfeng.demo import campaigns as demo
from xianfeng.orgs.models import OrgKind, OrgStatus
from xianfeng.testing import make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def streets():
    make_user("admin", superuser=True)
    district = make_org("长清区委", kind=OrgKind.COMMITTEE, code="370113")
    guyunhu = make_org(
        "崮云湖街道党工委", parent=district, kind=OrgKind.COMMITTEE, code="370113-01"
    )
    branch = make_org(
        "东辛村拆迁临时党支部", parent=guyunhu, code="370113-01-035", is_temporary=True
    )
    for n in "一二三四":
        make_org(f"拆迁第{n}党小组", parent=branch, kind=OrgKind.GROUP)
    licheng = make_org("历城区委", kind=OrgKind.COMMITTEE, code="370112")
    make_org("郭店街道党工委", parent=licheng, kind=OrgKind.COMMITTEE, code="370112-01")


def test_the_two_campaigns_of_the_reports(streets, capsys):
    started = monotonic()
    demo.load(Context())
    seconds = monotonic() - started
    with capsys.disabled():
        print(f"\ncampaigns demo loaded in {seconds:.1f} s")
    dongxin = Campaign.objects.get(name=demo.DONGXIN)
    assert dongxin.branch.name == "东辛村拆迁临时党支部"
    assert dongxin.groups.count() == 4 and dongxin.classes.count() == 6
    assert dongxin.cases.count() == 91
    assert dongxin.cases.filter(case_class__name="钉子户").count() == 3
    days = DispatchMeeting.objects.filter(campaign=dongxin).dates("held_on", "day")
    assert len(days) == 100
    assert Assignment.objects.filter(campaign=dongxin, escalated_on__isnull=False).exists()
    assert board(dongxin)["done"] > 60
    assert table(dongxin) == dict(recount(dongxin))

    guodian = Campaign.objects.get(name=demo.GUODIAN)
    assert guodian.cases.count() == 2732
    assert sum(guodian.cases.values_list("people", flat=True)) == 12889
    chosen = HousingUnit.objects.filter(campaign=guodian, case__isnull=False)
    assert chosen.count() == 2732
    assert len(set(chosen.values_list("chosen_on", flat=True))) == 10
    assert guodian.status == "closed" and guodian.branch.status != OrgStatus.ACTIVE
    assert table(guodian) == dict(recount(guodian))
    assert AuditLog.objects.filter(action="campaign.stage").count() > 2732 * 3

    before = (Case.objects.count(), AuditLog.objects.count())
    demo.load(Context())
    assert (Case.objects.count(), AuditLog.objects.count()) == before
