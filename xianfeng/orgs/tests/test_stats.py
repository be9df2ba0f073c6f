from datetime import date, timedelta

import pytest
from django.utils import timezone

from xianfeng.members.models import Category, Gender, Member, MemberStatus
from xianfeng.members.services import refresh_org_counts
from xianfeng.orgs.models import Organization, OrgKind, OrgStatus
from xianfeng.orgs.stats import (
    subtree_breakdowns,
    subtree_stats,
    subtree_totals,
    years_before,
)
from xianfeng.testing import make_member, make_org


def direct_stats(org):
    members = Member.objects.active().filter(organization__path__startswith=org.path)
    orgs = Organization.objects.filter(path__startswith=org.path, status=OrgStatus.ACTIVE)
    return {
        "members": members.count(),
        "full_members": members.filter(category=Category.FULL).count(),
        "probationary_members": members.filter(category=Category.PROBATIONARY).count(),
        "committees": orgs.filter(kind=OrgKind.COMMITTEE).count(),
        "general_branches": orgs.filter(kind=OrgKind.GENERAL_BRANCH).count(),
        "branches": orgs.filter(kind=OrgKind.BRANCH).count(),
        "groups": orgs.filter(kind=OrgKind.GROUP).count(),
        "organizations": orgs.count(),
    }


def test_street_totals(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        stats = subtree_stats(world.street)
    assert stats == {
        "members": 5,
        "full_members": 4,
        "probationary_members": 1,
        "committees": 1,
        "general_branches": 0,
        "branches": 2,
        "groups": 1,
        "organizations": 4,
    }


@pytest.mark.parametrize("name", ["district", "street", "branch", "group", "other_street"])
def test_matches_a_direct_count(world, name):
    make_member(world.group, "组员", category=Category.PROBATIONARY)
    make_member(world.branch2, "失联", status=MemberStatus.LOST_CONTACT)
    make_member(world.branch2, "已故", status=MemberStatus.DECEASED)
    gb = make_org("总支", parent=world.street, kind=OrgKind.GENERAL_BRANCH)
    make_org("撤销支部", parent=gb, status=OrgStatus.DISSOLVED)
    org = getattr(world, name)
    org.refresh_from_db()
    assert subtree_stats(org) == direct_stats(org)


def test_dissolved_orgs_not_counted(world):
    world.branch2.status = OrgStatus.DISSOLVED
    world.branch2.save()
    assert subtree_stats(world.street)["branches"] == 1


def test_subtree_totals_one_query_for_mixed_depths(world, django_assert_num_queries):
    make_member(world.group, "组员")
    orgs = [world.district, world.street, world.branch, world.branch2, world.group]
    with django_assert_num_queries(1):
        totals = subtree_totals(orgs)
    assert totals[world.district.pk] == (7, 6)
    assert totals[world.street.pk] == (6, 5)
    assert totals[world.branch.pk] == (5, 5)
    assert totals[world.group.pk] == (1, 1)


def test_breakdowns_one_query(world, django_assert_num_queries):
    today = timezone.localdate()
    with django_assert_num_queries(2):  # the watermark day and the subtree's rollup rows
        charts = subtree_breakdowns(world.street, today=today)
    as_dict = {chart: {row["name"]: row["value"] for row in rows} for chart, rows in charts.items()}
    assert as_dict["gender"] == {"男": 2, "女": 3}
    assert as_dict["category"] == {"正式党员": 4, "预备党员": 1}
    assert as_dict["status"] == {"正常": 5, "失联": 0, "留党察看": 0, "留置": 0, "逮捕": 0}
    assert sum(as_dict["age"].values()) == 5
    assert sum(as_dict["education"].values()) == 5
    assert sum(as_dict["party_age"].values()) == 5
    # 王五 is probationary: no 党龄 yet (党章 第七条).
    assert as_dict["party_age"]["无党龄（预备党员或缺转正日期）"] == 1


def test_age_band_edges(world):
    branch = make_org("边界支部", parent=world.street)
    today = date(2024, 2, 29)
    for years in (30, 31, 70, 71):
        make_member(branch, f"满{years}岁", born=years_before(today, years))
    make_member(branch, "差一天满31", born=years_before(today, 31) + timedelta(days=1))
    ages = {r["name"]: r["value"] for r in subtree_breakdowns(branch, today=today)["age"]}
    assert ages == {
        "30岁及以下": 2,
        "31-40岁": 1,
        "41-50岁": 0,
        "51-60岁": 0,
        "61-70岁": 1,
        "70岁以上": 1,
    }


def test_party_age_band_edges(world):
    branch = make_org("党龄支部", parent=world.street)
    today = date(2025, 7, 1)
    for years in (4, 5, 10, 11, 50, 51):
        confirmed = years_before(today, years)
        joined = years_before(confirmed, 1)
        make_member(branch, gender=Gender.FEMALE, joined_on=joined, confirmed_on=confirmed)
    # Admitted 60 years ago but still probationary on paper: no 党龄 (党章 第七条).
    make_member(branch, joined_on=years_before(today, 60), category=Category.PROBATIONARY)
    bands = {r["name"]: r["value"] for r in subtree_breakdowns(branch, today=today)["party_age"]}
    assert bands == {
        "不满5年": 1,
        "5-10年": 2,
        "11-20年": 1,
        "21-30年": 0,
        "31-50年": 1,
        "50年以上": 1,
        "无党龄（预备党员或缺转正日期）": 1,
    }


def test_counts_follow_member_writes(world):
    member = Member.objects.get(name="张三")
    Member.objects.filter(pk=member.pk).update(status=MemberStatus.MOVED_OUT)
    refresh_org_counts([world.branch.pk])
    assert subtree_stats(world.street)["members"] == direct_stats(world.street)["members"] == 4
