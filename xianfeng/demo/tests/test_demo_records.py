"""Demo records of dues, development, archives and reserve cadres (loaded once for the module)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from xianfeng.archives.completeness import file_states, tally_by_org
from xianfeng.archives.models import Archive, ArchiveItem, ItemStatus
from xianfeng.cadres.models import CadreStatus, Evaluation, ReserveCadre, TrainingRecord
from xianfeng.development.models import ActivistReview, Development, DevelopmentStep
from xianfeng.development.rules import STAGES, check_timing
from xianfeng.dues import services as dues
from xianfeng.dues.models import DuesBasis, DuesPayment
from xianfeng.members.models import Member
from xianfeng.orgs.models import Organization

pytestmark = pytest.mark.django_db
MODELS = (
    DuesBasis,
    DuesPayment,
    Development,
    DevelopmentStep,
    ActivistReview,
    Archive,
    ArchiveItem,
    ReserveCadre,
    TrainingRecord,
    Evaluation,
)


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    media, settings.MEDIA_ROOT = settings.MEDIA_ROOT, tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)
    settings.MEDIA_ROOT = media


@pytest.fixture
def demo(demo_loaded, db):
    return None


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def guodian():
    street = Organization.objects.get(name="郭店街道党工委")
    return street, Member.objects.filter(organization__path__startswith=street.path)


def test_a_year_of_dues_with_some_arrears(demo):
    street, members = guodian()
    active = members.active()
    assert DuesBasis.objects.filter(member__in=active).count() == active.count()
    assert DuesPayment.objects.filter(member__in=active).count() > 10 * active.count() * 0.8
    today = timezone.localdate()
    behind = [
        a
        for branch in Organization.objects.filter(path__startswith=street.path, kind="branch")
        for a in dues.branch_arrears(branch, today)
        if a.count
    ]
    assert 20 <= len(behind) <= 150
    assert any(a.warning >= 3 for a in behind)


def test_developments_at_every_stage_some_flagged(demo):
    devs = list(
        Development.objects.prefetch_related("steps", "thought_reports", "activist_reviews")
    )
    assert {d.stage for d in devs} == set(STAGES)
    assert any(d.status == "done" and d.member_id for d in devs)
    today = timezone.localdate()
    rules = {v.rule for d in devs for v in check_timing(d, today)}
    assert {"talk_within_month", "activist_review"} <= rules
    flagged = [d for d in devs if check_timing(d, today)]
    assert len(flagged) <= 4


def test_complete_and_incomplete_files(demo):
    street, members = guodian()
    tally = tally_by_org(file_states(members), [street])[street.pk]
    assert 45 <= tally.share <= 75
    statuses = set(ArchiveItem.objects.values_list("status", flat=True))
    assert statuses == {ItemStatus.ACCEPTED, ItemStatus.PENDING, ItemStatus.TO_FIX}


def test_tianqiao_has_193_reserve_cadres(demo):
    tianqiao = Organization.objects.get(name="天桥区委")
    pool = ReserveCadre.objects.filter(organization__path__startswith=tianqiao.path)
    assert pool.filter(status=CadreStatus.ACTIVE).count() == 193
    assert pool.exclude(status=CadreStatus.ACTIVE).exists()
    for cadre in pool.select_related("member__organization", "organization"):
        assert cadre.member.organization.path.startswith(cadre.organization.path)
    assert TrainingRecord.objects.exists() and Evaluation.objects.exists()


def test_loading_again_or_later_adds_nothing(demo):
    from datetime import timedelta

    from xianfeng.demo import Context, load_all

    first = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == first
    load_all(Context(today=timezone.localdate() + timedelta(days=400)))
    assert counts() == first
