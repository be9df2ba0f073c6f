from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Q, Sum

from xianfeng.demo.city import city_id_number, step
from xianfeng.members.idcard import parse
from xianfeng.members.management.commands.check_counts import drift
from xianfeng.members.models import Member, Membership
from xianfeng.orgs.models import Organization, OrgKind

pytestmark = pytest.mark.django_db


def gen(members=2000, orgs=150, **options):
    out = StringIO()
    call_command("gen_city", members=members, orgs=orgs, stdout=out, **options)
    return out.getvalue()


def test_step_is_treebeard_base36():
    assert step(1) == "0001"
    assert step(36) == "0010"
    assert step(36**2 + 35) == "010Z"


def test_city_ids_are_valid_unique_and_agree_with_birth_and_gender():
    seen = set()
    for i in range(0, 3_000_000, 997):
        number, born, gender = city_id_number(i)
        assert parse(number) == (born, gender)
        seen.add(number)
    assert len(seen) == len(range(0, 3_000_000, 997))


def test_small_city_has_a_sound_tree_and_exact_counts():
    output = gen()

    assert "peak" in output
    # On PostgreSQL the campaigns module adds a temporary branch with two groups per street.
    campaign_orgs = Organization.objects.filter(
        Q(campaign__isnull=False) | Q(campaign_group__isnull=False)
    ).count()
    assert campaign_orgs in (0, 3 * 4)  # 4 streets
    assert Organization.objects.count() == 150 + campaign_orgs
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    root = Organization.objects.get(code="GC0000001")
    assert root.is_root()
    assert Organization.objects.get_descendant_count(root) == 149 + campaign_orgs
    for org in Organization.objects.all():
        assert (
            org.numchild
            == Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).count()
        )
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert {OrgKind.COMMITTEE, OrgKind.BRANCH, OrgKind.GROUP} <= kinds

    assert Member.objects.count() == 2000
    assert Membership.objects.filter(ended_on__isnull=True).count() == 2000
    assert not Member.objects.exclude(organization__kind__in=[OrgKind.BRANCH, OrgKind.GROUP])
    assert drift(Organization.objects.all()) == []
    active = Member.objects.active().count()
    assert Organization.objects.aggregate(n=Sum("member_count"))["n"] == active
    assert not Member.objects.filter(name_initials="").exists()


def test_search_keys_and_ids_are_filled():
    gen(members=300, orgs=40)
    for member in Member.objects.all()[:100]:
        assert parse(member.id_number) == (member.birth_date, member.gender)
        assert member.id_last4 == Member._meta.get_field("id_last4").compute(member)
        assert member.phone_last4 == Member._meta.get_field("phone_last4").compute(member)
        assert member.joined_on.year - member.birth_date.year >= 18


def test_a_second_city_gets_its_own_root_and_ids():
    gen(members=200, orgs=30)
    gen(members=200, orgs=30, prefix="GD", seed=2)

    assert Organization.objects.get_root_nodes().count() == 2
    assert Member.objects.count() == 400
    assert Organization.objects.find_problems() == ([], [], [], [], [])


def test_same_prefix_twice_is_refused():
    gen(members=50, orgs=20)
    with pytest.raises(CommandError):
        gen(members=50, orgs=20)


def test_city_fills_every_module_with_consistent_rollups():
    from django.db import connection
    from django.db.models import F

    if connection.vendor != "postgresql":
        pytest.skip("the modules are generated in PostgreSQL's SQL")

    from xianfeng.archives.models import ArchiveItem
    from xianfeng.demo.city_modules import CHECK_SQL
    from xianfeng.development.models import DevelopmentStep
    from xianfeng.dues.models import DuesPayment
    from xianfeng.grid.models import Household
    from xianfeng.learning.models import StudyRecord
    from xianfeng.meetings.models import Attendance
    from xianfeng.points.models import PointTotal
    from xianfeng.resident_requests.models import RequestEvent
    from xianfeng.tasks.models import KeyTask
    from xianfeng.transfers.models import Transfer

    output = gen(members=1000, orgs=60)
    for model in (
        Attendance,
        PointTotal,
        RequestEvent,
        Household,
        DuesPayment,
        ArchiveItem,
        Transfer,
        DevelopmentStep,
        KeyTask,
        StudyRecord,
    ):
        assert model.objects.exists(), model
    with connection.cursor() as cursor:
        cursor.execute(CHECK_SQL)
        assert cursor.fetchone()[0] == 0  # the points rollup equals a GROUP BY of the ledger
        # The ledger's indexes, dropped and rebuilt around the load, cover every partition,
        # and each generated year has a partition of its own (decision 0005).
        cursor.execute(
            "SELECT bool_and(indisvalid) FROM pg_index "
            "WHERE indrelid = 'points_pointevent'::regclass"
        )
        assert cursor.fetchone()[0] is True
    from xianfeng.core import partitions

    assert all(partitions.stray_years(ledger) == [] for ledger in partitions.LEDGERS)
    assert drift(Organization.objects.all()) == []
    # Attendance only for members of the meeting's own branch (or its groups).
    stray = Attendance.objects.exclude(
        member__organization__path__startswith=F("meeting__organization__path")
    )
    assert "learning:" in output and not stray.exists()


# The modules filled after issue 19's first page bench (each a table the bench's fillers read).
MORE_MODULES = (
    "orgs.Committee",
    "orgs.CommitteeSeat",
    "orgs.OrgChange",
    "accounts.RoleGrant",
    "elections.Election",
    "instructors.Instructor",
    "instructors.Assignment",
    "instructors.CollectionWindow",
    "enterprise.Enterprise",
    "enterprise.EnterpriseCase",
    "cadres.ReserveCadre",
    "notices.Notice",
    "notices.Delivery",
    "notices.Preference",
    "assessment.Standard",
    "assessment.StandardItem",
    "assessment.Round",
    "assessment.BranchAssessment",
    "assessment.StarRating",
    "assessment.RectificationPlan",
    "assessment.MemberAssessment",
    "points.PointRule",
    "points.PointClaim",
    "learning.Question",
    "learning.Quiz",
    "learning.QuizAttempt",
    "excel.ImportJob",
    "transfers.TransferBatch",
    "transfers.MobileMember",
    "transfers.TransferPolicy",
    "grid.GridStaffRole",
    "grid.GridStaff",
    "grid.CentralHousehold",
    "service.PartnerUnit",
    "service.ServiceProject",
    "service.Claim",
    "service.Volunteer",
    "service.VolunteerActivity",
    "service.VolunteerSignup",
    "service.Alliance",
    "service.CommunityCheckIn",
    "standing.LapseCase",
    "resident_requests.CallIn",
    "members.StatusChange",
    "meetings.RuleOverride",
    # Issue 21's campaigns and the venues (the resident portal under /m/).
    "campaigns.Campaign",
    "campaigns.CaseClass",
    "campaigns.WorkGroup",
    "campaigns.Case",
    "campaigns.CasePerson",
    "campaigns.CaseDocument",
    "campaigns.CaseVisit",
    "campaigns.StageChange",
    "campaigns.StageCount",
    "campaigns.DispatchMeeting",
    "campaigns.Assignment",
    "campaigns.HousingUnit",
    "campaigns.HouseholdNotice",
    "campaigns.NoticeReach",
    "venues.Venue",
    "venues.VenuePhoto",
    "venues.Room",
    "venues.Duty",
    "venues.Booking",
    "venues.Activity",
    "venues.Signup",
)
# Models the city cannot own: site-wide rows (groups, API tokens, Open311 keys) and the audit
# chain, which only the services write (a forged chain would fail verification).
NOT_CITY_DATA = {
    "auth.group",
    "authtoken.tokenproxy",
    "core.auditlog",
    "resident_requests.open311key",
}


def test_tiny_city_fills_every_module_and_every_bench_filler():
    from django.apps import apps
    from django.db import connection
    from django.db.models import JSONField

    from bench import pages
    from xianfeng.core.fields import EncryptedField
    from xianfeng.demo.city_modules import MODULES

    if connection.vendor != "postgresql":
        pytest.skip("the modules are generated in PostgreSQL's SQL")
    output = StringIO()
    call_command("gen_city", tiny=True, stdout=output)
    city = Organization.objects.get(code="GC0000001")
    assert Member.objects.filter(organization__path__startswith=city.path).count() == 1000

    for label in MORE_MODULES:
        model = apps.get_model(label)
        sample = list(model._default_manager.order_by("pk")[:5])
        assert sample, label
        for row in sample:
            # Encrypted columns are written empty: no plain personal data reaches the disk.
            # Empty JSON lists and dicts are what the services write too (nothing missing,
            # no errors), though the fields are not blank=True.
            empty = [
                f.name
                for f in model._meta.fields
                if isinstance(f, (EncryptedField, JSONField))
                and getattr(row, f.attname) in ("", [], {})
            ]
            row.full_clean(exclude=empty)

    # The campaigns' board counts agree with their households (now) and history (per day).
    from xianfeng.campaigns.models import Case, StageChange, StageCount

    counts = StageCount.objects.aggregate(
        now=Sum("n", filter=Q(day__isnull=True)), days=Sum("n", filter=Q(day__isnull=False))
    )
    assert counts == {"now": Case.objects.count(), "days": StageChange.objects.count()}

    # A second run adds nothing (each module sees its rows and says so).
    before = {label: apps.get_model(label).objects.count() for label in MORE_MODULES}
    again = StringIO()
    call_command("gen_city", tiny=True, modules_only=True, stdout=again)
    assert {label: apps.get_model(label).objects.count() for label in MORE_MODULES} == before
    for name, _ in MODULES:
        assert f"{name}: 已有 exists" in again.getvalue(), name

    world = pages.World.build(city)
    unfilled = []
    for pattern in pages.patterns():
        for role in ("admin",) if pattern.kind == "admin" else pages.ROLES:
            try:
                pages.fill(pattern, world, role)
            except LookupError as exc:
                unfilled.append((pattern.route, role, str(exc)))
    allowed = [
        u
        for u in unfilled
        if any(f"django-admin/{m.replace('.', '/')}/" in u[0] for m in NOT_CITY_DATA)
    ]
    assert [u for u in unfilled if u not in allowed] == []
