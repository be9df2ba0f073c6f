"""Who holds a request at each level, and who may act on it.

The chain comes from the grid (`xianfeng.grid.services.responsible_chain`): 党员中心户 or the
member responsible for the zone → 楼栋党小组 → 网格党支部 → 社区党总支 → street. Communities
configure it there. A request without a grid starts at its organization and climbs to the street.
"""

from dataclasses import dataclass

from django.db.models import Q

from xianfeng.accounts.roles import ROLE_PERMS, Perm
from xianfeng.accounts.scoping import can, granted_paths, own_paths, path_q
from xianfeng.orgs.models import Organization, OrgKind


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    organization: Organization | None = None
    member: object | None = None


def street_of(org):
    """The nearest committee at or above `org` (a street's 党工委), else the root."""
    if org.kind == OrgKind.COMMITTEE:
        return org
    ancestors = Organization.objects.get_ancestors(org)
    return ancestors.filter(kind=OrgKind.COMMITTEE).order_by("-depth").first() or (
        ancestors.order_by("depth").first() or org
    )


def organization_of_grid(grid):
    """The party organization a grid belongs to: its own, else the nearest ancestor's."""
    return grid.scope_org


def _grid_chain(grid):
    from xianfeng.grid.services import responsible_chain

    return [
        Level(
            str(getattr(step, "level", "")),
            str(getattr(step, "label", "")),
            getattr(step, "organization", None),
            getattr(step, "member", None),
        )
        for step in responsible_chain(grid)
    ]


def chain_for(grid, organization):
    """The ordered levels for a request; always ends at the street."""
    levels = _grid_chain(grid) if grid is not None else []
    if not levels:
        levels = [Level(organization.kind, organization.name, organization)]
    street = street_of(organization)
    top = levels[-1].organization
    if top is None or top.pk != street.pk:
        levels.append(Level("street", street.name, street))
    return levels


def chain_of(request, chains=None):
    """`chain_for` the request's grid and organization; `chains` shares them across a batch."""
    if chains is None:
        return chain_for(request.grid, request.organization)
    key = (request.grid_id, request.organization_id)
    if key not in chains:
        chains[key] = chain_for(request.grid, request.organization)
    return chains[key]


def holder_name(request):
    if request.holder_member_id:
        return request.holder_member.name
    return request.holder_org.name if request.holder_org_id else ""


def may_handle(user, request):
    """Owner, the member holding it, handlers over the holding organization, dispatchers."""
    if not user.is_authenticated:
        return False
    if request.owner_id == user.pk:
        return True
    if user.member_id and user.member_id in (request.holder_member_id, request.owner_member_id):
        return True
    if request.holder_org_id and can(user, Perm.REQUEST_HANDLE, request.holder_org):
        return True
    return may_dispatch(user, request)


def may_dispatch(user, request):
    return can(user, Perm.REQUEST_DISPATCH, request.organization)


def visible_q(user):
    """Requests a user may see: inside `request.view` grants, held by or owned by them."""
    paths = granted_paths(user, Perm.REQUEST_VIEW)
    if "" in paths:
        return Q()
    q = path_q("organization__path", paths)
    if user.is_authenticated:
        q |= Q(owner_id=user.pk)
        if user.member_id:
            q |= Q(holder_member_id=user.member_id) | Q(owner_member_id=user.member_id)
    return q


def handlers_of(request):
    """Logins that must act at the request's current level (for notifications)."""
    from xianfeng.accounts.models import RoleGrant, User

    ids = set()
    if request.holder_member_id:
        ids |= set(
            User.objects.filter(member_id=request.holder_member_id).values_list("pk", flat=True)
        )
    # A member holding it (中心户) may have no login: the organization above hears too.
    org = request.holder_org if request.holder_org_id else request.organization
    if org is not None:
        path = org.path
        prefixes = [
            path[:i] for i in range(Organization.steplen, len(path) + 1, Organization.steplen)
        ]
        roles = [role for role, perms in ROLE_PERMS.items() if Perm.REQUEST_HANDLE in perms]
        grants = (
            RoleGrant.objects.filter(organization__path__in=prefixes, role__in=roles)
            .filter(organization__path__gte=street_of(org).path)
            .values_list("user_id", "organization__path")
        )
        # The level's own handlers or, when it has none, the nearest level above that has:
        # the people whose turn it is, not every supervisor up to the street.
        by_depth: dict[int, set[int]] = {}
        for user_id, grant_path in grants:
            by_depth.setdefault(len(grant_path), set()).add(user_id)
        if by_depth:
            ids |= by_depth[max(by_depth)]
    if request.owner_id:
        ids.add(request.owner_id)
    return ids


def at_my_level_q(user):
    """Requests held at the user's own level: by their member record or by an organization
    they are granted `request.handle` on (that organization, not those below it)."""
    if user.is_superuser:
        q = Q(holder_org__depth=1)
    else:
        q = Q(holder_org__path__in=own_paths(user, Perm.REQUEST_HANDLE))
    if user.member_id:
        q |= Q(holder_member_id=user.member_id)
    return q
