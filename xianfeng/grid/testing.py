"""Grid factories and a small grid world on top of xianfeng.testing.build_world.

Other apps' tests (e.g. resident requests) may import these.
"""

import itertools
from dataclasses import dataclass
from datetime import date

from xianfeng.orgs.models import Organization, OrgKind
from xianfeng.testing import make_member, make_org, make_user

from .models import CentralHousehold, Grid, GridKind, GridStaff, GridStaffRole
from .services import refresh_scope_orgs

_seq = itertools.count(1)


def make_grid(name, *, parent=None, kind=GridKind.GRID, code=None, organization=None, **fields):
    fields = {
        "name": name,
        "kind": kind,
        "code": code or f"GR{next(_seq):05d}",
        "organization": organization,
        **fields,
    }
    if parent is None:
        grid = Grid.objects.add_root(fields)
    else:
        parent.refresh_from_db()
        grid = Grid.objects.add_child(parent, fields)
    refresh_scope_orgs(grid)
    grid.refresh_from_db()
    return grid


def make_staff_role(district, code="grid_worker", name="专职网格员", **fields):
    role, _ = GridStaffRole.objects.get_or_create(
        district=district, code=code, defaults={"name": name, **fields}
    )
    return role


def make_staff(grid, role, name, *, user=None, member=None, **fields):
    fields.setdefault("started_on", date(2024, 1, 1))
    return GridStaff.objects.create(
        grid=grid,
        role=role,
        name=name,
        user=user,
        member=member,
        is_party_member=member is not None or fields.pop("is_party_member", False),
        **fields,
    )


@dataclass
class GridWorld:
    """瑞祥-like chain under world.street: 社区党总支 → 网格党支部 → 楼栋党小组.

    community ─ grid1 ─ building1 (central household: `central`)
              │       └ building2 (no org link, no central)
              └ grid2 (no org link)
    other_community sits in the other street. `worker` serves grid1 only.
    """

    general_branch: Organization
    grid_branch: Organization
    building_group: Organization
    community: Grid
    grid1: Grid
    grid2: Grid
    building1: Grid
    building2: Grid
    other_community: Grid
    central: CentralHousehold
    role: GridStaffRole
    worker: object
    worker_staff: GridStaff


def build_grid_world(world):
    general = make_org(
        "瑞祥社区党总支", parent=world.street, kind=OrgKind.GENERAL_BRANCH, code="GB1"
    )
    grid_branch = make_org("瑞祥社区第一网格党支部", parent=general, code="GB1-1")
    group = make_org("1号楼党小组", parent=grid_branch, kind=OrgKind.GROUP, code="GB1-1-1")
    community = make_grid("瑞祥社区", kind=GridKind.COMMUNITY, code="RX", organization=general)
    grid1 = make_grid("第一网格", parent=community, code="RX-01", organization=grid_branch)
    grid2 = make_grid("第二网格", parent=community, code="RX-02")
    building1 = make_grid(
        "1号楼", parent=grid1, kind=GridKind.BUILDING, code="RX-01-01", organization=group
    )
    building2 = make_grid("2号楼", parent=grid1, kind=GridKind.BUILDING, code="RX-01-02")
    other = make_grid(
        "十里堡村", kind=GridKind.VILLAGE, code="SLB", organization=world.other_branch
    )
    central_member = make_member(group, "赵美菊")
    central = CentralHousehold.objects.create(
        member=central_member, grid=building1, address="1号楼1单元101", households_served=12
    )
    role = make_staff_role(world.district)
    worker = make_user("grid_worker_rx", role="grid_worker", org=general)
    staff = make_staff(grid1, role, "姜君", user=worker)
    return GridWorld(
        general,
        grid_branch,
        group,
        community,
        grid1,
        grid2,
        building1,
        building2,
        other,
        central,
        role,
        worker,
        staff,
    )


def matrix_grid_objects(world):
    """Objects for tests/test_permission_matrix.py: a building under a community of `branch`.

    The world's grid_worker serves the community, so its grid pages answer 200 for that role.
    """
    from .models import Household

    community = make_grid("北关社区", kind=GridKind.COMMUNITY, organization=world.branch)
    building = make_grid("北关1号楼", parent=community, kind=GridKind.BUILDING)
    role = make_staff_role(world.district)
    staff = make_staff(community, role, "网格员", user=world.users["grid_worker"])
    central = CentralHousehold.objects.create(member=world.member, grid=building)
    household = Household.objects.create(grid=building, address="1单元101", head_name="王")
    return {
        "grid": building.pk,
        "grid_staff": staff.pk,
        "central": central.pk,
        "household": household.pk,
    }
