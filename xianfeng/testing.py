"""Factories and the standing test world shared by every app's tests."""

import itertools
import threading
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from xianfeng.accounts.models import RoleGrant, User
from xianfeng.accounts.roles import Role
from xianfeng.core.dates import add_years
from xianfeng.core.errors import DomainError
from xianfeng.members.idcard import make_id_number
from xianfeng.members.models import Category, Gender, Member, Membership
from xianfeng.members.services import refresh_org_counts
from xianfeng.orgs.models import Domain, Organization, OrgKind

PASSWORD = "test-pass-123"
_seq = itertools.count(1)

# The fixed field-encryption key of the test suite (base64 of 32 bytes).
FIELD_TEST_KEY = "eGlhbmZlbmctdGVzdC1maWVsZC1rZXktMzItYnl0ZXM="


def make_org(name, *, parent=None, kind=OrgKind.BRANCH, code=None, **fields):
    fields = {"name": name, "kind": kind, "code": code or f"T{next(_seq):06d}", **fields}
    fields.setdefault("domain", Domain.COMMUNITY)
    if parent is None:
        return Organization.objects.add_root(fields)
    parent.refresh_from_db()
    return Organization.objects.add_child(parent, fields)


def make_member(org, name=None, *, born=date(1980, 5, 17), gender=Gender.MALE, **fields):
    n = next(_seq)
    sequence = (n * 2 + (1 if gender == Gender.MALE else 0)) % 1000
    fields.setdefault("id_number", make_id_number("370105", born, sequence))
    fields.setdefault("joined_on", date(born.year + 22, 7, 1))
    fields.setdefault("category", Category.FULL)
    if fields["category"] == Category.FULL:
        fields.setdefault("confirmed_on", add_years(fields["joined_on"], 1))
    fields.setdefault("phone", f"139{n:08d}")
    member = Member.objects.create(
        name=name or f"党员{n}", gender=gender, birth_date=born, organization=org, **fields
    )
    Membership.objects.create(member=member, organization=org, started_on=member.joined_on)
    refresh_org_counts([org.pk])
    return member


def make_user(username, *, role=None, org=None, member=None, superuser=False):
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        member=member,
        is_superuser=superuser,
        is_staff=superuser,
    )
    if role:
        RoleGrant.objects.create(user=user, organization=org, role=role)
    return user


@dataclass
class World:
    """Two streets under one district; users for every role, an outsider in the other street."""

    district: Organization
    street: Organization
    branch: Organization
    branch2: Organization
    group: Organization
    other_street: Organization
    other_branch: Organization
    member: Member
    other_member: Member
    users: dict


def build_world():
    district = make_org("天桥区委", kind=OrgKind.COMMITTEE, code="D1")
    street = make_org("北坦街道党工委", parent=district, kind=OrgKind.COMMITTEE, code="S1")
    branch = make_org("北关社区党支部", parent=street, code="B1")
    group = make_org("第一党小组", parent=branch, kind=OrgKind.GROUP, code="G1")
    branch2 = make_org("北坦社区党支部", parent=street, code="B2")
    other_street = make_org("郭店街道党工委", parent=district, kind=OrgKind.COMMITTEE, code="S2")
    other_branch = make_org("十里堡村党支部", parent=other_street, code="B3", domain=Domain.RURAL)
    member = make_member(branch, "张三", phone="13912345678")
    for i in range(3):
        make_member(
            branch,
            f"李{'四五六'[i]}",
            gender=Gender.FEMALE,
            born=date(1990, 1, 1) + timedelta(days=i),
        )
    make_member(
        branch2,
        "王五",
        category=Category.PROBATIONARY,
        joined_on=timezone.localdate() - timedelta(days=100),
    )
    other_member = make_member(other_branch, "赵六")
    users = {
        "admin": make_user("admin", superuser=True),
        "street_admin": make_user("street_admin", role=Role.STREET_ADMIN, org=street),
        "committee_secretary": make_user(
            "committee_secretary", role=Role.COMMITTEE_SECRETARY, org=street
        ),
        "branch_secretary": make_user("branch_secretary", role=Role.BRANCH_SECRETARY, org=branch),
        "org_officer": make_user("org_officer", role=Role.ORG_OFFICER, org=street),
        "grid_worker": make_user("grid_worker", role=Role.GRID_WORKER, org=branch),
        "observer": make_user("observer", role=Role.OBSERVER, org=street),
        "member": make_user("member", member=member),
        "outsider": make_user("outsider", role=Role.BRANCH_SECRETARY, org=other_branch),
    }
    return World(
        district,
        street,
        branch,
        branch2,
        group,
        other_street,
        other_branch,
        member,
        other_member,
        users,
    )


needs_pg = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need a server database"
)


def in_threads(*jobs, report="code"):
    """Run the jobs at the same moment, each on its own connection; return their outcomes
    (a job's return value, or the `report` attribute — code or message — of the DomainError
    it raised)."""
    barrier = threading.Barrier(len(jobs))
    outcomes = []

    def run(job):
        try:
            barrier.wait()
            outcomes.append(job())
        except DomainError as exc:
            outcomes.append(getattr(exc, report))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def browser_log_in(page, base, username, password=PASSWORD):
    """Log a Playwright page in through the real login form."""
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


# A value that Excel would run as a formula if an export wrote it as one.
FORMULA_TEXT = '=HYPERLINK("http://evil.example/","点我")'


def assert_safe_and_printable(sheet, text=FORMULA_TEXT, *, header_row=1):
    """The cell holding `text` is plain text (quote prefix, no formula), and the sheet prints."""
    cells = [c for row in sheet.iter_rows() for c in row if c.value == text]
    assert cells, f"{text!r} not found in {sheet.title}"
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert_printable(sheet, header_row=header_row)


def assert_printable(sheet, *, header_row=1):
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.oddHeader.center.text and "导出日期" in sheet.oddHeader.right.text
    assert all(sheet.column_dimensions[c].width for c in "AB")


REFERENCE_SEEDS = (
    # (migration module, function): the rows data migrations seed, which a transactional test
    # (browser tests, live servers) loses when the tables are emptied after the test before it.
    ("xianfeng.points.migrations.0002_catalogue_and_guards", "seed"),
    (
        "xianfeng.points.migrations.0003_rules_per_hour_and_street_overrides",
        "per_hour_and_new_codes",
    ),
    ("xianfeng.core.migrations.0003_seed_working_calendar_2025_2026", "seed"),
    ("xianfeng.members.migrations.0004_standard_tags", "add_tags"),
)
