from datetime import date, datetime

import pytest
from huey.contrib.djhuey import HUEY

from xianfeng.demo.scheduler import run_due
from xianfeng.points.models import RankingSnapshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_scheduler_runs_the_jobs_due_this_minute(world, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 4, 1))
    ran = run_due(HUEY, datetime(2026, 4, 1, 1, 30))  # the 1st, 01:30: month closing
    assert "close_points_month" in ran
    assert "escalate_overdue_requests" in ran  # every 5 min
    assert RankingSnapshot.objects.filter(period="2026-03").count() == 3
    assert "close_points_month" not in run_due(HUEY, datetime(2026, 4, 1, 1, 31))
