from datetime import date

import pytest
from django.urls import reverse

from xianfeng.development.models import Development, DevelopmentPlan, DevelopmentStep

from .factories import person, start, walk

pytestmark = pytest.mark.django_db


def test_list_groups_by_stage_and_flags_overdue_talk(world, login):
    start(world, 1, applied_on=date(2020, 1, 6))
    walk(world, start(world, 2), "s03")
    response = login(world.users["branch_secretary"]).get(reverse("development:list"))
    assert response.status_code == 200
    stages = {name: rows for name, _total, rows in response.context["stages"]}
    assert [d.name for d, _v in stages["入党申请人"]] == ["申请人1"]
    assert [d.name for d, _v in stages["入党积极分子"]] == ["申请人2"]
    [(_dev, violations)] = stages["入党申请人"]
    assert "talk_within_month" in {v.rule for v in violations}
    assert "已超期" in response.content.decode()


def test_list_query_count_is_constant(world, login, django_assert_max_num_queries):
    client = login(world.users["street_admin"])
    start(world, 1)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("development:list"))
    for n in range(2, 8):
        walk(world, start(world, n), "s05")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("development:list"))
    assert sum(len(rows) for _s, _n, rows in response.context["stages"]) == 7


def test_outsider_gets_404_and_sees_nothing(world, login):
    dev = start(world)
    client = login(world.users["outsider"])
    assert client.get(reverse("development:detail", args=[dev.pk])).status_code == 404
    response = client.post(
        reverse("development:record", args=[dev.pk]), {"step": "s02", "done_on": "2020-01-10"}
    )
    assert response.status_code == 404
    assert not DevelopmentStep.objects.filter(development=dev, step="s02").exists()
    listed = client.get(reverse("development:list")).context["stages"]
    assert not any(rows for _s, _n, rows in listed)


def test_start_through_the_form(world, login):
    data = {**person(), "organization": world.branch.pk, "applied_on": "2021-03-01"}
    data.pop("gender")
    data["birth_date"] = ""
    response = login(world.users["branch_secretary"]).post(reverse("development:start"), data)
    dev = Development.objects.get()
    assert response.status_code == 302
    assert dev.organization == world.branch
    assert dev.steps.get().done_on == date(2021, 3, 1)


def test_start_in_another_street_is_refused(world, login):
    data = {**person(), "organization": world.other_branch.pk, "applied_on": "2021-03-01"}
    response = login(world.users["branch_secretary"]).post(reverse("development:start"), data)
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Development.objects.exists()


def test_record_step_shows_flag_on_timeline(world, login):
    dev = start(world, applied_on=date(2021, 4, 1))
    client = login(world.users["branch_secretary"])
    response = client.post(
        reverse("development:record", args=[dev.pk]),
        {"step": "s02", "done_on": "2021-05-02", "people": "张三"},
    )
    assert response.status_code == 302
    assert dev.steps.get(step="s02").people == "张三"
    page = client.get(reverse("development:detail", args=[dev.pk])).content.decode()
    assert "党组织派人谈话过晚" in page
    assert "一个月内派人同入党申请人谈话" in page


def test_skipping_shows_the_missing_step(world, login):
    dev = start(world)
    response = login(world.users["branch_secretary"]).post(
        reverse("development:record", args=[dev.pk]), {"step": "s07", "done_on": "2020-02-01"}
    )
    assert response.status_code == 200
    assert "请先完成“党组织派人谈话”" in response.content.decode()
    assert dev.steps.count() == 1


def test_plan_versus_actual(world, login):
    dev = walk(world, start(world), "s15", {"s15": date(2022, 3, 15)})
    client = login(world.users["branch_secretary"])
    response = client.post(
        reverse("development:plan") + "?year=2022",
        {"organization": world.branch.pk, "planned": 2},
    )
    assert response.status_code == 302
    assert DevelopmentPlan.objects.get(organization=world.branch, year=2022).planned == 2
    rows = client.get(reverse("development:plan") + "?year=2022").context["rows"]
    assert (world.branch, 2, 1) in rows
    assert dev.steps.count() == 15


def test_grid_worker_cannot_set_a_plan(world, login):
    response = login(world.users["grid_worker"]).post(
        reverse("development:plan"), {"organization": world.branch.pk, "planned": 2}
    )
    assert response.status_code == 403
    assert not DevelopmentPlan.objects.exists()


def test_thought_report_through_the_form(world, login):
    dev = start(world)
    client = login(world.users["branch_secretary"])
    url = reverse("development:report", args=[dev.pk])
    assert client.post(url, {"submitted_on": "2020-05-01"}).status_code == 302
    assert dev.thought_reports.get().quarter == 2
    response = client.post(url, {"submitted_on": "2020-06-01"})
    assert response.status_code == 200
    assert "2020年第2季度的思想汇报已记录" in response.content.decode()
    assert dev.thought_reports.count() == 1


def test_list_stages_are_computed_in_sql_and_agree_with_the_timeline(world, login):
    """The stage rank in SQL (latest step code) equals `Development.stage` for every step, the
    totals are counted in SQL and only the page's rows are loaded."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xianfeng.development.rules import STAGES, STEP_CODES

    walked = {}
    for n, code in enumerate(STEP_CODES[:24:3], start=1):
        dev = start(world, n)
        if code != "s01":
            walk(world, dev, code)
        walked[dev.pk] = Development.objects.prefetch_related("steps").get(pk=dev.pk).stage
    client = login(world.users["street_admin"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("development:list") + "?page=1")
    stages = response.context["stages"]
    expected = {name: 0 for name in STAGES.values()}
    for stage in walked.values():
        expected[STAGES[stage]] += 1
    assert {name: total for name, total, _rows in stages} == expected
    for name, _total, rows in stages:
        assert all(STAGES[walked[dev.pk]] == name for dev, _v in rows)
    steps_reads = [
        q for q in captured.captured_queries if "development_developmentstep" in q["sql"]
    ]
    assert all("LIMIT" in q["sql"] or "IN (" in q["sql"] for q in steps_reads)
