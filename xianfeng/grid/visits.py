"""走访待办: the households a grid worker or a 党员中心户 should visit now.

"Mine" is where the user serves: grids of their active GridStaff posts (through the login)
and, for a party member, the buildings/zones of their active 中心户. A household is due when
it carries a 关爱标签 and was not visited within rules.visit_every_days(), or when its last
visit asked for a follow-up more than rules.follow_up_days() ago. Fixed number of queries.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, Subquery

from .models import CentralHousehold, Household, HouseholdTag, Visit
from .rules import follow_up_days, visit_every_days
from .scoping import own_grid_paths


def central_grid_paths(user) -> tuple[str, ...]:
    """Paths of the buildings/zones where the user's member is an active 党员中心户."""
    if not user.is_authenticated or not user.member_id:
        return ()
    return tuple(
        CentralHousehold.objects.filter(member_id=user.member_id, is_active=True)
        .values_list("grid__path", flat=True)
        .distinct()
    )


def my_grid_paths(user) -> tuple[str, ...]:
    """Grid paths the user serves in, as grid staff or as 中心户 (deduplicated)."""
    return tuple(dict.fromkeys((*own_grid_paths(user), *central_grid_paths(user))))


def _under(paths):
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(grid__path__startswith=path)
    return q


def my_households(user, paths=None):
    """Households of the user's grids, each with `last_visit`, `follow_up` and `cared`."""
    paths = my_grid_paths(user) if paths is None else paths
    last = Visit.objects.filter(household=OuterRef("pk")).order_by("-visited_on", "-id")
    return Household.objects.filter(_under(paths)).annotate(
        last_visit=Subquery(last.values("visited_on")[:1]),
        follow_up=Subquery(last.values("needs_follow_up")[:1]),
        cared=Exists(HouseholdTag.objects.filter(household=OuterRef("pk"))),
    )


def due_q(today) -> Q:
    """Over an annotated my_households() queryset: the households due for a visit."""
    cutoff = today - timedelta(days=visit_every_days())
    follow_cutoff = today - timedelta(days=follow_up_days())
    return Q(cared=True) & (Q(last_visit__isnull=True) | Q(last_visit__lt=cutoff)) | Q(
        follow_up=True, last_visit__lt=follow_cutoff
    )
