from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.utils import timezone

from xianfeng.orgs import services as org_services
from xianfeng.orgs.models import SeatPost

from .. import services
from ..models import MeetingStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour=9, minute=0):
    """An aware datetime at `day` `hour`:`minute` Asia/Shanghai."""
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def meeting(org, kind, day=None, *, actor=None, starts_at=None, held=True, **fields):
    starts_at = starts_at or at(day)
    m = services.create_meeting(
        org,
        kind=kind,
        topic=fields.pop("topic", "学习"),
        starts_at=starts_at,
        actor=actor,
        **fields,
    )
    if held:
        m.status = MeetingStatus.HELD
        m.minutes = "会议记录"
        m.save(update_fields=["status", "minutes"])
    return m


def committee(world, members=None, secretary=None):
    """A current committee on world.branch; the first member (or `secretary`) is secretary."""
    admin = world.users["admin"]
    members = members or list(world.branch.members.order_by("id")[:3])
    c = org_services.start_committee(world.branch, elected_on=date(2020, 1, 1), actor=admin)
    for i, m in enumerate(members):
        post = SeatPost.SECRETARY if i == 0 else SeatPost.MEMBER
        org_services.assign_seat(c, m, post, started_on=date(2020, 1, 1), actor=admin)
    return c


def today_is(monkeypatch, day):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
