from datetime import date

import pytest

from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog
from xianfeng.tasks import services
from xianfeng.tasks.models import BrandStatus, KeyTask, TaskUpdate

from .factories import brand, task

pytestmark = pytest.mark.django_db


def test_create_task_with_milestones_is_audited(world):
    t = task(world, milestones=[("制定方案", date(2026, 3, 31)), ("完工", date(2026, 11, 30))])
    assert [m.title for m in t.milestones.all()] == ["制定方案", "完工"]
    assert AuditLog.objects.filter(action="task.create", target_id=str(t.pk)).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"due_on": date(2025, 12, 31)}, "完成时限不能早于开始日期"),
        ({"milestones": [("早了", date(2025, 12, 1))]}, "须在任务起止日期之内"),
    ],
)
def test_create_task_refuses_bad_dates(world, fields, message):
    with pytest.raises(DomainError, match=message):
        task(world, **fields)
    assert not KeyTask.objects.exists()


def test_second_report_in_a_week_replaces_the_first(world):
    t = task(world)
    actor = world.users["branch_secretary"]
    services.report_progress(t, actor=actor, progress=20, summary="启动", on=date(2026, 3, 2))
    services.report_progress(t, actor=actor, progress=30, summary="推进", on=date(2026, 3, 6))
    services.report_progress(t, actor=actor, progress=40, summary="下周", on=date(2026, 3, 9))
    weeks = list(TaskUpdate.objects.order_by("week_of").values_list("week_of", "progress"))
    assert weeks == [(date(2026, 3, 2), 30), (date(2026, 3, 9), 40)]
    t.refresh_from_db()
    assert t.progress == 40


def test_reporting_100_completes_and_closes_the_task(world):
    t = task(world)
    actor = world.users["branch_secretary"]
    services.report_progress(t, actor=actor, progress=100, summary="完成", on=date(2026, 6, 3))
    t.refresh_from_db()
    assert t.completed_on == date(2026, 6, 3)
    with pytest.raises(DomainError, match="任务已完成"):
        services.report_progress(t, actor=actor, progress=100, summary="again", on=date(2026, 6, 4))


@pytest.mark.parametrize("progress", [-1, 101])
def test_progress_out_of_range_is_refused(world, progress):
    with pytest.raises(DomainError, match="0 到 100"):
        services.report_progress(
            task(world), actor=None, progress=progress, summary="x", on=date(2026, 3, 2)
        )


def test_board_costs_the_same_for_many_tasks(world, django_assert_num_queries):
    for n in range(5):
        task(world, title=f"任务{n}", milestones=[("节点", date(2026, 6, 1))])
    with django_assert_num_queries(2):
        rows = services.board(KeyTask.objects.all(), date(2026, 7, 1))
    assert [lt.colour for _t, lt in rows] == ["red"] * 5


def test_brand_cannot_be_achieved_with_open_milestones(world):
    plan = brand(world, milestones=[("挂牌", date(2026, 5, 1))])
    with pytest.raises(DomainError, match="未完成的创建节点"):
        services.set_brand_status(plan, BrandStatus.ACHIEVED, actor=None)
    services.complete_brand_milestone(plan.milestones.get(), actor=None, done_on=date(2026, 5, 1))
    assert services.set_brand_status(plan, BrandStatus.ACHIEVED, actor=None).status == "achieved"


def test_same_brand_name_twice_in_one_org_is_refused(world):
    brand(world)
    with pytest.raises(DomainError, match="同名品牌"):
        brand(world)


def test_communities_without_brand_lists_top_community_orgs(world):
    from xianfeng.orgs.models import Organization

    brand(world, org=world.branch)
    orgs = Organization.objects.filter(pk__in=[world.branch.pk, world.branch2.pk])
    missing = services.communities_without_brand(orgs)
    assert list(missing) == [world.branch2]
