"""Organization import service: dependency order, codes, parents, scope, all-or-nothing."""

from datetime import date

from xianfeng.core.models import AuditLog
from xianfeng.excel.importers import OUT_OF_SCOPE, import_orgs
from xianfeng.excel.tests.xlsx import org_row, orgs_file
from xianfeng.orgs.models import Organization, OrgChange, OrgStatus


def run(world, tmp_path, rows, user="org_officer"):
    path = orgs_file(tmp_path / "orgs.xlsx", rows)
    return import_orgs(path, actor=world.users[user] if user else None)


def problems(outcome):
    return [(e["row"], e["column"], e["value"], e["reason"]) for e in outcome.errors]


def test_children_listed_before_their_parent_are_created_under_it(world, tmp_path):
    rows = [
        org_row(code="N3", name="第一党小组", kind="党小组", parent_code="N2"),
        org_row(code="N2", name="新建社区党支部", parent_code="N1", is_joint="是"),
        org_row(
            code="N1", name="新建党总支", kind="党总支", parent_code="S1", founded_on="2001-07-01"
        ),
    ]
    outcome = run(world, tmp_path, rows)
    assert outcome.ok and outcome.created == 3
    n1, n2, n3 = (Organization.objects.get(code=c) for c in ("N1", "N2", "N3"))
    world.street.refresh_from_db()
    parent = Organization.objects.get_parent
    assert (parent(n1), parent(n2), parent(n3)) == (world.street, n1, n2)
    assert (n1.kind, n1.founded_on, n2.is_joint, n3.kind) == (
        "general_branch",
        date(2001, 7, 1),
        True,
        "group",
    )
    assert OrgChange.objects.filter(kind="create", organization__in=[n1, n2, n3]).count() == 3
    assert AuditLog.objects.filter(action="excel.import_orgs").count() == 1


def test_every_problem_is_reported_and_nothing_is_written(world, tmp_path):
    rows = [
        org_row(code="N1"),
        org_row(code="N1", name="重复"),
        org_row(code="B1", name="已存在"),
        org_row(code="N4", parent_code="NOPE"),
        org_row(code="N5", parent_code="B3"),
        org_row(code="N6", parent_code=None),
        org_row(code="N7", parent_code="N8"),
        org_row(code="N8", parent_code="N7"),
        org_row(code="N9", parent_code="N9"),
        org_row(code="N10", kind="支部", domain="工厂", is_temporary="可能"),
        org_row(code=None, name=None),
    ]
    before = Organization.objects.count()
    outcome = run(world, tmp_path, rows)
    assert Organization.objects.count() == before
    assert problems(outcome) == [
        (2, "A", "N1", "组织代码与第3行重复"),
        (3, "A", "N1", "组织代码与第2行重复"),
        (4, "A", "B1", "组织代码已存在于系统中；如要更新已有组织，请选择“只更新”或“新增并更新”"),
        (5, "E", "NOPE", "上级组织代码不存在"),
        (6, "E", "B3", OUT_OF_SCOPE),
        (7, "E", "", "只有超级管理员可以导入顶级组织，请填写上级组织代码"),
        (8, "E", "N8", "上级组织关系形成循环"),
        (9, "E", "N7", "上级组织关系形成循环"),
        (10, "E", "N9", "上级组织不能是本组织"),
        (11, "D", "支部", "“支部”不是有效选项，应为：党委、党总支、党支部、党小组"),
        (
            11,
            "F",
            "工厂",
            "“工厂”不是有效选项，应为：农村、社区、机关、事业单位、国有企业、非公有制企业、社会组织、学校",
        ),
        (11, "G", "可能", "应填“是”或“否”"),
        (12, "A", "", "“组织代码”为必填项"),
        (12, "B", "", "“组织名称”为必填项"),
    ]


def test_superuser_may_import_a_root(world, tmp_path):
    outcome = run(
        world, tmp_path, [org_row(code="R1", kind="党委", parent_code=None)], user="admin"
    )
    assert outcome.ok
    assert Organization.objects.get(code="R1").depth == 1


def test_dissolved_parent_is_refused(world, tmp_path):
    world.branch2.status = OrgStatus.DISSOLVED
    world.branch2.save()
    outcome = run(world, tmp_path, [org_row(code="N1", kind="党小组", parent_code="B2")])
    assert problems(outcome) == [(2, "E", "B2", "上级组织已撤销")]


def test_parent_in_another_street_is_refused_for_its_officer(world, tmp_path):
    outcome = run(
        world, tmp_path, [org_row(code="N1", parent_code="S2")], user="committee_secretary"
    )
    assert problems(outcome) == [(2, "E", "S2", OUT_OF_SCOPE)]
    assert not Organization.objects.filter(code="N1").exists()
