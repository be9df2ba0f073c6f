from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xianfeng.campaigns import services
from xianfeng.campaigns.models import Assignment, Case, StageChange
from xianfeng.campaigns.progress import board
from xianfeng.campaigns.rules import CampaignKind, DispatchKind
from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog
from xianfeng.core.workbench import todo_for
from xianfeng.notices.models import Notice
from xianfeng.orgs.models import OrgKind, OrgStatus

from .factories import campaign, case, recount, table

pytestmark = pytest.mark.django_db


def test_created_with_its_temporary_branch_groups_and_six_classes(world):
    c = campaign(world, groups=4)
    assert c.branch.is_temporary and c.branch.kind == OrgKind.BRANCH
    assert c.branch.path[:-4] == world.street.path
    groups = list(c.groups.select_related("organization"))
    assert len(groups) == 4
    assert all(g.organization.kind == OrgKind.GROUP for g in groups)
    assert [k.name for k in c.classes.all()][-1] == "钉子户"
    assert c.classes.count() == 6
    assert AuditLog.objects.filter(action="campaign.create").count() == 1


def test_closing_dissolves_the_branch_and_keeps_the_link(world):
    c = campaign(world)
    services.close_campaign(c, actor=world.users["admin"])
    c.refresh_from_db()
    assert c.status == "closed"
    c.branch.refresh_from_db()
    assert c.branch.status != OrgStatus.ACTIVE
    assert all(g.organization.status != OrgStatus.ACTIVE for g in c.groups.all())
    with pytest.raises(DomainError):
        case(c)


def test_stage_moves_one_step_at_a_time_with_history_audit_and_counts(world):
    c = campaign(world)
    actor = world.users["admin"]
    h = case(c, case_class=c.classes.first(), group=c.groups.first())
    assert h.stage == "surveyed"
    with pytest.raises(DomainError, match="不能跳过"):
        services.change_stage(h, "signed", actor=actor)
    today = timezone.localdate()
    services.change_stage(h, "negotiating", actor=actor, on=today - timedelta(days=2))
    services.change_stage(h, "signed", actor=actor, on=today - timedelta(days=1))
    with pytest.raises(DomainError, match="原因"):
        services.change_stage(h, "negotiating", actor=actor)
    services.change_stage(h, "negotiating", actor=actor, note="协议撤回")
    h.refresh_from_db()
    assert h.stage == "negotiating"
    assert list(StageChange.objects.filter(case=h).values_list("after", flat=True)) == [
        "surveyed",
        "negotiating",
        "signed",
        "negotiating",
    ]
    assert AuditLog.objects.filter(action="campaign.stage", target_id=str(h.pk)).count() == 3
    assert table(c) == dict(recount(c))


def test_counts_follow_class_and_group_changes(world):
    c = campaign(world)
    actor = world.users["admin"]
    cases = [case(c) for _ in range(5)]
    classes, groups = list(c.classes.all()), list(c.groups.all())
    for i, h in enumerate(cases):
        services.assign_case(h, actor=actor, case_class=classes[i % 6], group=groups[i % 2])
        services.change_stage(h, "negotiating", actor=actor)
    services.assign_case(cases[0], actor=actor, case_class=classes[5], group=None)
    assert table(c) == dict(recount(c))
    b = board(c)
    assert b["total"] == 5
    assert b["now"][1] == 5
    assert b["days"][-1][1][1] == 5  # all five reached 洽谈中 by today


def test_assignment_escalated_once_to_the_leader(world):
    leader = world.users["street_admin"]
    c = campaign(world, leader=leader)
    today = timezone.localdate()
    owner = world.users["branch_secretary"]
    services.record_dispatch(
        c,
        actor=world.users["admin"],
        held_on=today - timedelta(days=3),
        kind=DispatchKind.MORNING,
        issues="3户对评估有异议",
        decisions="复核评估",
        assignments=[("复核3户评估", owner, today - timedelta(days=1), None)],
    )
    with pytest.raises(DomainError, match="已记录"):
        services.record_dispatch(
            c, actor=None, held_on=today - timedelta(days=3), kind=DispatchKind.MORNING
        )
    items = {i.kind: i.count for i in todo_for(owner, today)}
    assert items["campaigns.late"] == 1
    assert services.escalate_late_assignments(today) == 1
    assert services.escalate_late_assignments(today) == 0
    assert Notice.objects.filter(recipient=leader, title__contains="超期").count() == 1
    a = Assignment.objects.get()
    services.complete_assignment(a, actor=owner, result="已复核")
    items = {i.kind: i.count for i in todo_for(owner, today)}
    assert items.get("campaigns.late", 0) == 0


def test_progress_for_org_costs_the_same_for_one_or_many_campaigns(world):
    c1 = campaign(world)
    case(c1)
    with CaptureQueriesContext(connection) as one:
        first = services.progress_for_org(world.street)
    for _ in range(3):
        c = campaign(world, kind=CampaignKind.RESETTLEMENT)
        for _ in range(4):
            case(c)
    with CaptureQueriesContext(connection) as many:
        rows = services.progress_for_org(world.district)
    assert len(one) == len(many) == 2
    assert first[0]["total"] == 1 and first[0]["stages"][0]["n"] == 1
    assert len(rows) == 4
    assert services.progress_for_org(world.other_street) == []


def test_phone_and_id_number_are_encrypted_at_rest(world):
    c = campaign(world)
    h = case(c, id_number="370105198005170011")
    with connection.cursor() as cursor:
        cursor.execute("select phone, id_number from campaigns_case where id = %s", [h.pk])
        phone, id_number = cursor.fetchone()
    assert "13912345678" not in phone and "370105198005170011" not in id_number
    assert Case.objects.get(id_number="370105198005170011").pk == h.pk
