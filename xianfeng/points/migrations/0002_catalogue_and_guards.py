"""Seed the rule catalogue; on PostgreSQL, refuse UPDATE and DELETE on the append-only tables."""

from django.db import migrations

APPEND_ONLY = ("points_pointevent", "points_rankingsnapshot", "points_rankingrow")
FUNCTION = """
CREATE OR REPLACE FUNCTION points_append_only() RETURNS trigger AS $$
BEGIN
    -- Deleting a login sets its "who approved" links to NULL: the one change allowed.
    IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'approved_by_id' - 'closed_by_id')
                          = (to_jsonb(OLD) - 'approved_by_id' - 'closed_by_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% 只能新增，不能修改或删除 (append-only)', TG_TABLE_NAME;
END $$ LANGUAGE plpgsql
"""


def seed(apps, schema_editor):
    from xianfeng.points.catalogue import seed_rules

    seed_rules(apps.get_model("points", "PointRule"))


def add_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in APPEND_ONLY:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION points_append_only()"
        )


def drop_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in APPEND_ONLY:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS points_append_only()")


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(add_guards, drop_guards),
    ]
