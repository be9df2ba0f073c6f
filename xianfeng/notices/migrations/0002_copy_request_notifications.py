"""Bring the request notifications of resident_requests (站内通知) into the notification centre."""

from django.db import migrations


def copy(apps, schema_editor):
    Old = apps.get_model("resident_requests", "Notification")
    Notice = apps.get_model("notices", "Notice")
    rows = list(Old.objects.order_by("pk"))
    for start in range(0, len(rows), 2000):
        chunk = rows[start : start + 2000]
        created = Notice.objects.bulk_create(
            [
                Notice(
                    recipient_id=old.user_id,
                    kind="request",
                    title=old.message,
                    link=f"/requests/{old.request_id}/",
                    read_at=old.read_at,
                )
                for old in chunk
            ]
        )
        # auto_now_add stamped them now: keep the original times.
        for notice, old in zip(created, chunk, strict=True):
            notice.created_at = old.created_at
        Notice.objects.bulk_update(created, ["created_at"])


def back(apps, schema_editor):
    Notice = apps.get_model("notices", "Notice")
    Notice.objects.filter(kind="request").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_notification_centre"),
        ("resident_requests", "0002_intake_routing"),
    ]

    operations = [migrations.RunPython(copy, back)]
