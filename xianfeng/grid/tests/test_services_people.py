from datetime import date, timedelta

import pytest
from django.utils import timezone

from xianfeng.core.errors import DomainError
from xianfeng.core.events import point_event
from xianfeng.grid import services_people as people
from xianfeng.grid.models import CareTag, GridStaffRole, ServiceActivity, Visit
from xianfeng.grid.services import create_grid, update_grid
from xianfeng.orgs.models import Organization


def test_staff_member_counts_as_party(world, gw):
    staff = people.add_staff(
        gw.grid2,
        role=gw.role,
        name="张三",
        member=world.member,
        started_on=date(2024, 3, 1),
        actor=None,
    )
    assert staff.is_party_member
    outside = people.add_staff(
        gw.grid2,
        role=gw.role,
        name="外区党员",
        is_party_member=True,
        started_on=date(2024, 3, 1),
        actor=None,
    )
    assert outside.is_party_member and outside.member is None
    plain = people.add_staff(
        gw.grid2, role=gw.role, name="群众", started_on=date(2024, 3, 1), actor=None
    )
    assert not plain.is_party_member


def test_role_of_another_district_is_refused(world, gw):
    other = Organization.objects.add_root({"name": "外区", "code": "XD", "kind": "committee"})
    role = GridStaffRole.objects.create(district=other, code="member", name="网格员")
    with pytest.raises(DomainError, match="不属于本网格所在区"):
        people.add_staff(gw.grid2, role=role, name="甲", started_on=date(2024, 1, 1), actor=None)


def test_end_staff_twice_is_refused(gw):
    people.end_staff(gw.worker_staff, ended_on=timezone.localdate(), actor=None)
    with pytest.raises(DomainError, match="已于"):
        people.end_staff(gw.worker_staff, ended_on=timezone.localdate(), actor=None)


def test_central_household_once_per_member_and_zone(world, gw):
    with pytest.raises(DomainError, match="已是"):
        people.add_central_household(gw.building1, gw.central.member, actor=None)
    with pytest.raises(DomainError, match="只能设在"):
        people.add_central_household(gw.community, world.member, actor=None)


def test_household_tags_replace(gw):
    h = people.save_household(
        gw.building1,
        actor=None,
        address="1单元101",
        head_name="王奶奶",
        tags=[CareTag.ALONE, CareTag.ELDERLY],
    )
    people.save_household(
        gw.building1,
        household=h,
        actor=None,
        address="1单元101",
        head_name="王奶奶",
        tags=[CareTag.ELDERLY, CareTag.LOW_INCOME],
    )
    assert sorted(h.tags.values_list("tag", flat=True)) == ["elderly", "low_income"]
    with pytest.raises(DomainError, match="已登记门牌"):
        people.save_household(gw.building1, actor=None, address="1单元101", head_name="重复")
    with pytest.raises(DomainError, match="未知标签"):
        people.save_household(gw.building1, actor=None, address="2", head_name="x", tags=["vip"])


def test_visit_double_submit_records_once(gw):
    h = people.save_household(gw.building1, actor=None, address="3单元", head_name="荆永义")
    kwargs = {
        "visited_on": timezone.localdate(),
        "visitor_name": "荆广伦",
        "found": "房屋漏水",
        "key": "k1",
        "actor": None,
    }
    first = people.record_visit(h, **kwargs)
    again = people.record_visit(h, **kwargs)
    assert first.pk == again.pk and Visit.objects.count() == 1
    with pytest.raises(DomainError, match="不能晚于今天"):
        people.record_visit(
            h, **{**kwargs, "key": "k2", "visited_on": timezone.localdate() + timedelta(days=1)}
        )


def test_activity_sends_points_and_is_idempotent(world, gw, django_capture_on_commit_callbacks):
    seen = []

    def listener(sender, **kw):
        seen.append((kw["member"].name, kw["rule_code"]))

    point_event.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            a = people.record_activity(
                gw.grid1,
                title="义诊",
                kind="service",
                held_on=timezone.localdate(),
                members=[gw.central.member],
                key="abc",
                residents_served=30,
                actor=None,
            )
            b = people.record_activity(
                gw.grid1,
                title="义诊",
                kind="service",
                held_on=timezone.localdate(),
                members=[gw.central.member],
                key="abc",
                actor=None,
            )
    finally:
        point_event.disconnect(listener)
    assert a.pk == b.pk and ServiceActivity.objects.count() == 1
    assert seen == [("赵美菊", "service.activity")]


def test_grid_nesting_and_geometry(world, gw):
    with pytest.raises(DomainError, match="户只能设在楼栋或片区之下"):
        create_grid(gw.grid1, code="X1", name="户", kind="household", actor=None)
    with pytest.raises(DomainError, match="GeoJSON"):
        create_grid(
            gw.grid1, code="X2", name="楼", kind="building", geometry={"type": "Line"}, actor=None
        )
    with pytest.raises(DomainError, match="经度"):
        create_grid(
            gw.grid1,
            code="X3",
            name="楼",
            kind="building",
            geometry={"type": "Point", "coordinates": [200, 37]},
            actor=None,
        )
    with pytest.raises(DomainError, match="已被使用"):
        create_grid(gw.grid1, code="RX-01-01", name="楼", kind="building", actor=None)
    point = {"type": "Point", "coordinates": [121.33, 37.62]}
    grid = create_grid(
        gw.grid1, code="X4", name="3号楼", kind="building", geometry=point, actor=None
    )
    assert grid.scope_org == gw.grid_branch and grid.geometry == point
    with pytest.raises(DomainError, match="该单元下设有"):
        update_grid(gw.grid1, kind="building", actor=None)


def test_an_activity_books_every_member_in_a_fixed_number_of_queries(world, gw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xianfeng.members.models import Member
    from xianfeng.points.models import PointEvent
    from xianfeng.testing import make_member

    for _ in range(4):
        make_member(world.branch)
    members = list(Member.objects.active().filter(organization=world.branch).order_by("pk"))
    counts = []
    # Two members (warming the rules' cache), two others, then the four last: none of them
    # has a point total yet.
    for group, title in ((members[:2], "义诊"), (members[2:4], "清扫"), (members[4:], "宣讲")):
        group = [Member.objects.get(pk=m.pk) for m in group]
        with CaptureQueriesContext(connection) as queries:
            activity = people.record_activity(
                gw.grid1,
                title=title,
                kind="service",
                held_on=timezone.localdate(),
                members=group,
                actor=None,
            )
        counts.append(len(queries))
        booked = PointEvent.objects.filter(rule_code="service.activity", member__in=group)
        assert booked.count() == len(group) and activity.members.count() == len(group)
    assert len(members) == 8 and counts[1] == counts[2]
