"""The audit chain (issue 13 §3): actor snapshot, sequence and HMAC chain, append-only trigger."""

import django.utils.timezone
from django.db import migrations, models

TRIGGER = """
CREATE OR REPLACE FUNCTION core_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    -- Deleting a login empties actor_id (ON DELETE SET NULL); the row keeps the snapshot of
    -- who it was and nothing else may change.
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'core_auditlog is append-only: % refused', TG_OP;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditlog_append_only ON core_auditlog;
CREATE TRIGGER core_auditlog_append_only BEFORE UPDATE OR DELETE ON core_auditlog
    FOR EACH ROW EXECUTE FUNCTION core_auditlog_append_only();
"""
UNTRIGGER = """
DROP TRIGGER IF EXISTS core_auditlog_append_only ON core_auditlog;
DROP FUNCTION IF EXISTS core_auditlog_append_only();
"""


def chain_existing(apps, schema_editor):
    """Snapshot the actors of the rows already there and chain them in id order."""
    from xianfeng.core.models import row_hash

    AuditLog = apps.get_model("core", "AuditLog")
    User = apps.get_model("accounts", "User")
    names = {
        u["pk"]: (u["username"], u["display_name"])
        for u in User.objects.values("pk", "username", "display_name")
    }
    previous = ""
    for seq, row in enumerate(AuditLog.objects.order_by("id").iterator(chunk_size=2000), 1):
        username, display = names.get(row.actor_id, ("", ""))
        row.actor_username, row.actor_name = username, (display or username)[:100]
        row.seq, row.prev_hash = seq, previous
        row.row_hash = previous = row_hash(row)
        row.save(update_fields=["actor_username", "actor_name", "seq", "prev_hash", "row_hash"])


def trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER, params=None)


def untrigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNTRIGGER, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_seed_working_calendar_2025_2026"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditlog",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="时间"
            ),
        ),
        migrations.AddField(
            model_name="auditlog",
            name="actor_username",
            field=models.CharField(blank=True, max_length=150, verbose_name="操作人账号"),
        ),
        migrations.AddField(
            model_name="auditlog",
            name="actor_name",
            field=models.CharField(blank=True, max_length=100, verbose_name="操作人姓名"),
        ),
        migrations.AddField(
            model_name="auditlog",
            name="seq",
            field=models.PositiveBigIntegerField(null=True, verbose_name="序号"),
        ),
        migrations.AddField(
            model_name="auditlog",
            name="prev_hash",
            field=models.CharField(default="", max_length=64, verbose_name="上一行摘要"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditlog",
            name="row_hash",
            field=models.CharField(default="", max_length=64, verbose_name="本行摘要"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditlog",
            name="seq",
            field=models.PositiveBigIntegerField(unique=True, verbose_name="序号"),
        ),
        migrations.RunPython(trigger, untrigger),
    ]
