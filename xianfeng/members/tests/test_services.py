from datetime import date, timedelta

import pytest
from django.utils import timezone

from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog
from xianfeng.members import services
from xianfeng.members.idcard import make_id_number
from xianfeng.members.models import (
    Category,
    Member,
    Membership,
    MemberStatus,
    MemberTag,
    StatusChange,
)
from xianfeng.members.search import search_q
from xianfeng.orgs.models import Organization, OrgStatus
from xianfeng.testing import in_threads, needs_pg


def fields(**overrides):
    base = {
        "name": "陈晨",
        "id_number": make_id_number("370105", date(1985, 3, 9), 123),
        "phone": "13800001111",
        "joined_on": date(2010, 7, 1),
    }
    return base | overrides


def assert_counts_exact(*orgs):
    for org in orgs:
        org.refresh_from_db()
        active = Member.objects.active().filter(organization=org)
        assert org.member_count == active.count()
        assert org.full_member_count == active.filter(category=Category.FULL).count()
        assert org.probationary_member_count == active.filter(category="probationary").count()


def test_create_derives_birth_and_gender_and_keeps_counts(world):
    actor = world.users["street_admin"]
    member = services.create_member(world.branch2, actor=actor, **fields())
    assert (member.birth_date, member.gender) == (date(1985, 3, 9), "M")
    assert member.name_initials == "cc"
    assert (
        Membership.objects.get(member=member, ended_on__isnull=True).organization == world.branch2
    )
    assert_counts_exact(world.branch2)
    log = AuditLog.objects.get(action="member.create", target_id=str(member.pk))
    assert log.actor == actor and member.id_number not in str(log.data)


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"id_number": "110105194912310021"}, "id_number", "身份证号校验位错误"),
        ({"birth_date": date(1985, 3, 10)}, "birth_date", "出生日期与身份证号不一致"),
        ({"gender": "F"}, "gender", "性别与身份证号不一致"),
        ({"joined_on": date(2000, 1, 1)}, "joined_on", "年满18周岁"),
        (
            {"joined_on": timezone.localdate() + timedelta(days=1)},
            "joined_on",
            "入党日期不能晚于今天",
        ),
        ({"phone": "2380000111"}, "phone", "手机号应为以1开头的11位数字"),
        ({"name": " "}, "name", "请填写姓名"),
        ({"confirmed_on": date(2009, 1, 1)}, "confirmed_on", "转正日期不能早于入党日期"),
    ],
)
def test_create_refuses_invalid_fields(world, overrides, field, message):
    with pytest.raises(services.InvalidMember) as exc:
        services.create_member(world.branch, actor=None, **fields(**overrides))
    assert message in exc.value.errors[field]
    assert not Member.objects.filter(name="陈晨").exists()


def test_duplicate_id_refused_without_naming_the_other_org(world):
    number = world.other_member.id_number
    with pytest.raises(services.InvalidMember) as exc:
        services.create_member(
            world.branch,
            actor=world.users["street_admin"],
            **fields(id_number=number, birth_date=None, gender=None),
        )
    message = exc.value.errors["id_number"]
    assert "已登记" in message and world.other_branch.name not in message
    assert Member.objects.filter(id_number=number).count() == 1


def test_create_in_dissolved_org_refused(world):
    Organization.objects.filter(pk=world.branch2.pk).update(status=OrgStatus.DISSOLVED)
    world.branch2.refresh_from_db()
    with pytest.raises(DomainError, match="已撤销"):
        services.create_member(world.branch2, actor=None, **fields())


def test_update_audits_changed_fields_and_moves_membership(world):
    member, actor = world.member, world.users["street_admin"]
    services.update_member(
        member, actor=actor, employer="济南机床厂", phone="13900000000", organization=world.branch2
    )
    member.refresh_from_db()
    assert (member.employer, member.organization, member.version) == (
        "济南机床厂",
        world.branch2,
        1,
    )
    assert Member.objects.filter(search_q("0000")).get() == member
    assert (
        Membership.objects.get(member=member, ended_on__isnull=True).organization == world.branch2
    )
    log = AuditLog.objects.get(action="member.update", target_id=str(member.pk))
    assert log.data["changes"]["employer"] == ["", "济南机床厂"]
    assert log.data["changes"]["phone"] == "已修改"
    assert_counts_exact(world.branch, world.branch2)


def test_update_without_changes_writes_nothing(world):
    services.update_member(world.member, actor=None, name="张三")
    assert world.member.version == 0
    assert not AuditLog.objects.filter(action="member.update").exists()


def test_stale_edit_refused(world):
    first = Member.objects.get(pk=world.member.pk)
    second = Member.objects.get(pk=world.member.pk)
    services.update_member(first, actor=None, employer="甲单位")
    with pytest.raises(DomainError, match="该记录已被他人修改"):
        services.update_member(second, actor=None, employer="乙单位")
    with pytest.raises(DomainError, match="该记录已被他人修改"):
        services.update_member(first, actor=None, expected_version=0, post="书记")
    assert Member.objects.get(pk=world.member.pk).employer == "甲单位"


def test_status_change_records_history_and_counts(world):
    actor = world.users["branch_secretary"]
    change = services.change_status(
        world.member, MemberStatus.DECEASED, on=date(2024, 5, 1), reason="病故", actor=actor
    )
    assert StatusChange.objects.get() == change
    assert (change.from_status, change.to_status, change.actor) == ("normal", "deceased", actor)
    assert Member.objects.get(pk=world.member.pk).status == "deceased"
    assert Membership.objects.filter(member=world.member, ended_on__isnull=True).exists()
    assert_counts_exact(world.branch)
    with pytest.raises(DomainError, match="已是"):
        services.change_status(world.member, "deceased", on=date(2024, 5, 1), actor=actor)


def test_status_change_date_rules(world):
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.change_status(
            world.member, "lost_contact", on=timezone.localdate() + timedelta(days=1), actor=None
        )
    with pytest.raises(DomainError, match="不能早于入党日期"):
        services.change_status(world.member, "lost_contact", on=date(2000, 1, 1), actor=None)


def test_set_category_confirms_probationary_member(world):
    member = Member.objects.get(name="王五")
    with pytest.raises(DomainError, match="转正日期"):
        services.set_category(member, Category.FULL, actor=None)
    services.set_category(member, Category.FULL, confirmed_on=timezone.localdate(), actor=None)
    member.refresh_from_db()
    assert (member.category, member.confirmed_on) == ("full", timezone.localdate())
    assert_counts_exact(world.branch2)


def test_set_tags_audits_only_changes(world):
    mobile, hardship = MemberTag.objects.filter(code__in=["mobile", "hardship"]).order_by("code")
    services.set_tags(world.member, [mobile, hardship], actor=None)
    services.set_tags(world.member, [hardship, mobile], actor=None)
    assert set(world.member.tags.values_list("code", flat=True)) == {"mobile", "hardship"}
    assert AuditLog.objects.filter(action="member.tags").count() == 1


def test_standard_tags_are_seeded(db):
    codes = set(MemberTag.objects.values_list("code", flat=True))
    assert {"mobile", "hardship", "fifty_years", "veteran", "central_household"} <= codes


def test_move_members_keeps_counts_exact(world):
    ids = list(Member.objects.filter(organization=world.branch).values_list("pk", flat=True))
    assert services.move_members(ids, world.group, actor=None) == len(ids)
    assert_counts_exact(world.branch, world.group)
    assert Member.objects.get(pk=world.member.pk).version == 1


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_lose_nothing(world):
    loaded = [Member.objects.get(pk=world.member.pk) for _ in range(2)]
    outcomes = in_threads(
        lambda: services.update_member(loaded[0], actor=None, employer="甲") and "ok",
        lambda: services.update_member(loaded[1], actor=None, employer="乙") and "ok",
    )
    assert sorted(outcomes) == ["ok", "stale"]
    assert Member.objects.get(pk=world.member.pk).version == 1


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_keep_counts_exact(world):
    numbers = [make_id_number("370105", date(1980, 1, 1), seq) for seq in (11, 13, 15, 17)]
    outcomes = in_threads(
        *[
            lambda n=n: services.create_member(world.branch, actor=None, **fields(id_number=n))
            for n in numbers
        ],
        lambda: services.change_status(world.member, "deceased", on=date(2024, 1, 1), actor=None),
    )
    assert len(outcomes) == 5
    assert_counts_exact(world.branch)
