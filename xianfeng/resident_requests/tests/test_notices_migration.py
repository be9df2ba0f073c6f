"""Migration notices.0002 brings the old request notifications into the centre."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("notices", "0001_notification_centre"), ("resident_requests", "0002_intake_routing")]
AFTER = [
    ("notices", "0002_copy_request_notifications"),
    ("resident_requests", "0004_notices_moved_to_notices_app"),
]


@pytest.mark.django_db(transaction=True)
def test_old_request_notifications_become_notices(gw, category):
    from xianfeng.resident_requests.testing import make_request

    req = make_request(grid=gw.building1, category=category)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Old = old_apps.get_model("resident_requests", "Notification")
    when = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    Old.objects.filter(request_id=req.pk).delete()
    first = Old.objects.create(user_id=gw.worker.pk, request_id=req.pk, message="新诉求 A")
    second = Old.objects.create(
        user_id=gw.worker.pk, request_id=req.pk, message="诉求 A 超时", read_at=when
    )
    Old.objects.filter(pk=first.pk).update(created_at=when)
    Notice = old_apps.get_model("notices", "Notice")
    Notice.objects.all().delete()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    # Back to the latest schema, so the tests after this one find every column.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from xianfeng.notices.models import Notice as Current

    copied = {n.title: n for n in Current.objects.filter(recipient=gw.worker)}
    assert set(copied) == {"新诉求 A", "诉求 A 超时"}
    assert copied["新诉求 A"].created_at == when and copied["新诉求 A"].read_at is None
    assert copied["诉求 A 超时"].read_at == when == second.read_at
    assert (
        copied["新诉求 A"].link == f"/requests/{req.pk}/" and copied["新诉求 A"].kind == "request"
    )
