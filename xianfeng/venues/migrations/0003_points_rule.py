"""The `venue.activity` rule in the points catalogue (points/catalogue.py): a member who
attends an activity at a venue earns its points (activities.check_in)."""

from django.db import migrations


def seed(apps, schema_editor):
    from xianfeng.points.catalogue import seed_rules

    seed_rules(apps.get_model("points", "PointRule"))


class Migration(migrations.Migration):
    dependencies = [("venues", "0002_booking_no_overlap"), ("points", "0004_pending_bookings_outbox")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
