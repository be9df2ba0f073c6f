from datetime import date

from xianfeng.members.models import Member
from xianfeng.orgs.models import SeatPost

from .. import services


def plan(world, org=None, *, seats=3, planned_on=date(2024, 5, 1)):
    return services.plan_election(
        org or world.branch, planned_on=planned_on, seats=seats, actor=world.users["street_admin"]
    )


def nominate(world, election, names, posts=None):
    posts = posts or [SeatPost.SECRETARY, SeatPost.ORGANIZATION, SeatPost.PROPAGANDA, "member"]
    return [
        services.nominate(
            election,
            Member.objects.get(name=name),
            post=post,
            actor=world.users["street_admin"],
        )
        for name, post in zip(names, posts, strict=False)
    ]


def election_objects(world):
    election = plan(world)
    nominate(world, election, ["李四"], [SeatPost.ORGANIZATION])
    return {"election": election.pk}
