"""update_members: update_member's rules, history and audit for many members, in batches."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xianfeng.core.errors import DomainError
from xianfeng.core.management.commands.verify_audit import first_break
from xianfeng.core.models import AuditLog
from xianfeng.members.models import Member, Membership, MemberTag
from xianfeng.members.services import MemberChange, MemberRefused, update_members
from xianfeng.testing import make_member


def _changes(members, **fields):
    return [MemberChange(pk=m.pk, expected_version=m.version, fields=dict(fields)) for m in members]


def test_changes_fields_versions_counts_and_one_chained_audit_row_each(world):
    members = list(Member.objects.filter(organization=world.branch).order_by("pk"))
    admin = world.users["admin"]
    assert update_members(_changes(members, employer="新单位"), actor=admin) == 4
    for m in Member.objects.filter(organization=world.branch):
        assert (m.employer, m.version) == ("新单位", 1)
    logs = AuditLog.objects.filter(action="member.update").order_by("seq")
    assert [log.target_id for log in logs] == [str(m.pk) for m in members]
    assert logs[0].data["changes"]["employer"][1] == "新单位"
    assert logs[0].actor_username == "admin"
    assert first_break(AuditLog.objects.order_by("seq")) is None
    # Unchanged values write nothing and no audit row.
    fresh = list(Member.objects.filter(organization=world.branch))
    assert update_members(_changes(fresh, employer="新单位"), actor=admin) == 0


def test_query_count_does_not_grow_with_the_members(world):
    admin = world.users["admin"]
    for i in range(20):
        make_member(world.branch2, f"批量{i}")

    def cost(members, value):
        with CaptureQueriesContext(connection) as ctx:
            update_members(_changes(members, post=value), actor=admin)
        return len(ctx.captured_queries)

    few = list(Member.objects.filter(name__startswith="批量")[:2])
    many = list(Member.objects.filter(name__startswith="批量")[2:])
    assert cost(few, "甲") == cost(many, "乙")


def test_name_move_and_tags_keep_search_keys_history_and_counts(world):
    tag = MemberTag.objects.create(code="bulk-test", name="批量测试标签")
    zhang = world.member
    change = MemberChange(
        pk=zhang.pk,
        expected_version=zhang.version,
        fields={"name": "张叁"},
        organization=world.branch2,
        tags=[tag],
    )
    update_members([change], actor=world.users["admin"])
    zhang.refresh_from_db()
    assert (zhang.name_pinyin, zhang.organization_id) == ("zhangsan", world.branch2.pk)
    assert list(zhang.tags.all()) == [tag]
    open_rows = Membership.objects.filter(member=zhang, ended_on__isnull=True)
    assert [r.organization_id for r in open_rows] == [world.branch2.pk]
    world.branch.refresh_from_db()
    world.branch2.refresh_from_db()
    assert (world.branch.member_count, world.branch2.member_count) == (3, 2)
    log = AuditLog.objects.get(action="member.update")
    assert set(log.data["changes"]) == {"name", "organization", "tags"}


@pytest.mark.parametrize(
    ("fields", "reason"),
    [({"phone": "12"}, "手机号"), ({"joined_on": None}, "入党日期")],
)
def test_a_rule_broken_by_one_member_refuses_all(world, fields, reason):
    members = list(Member.objects.filter(organization=world.branch).order_by("pk"))
    changes = _changes(members, employer="新单位")
    changes[-1].fields.update(fields)
    with pytest.raises(MemberRefused) as caught:
        update_members(changes, actor=world.users["admin"])
    assert caught.value.pk == members[-1].pk and reason in str(caught.value)
    assert not Member.objects.filter(employer="新单位").exists()
    assert not AuditLog.objects.filter(action="member.update").exists()


def test_a_stale_version_refuses_all(world):
    members = list(Member.objects.filter(organization=world.branch).order_by("pk"))
    changes = _changes(members, employer="新单位")
    changes[0].expected_version += 1
    with pytest.raises(DomainError) as caught:
        update_members(changes, actor=world.users["admin"])
    assert caught.value.code == "stale"
    assert not Member.objects.filter(employer="新单位").exists()


def test_status_is_not_a_field_here(world):
    with pytest.raises(DomainError):
        update_members(_changes([world.member], status="lost"), actor=None)
