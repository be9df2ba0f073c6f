"""A whole street in one file: export_street → an empty installation → import_street, same figures."""

import importlib
import json
import zipfile
from datetime import date, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.utils import timezone

from xianfeng.archives.tests.factories import upload_scan
from xianfeng.assessment.models import StarRating
from xianfeng.assessment.tests.factories import rated
from xianfeng.cadres.services import add_reserve_cadre
from xianfeng.core.models import AuditLog
from xianfeng.development.tests.factories import start as start_development
from xianfeng.dues.services import record_payment, set_dues_basis
from xianfeng.elections.tests.factories import election_objects
from xianfeng.enterprise.testing import make_enterprise
from xianfeng.excel.street import VERSION, ArchiveError, import_street, read_archive
from xianfeng.grid.models import Grid, Household
from xianfeng.grid.testing import matrix_grid_objects
from xianfeng.instructors.tests.factories import instructor_objects
from xianfeng.learning import services as learning_services
from xianfeng.learning.tests.factories import course, questions, quiz
from xianfeng.meetings.compliance import compliance
from xianfeng.meetings.models import Attendance, Meeting
from xianfeng.meetings.rules import MeetingKind
from xianfeng.meetings.tests.factories import meeting
from xianfeng.members.models import Member
from xianfeng.orgs import services as org_services
from xianfeng.orgs.models import Organization, SeatPost
from xianfeng.orgs.stats import subtree_stats
from xianfeng.points import rankings
from xianfeng.points.models import PointEvent
from xianfeng.points.tests.factories import matrix_objects as points_objects
from xianfeng.resident_requests import services as request_services
from xianfeng.resident_requests.figures import request_figures
from xianfeng.resident_requests.models import ResidentRequest
from xianfeng.resident_requests.testing import make_category, make_request
from xianfeng.service import services as service_services
from xianfeng.service import volunteering
from xianfeng.service.tests.factories import project, unit
from xianfeng.tasks.tests.factories import brand, task
from xianfeng.testing import build_world
from xianfeng.transfers.tests.factories import matrix_objects as transfer_objects

ROOT = "S1"  # 北坦街道党工委 of the test world


def build_street(world):
    """Something of every module in 北坦街道 (world.street), through the services."""
    admin = world.users["admin"]
    today = timezone.localdate()
    branch = world.branch
    committee = org_services.start_committee(branch, elected_on=today, actor=admin)
    org_services.assign_seat(
        committee, world.member, SeatPost.SECRETARY, started_on=today, actor=admin
    )
    for months_ago in (1, 2):
        meeting(branch, MeetingKind.THEME_DAY, today - timedelta(days=30 * months_ago))
    upload_scan(world.member, actor=admin)
    start_development(world)
    add_reserve_cadre(branch, world.member, intended_post="村委委员", entered_on=today, actor=admin)
    task(world, milestones=[("节点", today)])
    brand(world, milestones=[("挂牌", today)])
    questions(world, 3, org=branch)
    qz = quiz(world, org=branch)
    learning_services.submit_attempt(learning_services.start_attempt(qz, world.member), {})
    course(world, org=branch)
    claim_project = project(world, slots=2)
    service_services.claim_project(claim_project, actor=None, member=world.member)
    service_services.register_check_in(branch, actor=None, unit=unit(), registered_on=today)
    volunteer = volunteering.register_volunteer(
        branch,
        actor=None,
        name="张三",
        phone="13900000000",
        registered_on=today,
        member=world.member,
    )
    activity = volunteering.publish_activity(
        branch,
        actor=None,
        title="清洁家园",
        place="社区",
        capacity=3,
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=2),
    )
    volunteering.sign_up(activity, volunteer, actor=None)
    make_enterprise(branch)
    election_objects(world)
    instructor_objects(world)
    matrix_grid_objects(world)
    rated(world)
    lamp = make_category(code="lamp")
    solved, accepted, _open = (make_request(organization=branch, category=lamp) for _ in range(3))
    request_services.accept_request(accepted, actor=admin)
    request_services.solve_request(solved, actor=admin, note="已修好")
    request_services.rate_request(ResidentRequest.objects.get(pk=solved.pk), rating=5)
    set_dues_basis(
        world.member, category="salaried", income=5000, from_month=date(2026, 1, 1), actor=admin
    )
    record_payment(
        world.member, date(2026, 1, 1), paid_on=date(2026, 1, 20), method="self", actor=admin
    )
    points_objects(world)
    transfer_objects(world)  # last: it moves members out of the branch


def figures(root):
    """What must survive: subtree stats, compliance, TOP10, stars, request rates, row counts."""
    today = timezone.localdate()
    under = root.path
    codes = dict(Organization.objects.values_list("pk", "code"))
    ids = dict(Member.objects.values_list("pk", "id_number"))
    statuses = compliance([root], today - timedelta(days=90), today, today).statuses
    requests = ResidentRequest.objects.filter(organization__path__startswith=under)
    return {
        "stats": subtree_stats(root),
        "compliance": {codes[pk]: row for pk, row in statuses.items()},
        "top": {
            key: [(ids[p.member_id], p.rank, p.total) for p in rankings.top(root, key)]
            for key in (f"{today:%Y-%m}", f"{today:%Y}", "2026-01", "2026")
        },
        "stars": sorted(
            (codes[s.organization_id], s.year, s.stars)
            for s in StarRating.objects.filter(organization__path__startswith=under)
        ),
        "requests": {
            k: v for k, v in request_figures(requests)["totals"].items() if not k.startswith("avg")
        },
        "members": sorted(
            Member.objects.filter(organization__path__startswith=under).values_list(
                "id_number", "phone", "name", "organization__code", "version"
            )
        ),
        "attendance": Attendance.objects.filter(
            meeting__organization__path__startswith=under
        ).count(),
        "meetings": Meeting.objects.filter(organization__path__startswith=under).count(),
        "points": sorted(
            PointEvent.objects.filter(organization__path__startswith=under).values_list(
                "member__id_number", "rule_code", "points", "booked_on"
            )
        ),
        "households": Household.objects.filter(grid__organization__path__startswith=under).count()
        + Household.objects.filter(grid__path__startswith=_grid_top(under)).count(),
    }


def _grid_top(under):
    top = Grid.objects.filter(organization__path__startswith=under).order_by("path").first()
    return top.path if top else "-"


def _seed_reference_rows():
    from xianfeng.testing import REFERENCE_SEEDS

    for module_name, function in REFERENCE_SEEDS:
        getattr(importlib.import_module(module_name), function)(apps, None)


def test_round_trip_into_an_empty_installation_gives_the_same_figures(
    transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "before"
    world = build_world()
    build_street(world)
    root = Organization.objects.get(code=ROOT)
    before = figures(root)
    assert before["meetings"] and before["attendance"] and before["points"] and before["stars"]
    archive = tmp_path / "s1.zip"
    out = StringIO()
    call_command(
        "export_street", ROOT, str(archive), "--personal-data", "--reason", "迁移", stdout=out
    )
    assert "含完整个人信息" in out.getvalue()
    log = AuditLog.objects.get(action="street.export")
    assert log.data["personal_data"] is True and log.data["reason"] == "迁移"
    manifest, _zip = read_archive(archive)
    assert manifest["version"] == VERSION and manifest["counts"]["members.member"] == len(
        before["members"]
    )
    assert manifest["files"] >= 2  # the archive scan and the claim's evidence

    call_command("flush", interactive=False, verbosity=0)
    _seed_reference_rows()
    assert not Organization.objects.exists()
    settings.MEDIA_ROOT = tmp_path / "after"
    call_command("import_street", str(archive), stdout=StringIO())

    root = Organization.objects.get(code=ROOT)
    after = figures(root)
    for key in before:
        assert after[key] == before[key], key
    assert AuditLog.objects.filter(action="street.import").count() == 1
    item = apps.get_model("archives", "ArchiveItem").objects.get()
    assert default_storage.open(item.file.name).read()[:4] == b"%PDF"


@pytest.fixture
def street(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lamp = make_category(code="lamp")
    make_request(organization=world.branch, category=lamp)
    meeting(world.branch, MeetingKind.THEME_DAY, timezone.localdate() - timedelta(days=3))
    return world


def test_without_the_flag_personal_numbers_stay_out(street, tmp_path):
    archive = tmp_path / "s1.zip"
    call_command("export_street", ROOT, str(archive), stdout=StringIO())
    body = json.loads(zipfile.ZipFile(archive).read("data/members.member.json"))
    columns = body["columns"]
    for row in body["rows"]:
        assert row[columns.index("id_number")] == "" and row[columns.index("phone")] == ""
    assert "id_number_hash" not in columns
    assert (
        street.member.id_number
        not in zipfile.ZipFile(archive).read("data/members.member.json").decode()
    )
    assert AuditLog.objects.get(action="street.export").data["personal_data"] is False
    with pytest.raises(CommandError, match="reason"):
        call_command("export_street", ROOT, str(archive), "--personal-data", stdout=StringIO())


def test_the_subtree_only_and_ids_remapped_under_a_parent(street, tmp_path):
    archive = tmp_path / "b1.zip"
    call_command(
        "export_street",
        "B1",
        str(archive),
        "--personal-data",
        "--reason",
        "演练",
        stdout=StringIO(),
    )
    names = set(_rows(archive, "orgs.organization", "name"))
    assert names == {"北关社区党支部", "第一党小组"}
    members = _rows(archive, "members.member", "name")
    assert "赵六" not in members and "王五" not in members
    # Same codes already here: refused, nothing written.
    count = Organization.objects.count()
    with pytest.raises(CommandError, match="本系统已有这些组织代码"):
        call_command("import_street", str(archive), "--parent", "S2", stdout=StringIO())
    assert Organization.objects.count() == count


def _rows(archive, table, column=None):
    body = json.loads(zipfile.ZipFile(archive).read(f"data/{table}.json"))
    if column is None:
        return body["rows"]
    return [row[body["columns"].index(column)] for row in body["rows"]]


def test_wrong_version_and_corrupt_files_are_refused_in_chinese(street, tmp_path):
    archive = tmp_path / "s1.zip"
    call_command("export_street", ROOT, str(archive), stdout=StringIO())
    source = zipfile.ZipFile(archive)

    def rewrite(name, change):
        target = tmp_path / name
        with zipfile.ZipFile(target, "w") as out:
            for member in source.namelist():
                out.writestr(member, change(member, source.read(member)))
        return target

    def newer(member, data):
        if member != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["version"] = VERSION + 1
        return json.dumps(manifest).encode()

    with pytest.raises(ArchiveError, match=f"格式版本为 {VERSION + 1}"):
        import_street(rewrite("newer.zip", newer))
    tampered = rewrite(
        "tampered.zip",
        lambda m, d: d.replace("北关".encode(), "南关".encode()) if m.startswith("data/") else d,
    )
    with pytest.raises(ArchiveError, match="校验值不符"):
        import_street(tampered)
    (tmp_path / "junk.zip").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(CommandError, match="不是先锋导出的街道数据包"):
        call_command("import_street", str(tmp_path / "junk.zip"), stdout=StringIO())
    with pytest.raises(CommandError, match="不存在"):
        call_command("import_street", str(archive), "--parent", "NOPE", stdout=StringIO())
    assert not Q()  # nothing else to clean


def test_without_personal_data_members_arrive_without_numbers(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    meeting(world.branch, MeetingKind.THEME_DAY, timezone.localdate() - timedelta(days=3))
    archive = tmp_path / "s1.zip"
    call_command("export_street", ROOT, str(archive), stdout=StringIO())
    names = sorted(
        Member.objects.filter(organization__path__startswith=world.street.path).values_list(
            "name", flat=True
        )
    )
    call_command("flush", interactive=False, verbosity=0)
    _seed_reference_rows()
    call_command("import_street", str(archive), stdout=StringIO())
    members = Member.objects.order_by("name")
    assert sorted(m.name for m in members) == names
    assert {(m.id_number, m.phone, m.id_number_hash) for m in members} == {("", "", None)}
    assert Attendance.objects.count() == Meeting.objects.get().attendances.count() > 0
