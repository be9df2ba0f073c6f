"""Member import service: every row problem reported at once, all-or-nothing, scoped."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from xianfeng.core.models import AuditLog
from xianfeng.excel.importers import OUT_OF_SCOPE, import_members
from xianfeng.excel.tests.xlsx import member_row, members_file
from xianfeng.members.models import Member, Membership, MemberTag
from xianfeng.orgs.models import OrgStatus


def run(world, tmp_path, rows, user="org_officer"):
    path = members_file(tmp_path / "members.xlsx", rows)
    return import_members(path, actor=world.users[user] if user else None)


def problems(outcome):
    return [(e["row"], e["column"], e["header"], e["value"], e["reason"]) for e in outcome.errors]


def test_valid_rows_are_written_with_search_keys_memberships_tags_and_counts(world, tmp_path):
    MemberTag.objects.get_or_create(name="流动党员", defaults={"code": "x-mobile"})
    MemberTag.objects.get_or_create(name="困难党员", defaults={"code": "x-hardship"})
    rows = [
        member_row(name="張小紅", tags="流动党员，困难党员", org_code="B2"),
        member_row(
            name="李明", gender=None, birth_date=None, category="预备党员", confirmed_on=None
        ),
    ]
    world.branch2.refresh_from_db()
    before = world.branch2.member_count
    outcome = run(world, tmp_path, rows)
    assert outcome.ok and outcome.created == 2
    zhang = Member.objects.get(id_number=rows[0]["id_number"])
    assert zhang.name == "张小红" and zhang.name_initials == "zxh"
    assert zhang.id_number == rows[0]["id_number"] and zhang.phone.endswith("1111")
    assert sorted(zhang.tags.values_list("name", flat=True)) == ["困难党员", "流动党员"]
    assert Membership.objects.get(member=zhang, ended_on__isnull=True).organization == world.branch2
    li = Member.objects.get(id_number=rows[1]["id_number"])
    assert (li.gender, li.birth_date, li.category) == ("F", date(1985, 3, 9), "probationary")
    world.branch2.refresh_from_db()
    assert world.branch2.member_count == before + 1
    assert AuditLog.objects.filter(action="excel.import_members").count() == 1


def test_every_problem_is_reported_and_nothing_is_written(world, tmp_path):
    today = timezone.localdate()
    good = member_row()
    future_born = today + timedelta(days=30)
    rows = [
        good,
        member_row(id_number="110105194912310021"),  # bad checksum
        member_row(id_number="11010519491231002"),  # bad format
        member_row(id_number="370105198502300000"),  # 30 February
        member_row(birth_date=date(1985, 3, 10)),  # birth date differs from the ID
        member_row(gender="男"),  # gender differs from the ID (even sequence = female)
        member_row(id_number=good["id_number"]),  # duplicate of row 2
        member_row(id_number=world.member.id_number, gender=None, birth_date=None),  # in the DB
        member_row(org_code="NOPE"),
        member_row(org_code="B3"),  # another street
        member_row(joined_on=today + timedelta(days=1), confirmed_on=None),
        member_row(born=date(2000, 6, 1), joined_on=date(2018, 5, 31), confirmed_on=None),
        member_row(born=future_born, birth_date=future_born),
        member_row(education="博士"),
        member_row(tags="不存在的标签"),
    ]
    members_before = Member.objects.count()
    outcome = run(world, tmp_path, rows)
    assert not outcome.ok and outcome.created == 0
    assert Member.objects.count() == members_before
    assert not AuditLog.objects.filter(action="excel.import_members").exists()
    dup = good["id_number"]
    assert problems(outcome) == [
        (2, "B", "身份证号", dup, "身份证号与第8行重复"),
        (3, "B", "身份证号", "110105194912310021", "身份证号校验位错误"),
        (4, "B", "身份证号", "11010519491231002", "身份证号应为18位，前17位为数字，末位为数字或X"),
        (5, "B", "身份证号", rows[3]["id_number"], "身份证号中的出生日期无效"),
        (6, "E", "出生日期", "1985-03-10", "出生日期与身份证号不一致(身份证为 1985-03-09)"),
        (7, "C", "性别", "男", "性别与身份证号不一致"),
        (8, "B", "身份证号", dup, "身份证号与第2行重复"),
        (
            9,
            "B",
            "身份证号",
            world.member.id_number,
            "身份证号已存在于系统中；如要更新已有党员，请选择“只更新”或“新增并更新”",
        ),
        (10, "P", "所在组织代码", "NOPE", "组织代码不存在"),
        (11, "P", "所在组织代码", "B3", OUT_OF_SCOPE),
        (12, "L", "入党日期", f"{today + timedelta(days=1):%Y-%m-%d}", "入党日期不能晚于今天"),
        (13, "L", "入党日期", "2018-05-31", "入党时应年满18周岁(出生日期 2000-06-01)"),
        (14, "B", "身份证号", rows[12]["id_number"], "身份证号中的出生日期无效"),
        (14, "E", "出生日期", f"{future_born:%Y-%m-%d}", "出生日期不能晚于今天"),
        (
            15,
            "G",
            "学历",
            "博士",
            "“博士”不是有效选项，应为：研究生、大学本科、大学专科、中专、高中、初中及以下",
        ),
        (16, "Q", "标签", "不存在的标签", "未知标签：不存在的标签"),
    ]
    assert {e["sheet"] for e in outcome.errors} == {"党员"}


def test_one_bad_row_among_many_writes_nothing(world, tmp_path):
    rows = [member_row() for _ in range(30)]
    rows[17]["id_number"] = rows[17]["id_number"][:-1] + (
        "0" if rows[17]["id_number"][-1] != "0" else "1"
    )
    outcome = run(world, tmp_path, rows)
    assert [e["row"] for e in outcome.errors] == [19]
    assert not Member.objects.filter(id_number__in=[r["id_number"] for r in rows]).exists()


def test_importing_into_another_streets_org_is_refused(world, tmp_path):
    outcome = run(world, tmp_path, [member_row(org_code="B3")], user="committee_secretary")
    assert problems(outcome)[0][-1] == OUT_OF_SCOPE
    assert not Member.objects.filter(organization=world.other_branch, name="测试党员").exists()


def test_dissolved_org_is_refused(world, tmp_path):
    world.branch2.status = OrgStatus.DISSOLVED
    world.branch2.save()
    outcome = run(world, tmp_path, [member_row(org_code="B2")])
    assert problems(outcome)[0][-1] == "该组织已撤销，不能导入党员"


@pytest.mark.parametrize("user", ["branch_secretary", "observer"])
def test_roles_without_import_permission_have_no_scope(world, tmp_path, user):
    outcome = run(world, tmp_path, [member_row(org_code="B1")], user=user)
    assert problems(outcome)[0][-1] == OUT_OF_SCOPE


def test_duplicate_checks_use_one_query_per_chunk(
    world, tmp_path, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr("xianfeng.excel.importers.CHUNK", 10)
    monkeypatch.setattr("xianfeng.excel.importers.BATCH", 10)
    rows = [member_row() for _ in range(35)]
    path = members_file(tmp_path / "m.xlsx", rows)
    # 4 id chunks + 1 org + 1 tag query; 4 batches × 2 inserts (+ tags skipped when empty);
    # counts (1 select + 1 update), audit, savepoints; the dues and archive rollups' re-count
    # of the organization (about 7 statements each, whatever the number of rows).
    with django_assert_max_num_queries(46 + (connection.vendor == "postgresql")):  # audit lock
        outcome = import_members(path, actor=world.users["admin"])
    assert outcome.created == 35
