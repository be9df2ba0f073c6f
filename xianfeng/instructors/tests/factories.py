from datetime import date

from xianfeng.members.models import Member

from .. import services
from ..models import WindowKind


def appoint(world, name="李五", orgs=None, started_on=date(2024, 1, 2)):
    return services.appoint_instructor(
        Member.objects.get(name=name),
        office=world.street,
        organizations=orgs or [world.branch2],
        started_on=started_on,
        actor=world.users["street_admin"],
    )


def window(world, **dates):
    fields = {
        "period_start": date(2024, 1, 1),
        "period_end": date(2024, 6, 30),
        "opens_on": date(2024, 7, 1),
        "closes_on": date(2024, 7, 15),
        **dates,
    }
    return services.open_window(
        world.street, kind=WindowKind.WORKLOG, actor=world.users["street_admin"], **fields
    )


def instructor_objects(world):
    instructor = appoint(world)
    return {
        "instructor": instructor.pk,
        "assignment": instructor.assignments.get().pk,
        "window": window(world).pk,
    }
