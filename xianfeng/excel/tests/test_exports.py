"""Exports: scope, masking per role, filters, audit, and the round trip back through import."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xianfeng.core.models import AuditLog
from xianfeng.excel.columns import MEMBER_SPEC, ORG_SPEC
from xianfeng.excel.importers import import_members, import_orgs
from xianfeng.members.models import Member
from xianfeng.orgs.models import Organization
from xianfeng.testing import FORMULA_TEXT, assert_safe_and_printable, make_member, make_org


def sheet_rows(response, sheet):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book[sheet].iter_rows(values_only=True))
    return rows[0], rows[1:]


def by_header(header, rows, name):
    index = [h.rstrip("*") for h in header].index(name)
    return [row[index] for row in rows]


def test_observer_export_is_scoped_and_masked(world, login):
    response = login(world.users["observer"]).get(reverse("excel:export_members"))
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    header, rows = sheet_rows(response, "党员")
    assert header[0] == "姓名*" and len(header) == len(MEMBER_SPEC.columns)
    names = by_header(header, rows, "姓名")
    assert "张三" in names and "赵六" not in names and len(names) == 5
    ids = by_header(header, rows, "身份证号")
    assert all("*" in i for i in ids)
    assert "13912345678" not in by_header(header, rows, "手机号")
    log = AuditLog.objects.get(action="excel.export_members")
    assert (log.data["rows"], log.data["masked"], log.data["masked_rows"]) == (5, True, 5)
    assert log.actor == world.users["observer"]


def test_secretary_export_is_masked_unless_asked_with_a_reason(world, login):
    client = login(world.users["committee_secretary"])
    url = reverse("excel:export_members")
    header, rows = sheet_rows(client.get(url, {"category": "probationary"}), "党员")
    assert by_header(header, rows, "姓名") == ["王五"]
    assert "*" in by_header(header, rows, "身份证号")[0]
    assert client.get(url, {"category": "probationary", "unmasked": "1"}).status_code == 400
    response = client.get(url, {"category": "probationary", "unmasked": "1", "reason": "换届"})
    header, rows = sheet_rows(response, "党员")
    assert by_header(header, rows, "党员类别") == ["预备党员"]
    assert "*" not in by_header(header, rows, "身份证号")[0]
    log = AuditLog.objects.filter(action="excel.export_members").latest("pk")
    assert log.data["filters"] == {"category": "probationary", "unmasked": "1"}
    assert (log.data["rows"], log.data["unmasked_rows"], log.data["reason"]) == (1, 1, "换届")


def test_outsider_sees_only_their_branch(world, login):
    # outsider is a branch secretary (export allowed) in the other street.
    response = login(world.users["outsider"]).get(
        reverse("excel:export_members"), {"org": world.branch.pk}
    )
    _header, rows = sheet_rows(response, "党员")
    assert rows == []


@pytest.mark.parametrize("user", ["grid_worker", "member"])
def test_export_needs_permission(world, login, user):
    assert login(world.users[user]).get(reverse("excel:export_members")).status_code == 403


def test_invalid_filter_is_refused(world, login):
    response = login(world.users["observer"]).get(
        reverse("excel:export_members"), {"category": "x"}
    )
    assert response.status_code == 400


def test_export_queries_do_not_grow_with_rows(world, login, django_assert_max_num_queries):
    for _ in range(20):
        make_member(world.branch2)
    client = login(world.users["committee_secretary"])
    # 9 for the export (a count decides whether it runs here or on the worker), 4 for
    # chaining its audit row (savepoint, chain lock, last row; PostgreSQL's lock is one more).
    with django_assert_max_num_queries(13):
        response = client.get(reverse("excel:export_members"))
        _header, rows = sheet_rows(response, "党员")
    assert len(rows) == 25


def test_org_export_of_a_subtree_in_scope(world, login):
    client = login(world.users["observer"])
    response = client.get(reverse("excel:export_orgs"), {"org": world.branch.pk})
    header, rows = sheet_rows(response, "党组织")
    assert by_header(header, rows, "组织代码") == ["B1", "G1"]
    assert by_header(header, rows, "上级组织代码") == ["S1", "B1"]
    assert by_header(header, rows, "组织类别") == ["党支部", "党小组"]
    assert (
        client.get(reverse("excel:export_orgs"), {"org": world.other_branch.pk}).status_code == 404
    )
    whole = client.get(reverse("excel:export_orgs"))
    _h, rows = sheet_rows(whole, "党组织")
    assert [r[0] for r in rows] == ["S1", "B1", "G1", "B2"]


def save(response, path):
    path.write_bytes(b"".join(response.streaming_content))
    return path


def rewrite(path, sheet, column_header, mapping):
    book = load_workbook(path)
    ws = book[sheet]
    index = [c.value.rstrip("*") for c in ws[1]].index(column_header) + 1
    for row in range(2, ws.max_row + 1):
        cell = ws.cell(row=row, column=index)
        cell.value = mapping(cell.value)
    book.save(path)


def member_snapshot(members):
    fields = [c.key for c in MEMBER_SPEC.columns if c.key not in ("org_code", "tags")]
    return sorted(
        (tuple(getattr(m, f) for f in fields), tuple(sorted(t.name for t in m.tags.all())))
        for m in members
    )


def test_member_round_trip(world, login, tmp_path):
    tag = world.member.tags.model.objects.create(code="rt", name="往返测试")
    world.member.tags.add(tag)
    Member.objects.filter(pk=world.member.pk).update(
        education="bachelor", confirmed_on="2006-07-01"
    )
    # The standing world admits some members at 15; the import (rightly) refuses that.
    Member.objects.filter(birth_date__year=1990).update(joined_on="2010-07-01")
    originals = Member.objects.filter(organization=world.branch).prefetch_related("tags")
    before = member_snapshot(originals)
    response = login(world.users["committee_secretary"]).get(
        reverse("excel:export_members"), {"org": world.branch.pk, "unmasked": "1", "reason": "迁移"}
    )
    path = save(response, tmp_path / "export.xlsx")
    fresh = make_org("新支部", parent=world.street, code="FRESH")
    Member.objects.filter(organization__path__startswith=world.branch.path).delete()
    rewrite(path, "党员", "所在组织代码", lambda _code: "FRESH")
    outcome = import_members(path, actor=world.users["committee_secretary"])
    assert outcome.ok, outcome.errors
    imported = Member.objects.filter(organization=fresh).prefetch_related("tags")
    assert member_snapshot(imported) == before


def test_org_round_trip(world, login, tmp_path):
    make_org("第二党小组", parent=world.branch, kind="group", code="G2", is_temporary=True)
    response = login(world.users["admin"]).get(
        reverse("excel:export_orgs"), {"org": world.branch.pk}
    )
    path = save(response, tmp_path / "orgs.xlsx")
    rewrite(path, "党组织", "组织代码", lambda code: f"X{code}")
    rewrite(path, "党组织", "上级组织代码", lambda code: "S1" if code == "S1" else f"X{code}")
    outcome = import_orgs(path, actor=world.users["org_officer"])
    assert outcome.ok, outcome.errors
    fields = [c.key for c in ORG_SPEC.columns if c.key not in ("code", "parent_code")]

    def shape(root):
        subtree = Organization.objects.filter(path__startswith=root.path).order_by("path")
        return [(o.depth - root.depth, *(getattr(o, f) for f in fields)) for o in subtree]

    world.branch.refresh_from_db()
    copy = Organization.objects.get(code="XB1")
    assert shape(copy) == shape(world.branch)
    assert Organization.objects.get_parent(copy) == world.street


def test_member_and_org_exports_write_formula_text_as_text_and_print(world, login, tmp_path):
    Member.objects.filter(pk=world.member.pk).update(name=FORMULA_TEXT, employer="-1+1")
    Organization.objects.filter(pk=world.branch.pk).update(name=FORMULA_TEXT)
    client = login(world.users["committee_secretary"])
    response = client.get(reverse("excel:export_members"), {"org": world.branch.pk})
    path = save(response, tmp_path / "members.xlsx")
    sheet = load_workbook(path)["党员"]
    assert_safe_and_printable(sheet)
    assert_safe_and_printable(sheet, "-1+1")
    assert sheet.oddHeader.center.text == "党员名册"
    assert sheet.page_setup.orientation == "landscape"
    joined = [c for c in sheet[1] if c.value == "入党日期*"][0].column
    assert sheet.cell(2, joined).is_date
    response = client.get(reverse("excel:export_orgs"), {"org": world.branch.pk})
    assert_safe_and_printable(load_workbook(save(response, tmp_path / "orgs.xlsx"))["党组织"])
