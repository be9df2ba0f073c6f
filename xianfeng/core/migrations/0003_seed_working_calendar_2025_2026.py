"""The State Council's holiday notices for 2025 and 2026, as the first years of the calendar."""

from datetime import date, timedelta

from django.db import migrations

NOTICES = {
    2025: (
        "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
        [
            ("元旦", "2025-01-01", "2025-01-01", []),
            ("春节", "2025-01-28", "2025-02-04", ["2025-01-26", "2025-02-08"]),
            ("清明节", "2025-04-04", "2025-04-06", []),
            ("劳动节", "2025-05-01", "2025-05-05", ["2025-04-27"]),
            ("端午节", "2025-05-31", "2025-06-02", []),
            ("国庆节、中秋节", "2025-10-01", "2025-10-08", ["2025-09-28", "2025-10-11"]),
        ],
    ),
    2026: (
        "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
        [
            ("元旦", "2026-01-01", "2026-01-03", ["2026-01-04"]),
            ("春节", "2026-02-15", "2026-02-23", ["2026-02-14", "2026-02-28"]),
            ("清明节", "2026-04-04", "2026-04-06", []),
            ("劳动节", "2026-05-01", "2026-05-05", ["2026-05-09"]),
            ("端午节", "2026-06-19", "2026-06-21", []),
            ("中秋节", "2026-09-25", "2026-09-27", []),
            ("国庆节", "2026-10-01", "2026-10-07", ["2026-09-20", "2026-10-10"]),
        ],
    ),
}


def seed(apps, schema_editor):
    CalendarYear = apps.get_model("core", "CalendarYear")
    CalendarDay = apps.get_model("core", "CalendarDay")
    for year, (source, holidays) in NOTICES.items():
        calendar, created = CalendarYear.objects.get_or_create(year=year, defaults={"source": source})
        if not created:
            continue
        days = []
        for name, first, last, workdays in holidays:
            start, end = date.fromisoformat(first), date.fromisoformat(last)
            for n in range((end - start).days + 1):
                days.append(CalendarDay(calendar=calendar, day=start + timedelta(days=n), kind="off", holiday=name))
            days += [
                CalendarDay(calendar=calendar, day=date.fromisoformat(d), kind="work", holiday=name)
                for d in workdays
            ]
        CalendarDay.objects.bulk_create(days)


def unseed(apps, schema_editor):
    apps.get_model("core", "CalendarYear").objects.filter(year__in=NOTICES).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_working_calendar")]
    operations = [migrations.RunPython(seed, unseed)]
