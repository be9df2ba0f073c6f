"""The workbench's late count reads plain rows; it must flag exactly what the page's checks do."""

from datetime import date

import pytest

from xianfeng.core.workbench import todo_for
from xianfeng.development.models import Development
from xianfeng.development.rules import STEP_CODES, check_timing
from xianfeng.development.services import RELATED
from xianfeng.development.workbench import timing_rows

from .factories import start, walk

pytestmark = pytest.mark.django_db


def test_late_count_matches_the_checks_on_model_rows(world):
    today = date(2024, 6, 1)
    start(world, 1)  # applied, talk overdue
    walk(world, start(world, 2), STEP_CODES[3])
    walk(world, start(world, 3), STEP_CODES[8], start_on=date(2020, 1, 6))
    walk(world, start(world, 4), STEP_CODES[-1])
    developments = Development.objects.all()
    expected = {d.pk: check_timing(d, today) for d in developments.prefetch_related(*RELATED)}
    lean = {d.pk: check_timing(d, today) for d in timing_rows(developments)}
    assert lean == expected
    assert any(expected.values())


def test_workbench_item_counts_late_developments(world):
    start(world, 1, applied_on=date(2020, 1, 6))
    items = [i for i in todo_for(world.users["street_admin"]) if i.kind == "development.late"]
    assert [i.count for i in items] == [1]
