from datetime import date

from xianfeng.meetings.rules import MeetingKind
from xianfeng.meetings.tests.factories import meeting
from xianfeng.members.models import MemberStatus, StatusChange

from ..models import LapseCase


def attended(member, day, status="present"):
    """A held theme day of the member's organization on `day`: the member marked `status`,
    everyone else invited present."""
    m = meeting(member.organization, MeetingKind.THEME_DAY, day)
    m.attendances.exclude(member=member).update(status="present")
    m.attendances.update_or_create(member=member, defaults={"status": status})
    return m


def lapse_case(member, **fields):
    fields = {
        "first_month": date(2024, 1, 1),
        "last_month": date(2024, 6, 1),
        "no_life": True,
        "detected_on": date(2024, 7, 1),
        **fields,
    }
    return LapseCase.objects.create(member=member, organization=member.organization, **fields)


def in_status(member, status, on):
    """Put `member` in `status` since `on` the way change_status records it."""
    StatusChange.objects.create(member=member, from_status=member.status, to_status=status, on=on)
    member.status = status
    member.save(update_fields=["status"])
    return member


def matrix_objects(world):
    """For the permission matrix: an open case on 张三's branch (another member)."""
    from xianfeng.testing import make_member

    other = make_member(world.branch, "脱党待查")
    lost = in_status(
        make_member(world.branch, "失联待查"), MemberStatus.LOST_CONTACT, date(2024, 1, 1)
    )
    return {"lapse": lapse_case(other).pk, "lost": lost.pk}
