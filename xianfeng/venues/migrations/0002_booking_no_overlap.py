"""PostgreSQL only: the database itself refuses two holding bookings of one room whose
times overlap (btree_gist lets the room id share a GiST index with the time range).
SQLite has no exclusion constraints; there the service's locked check is the rule."""

from django.db import migrations

STATUSES = "('pending', 'approved', 'checked_in')"  # models.HOLDING


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        "ALTER TABLE venues_booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist "
        "(room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
        f"WHERE (status IN {STATUSES})"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE venues_booking DROP CONSTRAINT IF EXISTS booking_no_overlap")


class Migration(migrations.Migration):
    dependencies = [("venues", "0001_initial")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
