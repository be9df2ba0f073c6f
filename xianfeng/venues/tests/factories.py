from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from xianfeng.venues import activities, services

SH = ZoneInfo("Asia/Shanghai")
# A Wednesday, a working day in the seeded calendar.
DAY = datetime(2026, 6, 10, tzinfo=SH)
BEFORE = DAY - timedelta(days=3)


def at(hour, minute=0, day=DAY):
    return datetime.combine(day.date(), time(hour, minute), tzinfo=SH)


def venue(world, org=None, **fields):
    defaults = {
        "name": "北关社区党群服务中心",
        "kind": "centre",
        "address": "北关北路1号",
        "latitude": 36.6800,
        "longitude": 117.0000,
    }
    return services.create_venue(org or world.branch, actor=None, **{**defaults, **fields})


def room(v, name="多功能厅", capacity=30):
    return services.add_room(v, actor=None, name=name, capacity=capacity)


def activity(world, v, capacity=2, waitlist=2, **fields):
    defaults = {
        "organization": v.organization,
        "kind": "lecture",
        "title": "健康讲座",
        "starts_at": at(9),
        "ends_at": at(11),
        "capacity": capacity,
        "waitlist": waitlist,
    }
    return activities.publish_activity(v, actor=None, **{**defaults, **fields})
