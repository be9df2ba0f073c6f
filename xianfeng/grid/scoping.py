"""Which grids a user may see or change: the org-subtree mechanism of accounts.scoping.

A grid belongs to the organization linked on it or, when none is, to the nearest ancestor
grid's (`Grid.scope_org`, kept by services.refresh_scope_orgs). A grid is inside a grant
when that organization's path lies under the granted organization.

Grid workers (role 网格员) are the exception: their grant does not open the whole org
subtree, only the grids where they serve as GridStaff (through their login, not ended)
and everything below those grids, still inside the granted subtree.
"""

from django.db.models import Q
from django.http import Http404

from xianfeng.accounts.roles import ROLE_PERMS, Perm, Role
from xianfeng.accounts.scoping import _grants, granted_paths, path_q

from .models import Grid, GridStaff

_OWN_GRIDS_ATTR = "_xianfeng_own_grid_paths"


def _own_grid_paths(user):
    cached = getattr(user, _OWN_GRIDS_ATTR, None)
    if cached is None:
        cached = tuple(
            GridStaff.objects.filter(user_id=user.pk, ended_on__isnull=True)
            .values_list("grid__path", flat=True)
            .distinct()
        )
        setattr(user, _OWN_GRIDS_ATTR, cached)
    return cached


def own_grid_paths(user) -> tuple[str, ...]:
    """Paths of the grids the user serves in as GridStaff now (empty for everyone else)."""
    return _own_grid_paths(user) if user.is_authenticated else ()


def forget_own_grids(user):
    """Drop the per-request cache after the user's staff posts change."""
    if hasattr(user, _OWN_GRIDS_ATTR):
        delattr(user, _OWN_GRIDS_ATTR)


def _split_paths(user, perm):
    """(org paths opened by full grants, org paths opened by grid-worker grants only)."""
    full = granted_paths(user, perm)
    if "" in full or not user.is_authenticated:
        return full, ()
    full_only = sorted(
        {
            path
            for role, path in _grants(user)
            if role != Role.GRID_WORKER and perm in ROLE_PERMS.get(role, ())
        }
    )
    worker = sorted(
        {
            path
            for role, path in _grants(user)
            if role == Role.GRID_WORKER and perm in ROLE_PERMS[Role.GRID_WORKER]
        }
    )
    worker_only = tuple(p for p in worker if not any(p.startswith(f) for f in full_only))
    return tuple(full_only), worker_only


def grid_q(user, perm: Perm = Perm.GRID_VIEW) -> Q:
    """Q over Grid rows the user may reach with `perm`."""
    full, worker = _split_paths(user, perm)
    if "" in full:
        return Q()
    q = path_q("scope_org__path", full) if full else Q(pk__in=[])
    if worker:
        own = _own_grid_paths(user)
        if own:
            q |= path_q("path", own) & path_q("scope_org__path", worker)
    return q


def full_grant_paths(user, perm: Perm) -> tuple[str, ...]:
    """Org paths where `perm` comes from a role other than 网格员 (e.g. to found a new tree)."""
    return _split_paths(user, perm)[0]


def scope_grids(user, perm: Perm = Perm.GRID_VIEW, qs=None):
    qs = Grid.objects.all() if qs is None else qs
    return qs.filter(grid_q(user, perm))


def can_grid(user, perm: Perm, grid) -> bool:
    return scope_grids(user, perm).filter(pk=grid.pk).exists()


def get_grid_for_user(user, pk, perm: Perm = Perm.GRID_VIEW):
    qs = scope_grids(user, perm).select_related("organization", "scope_org")
    try:
        return qs.get(pk=pk)
    except (ValueError, TypeError, Grid.DoesNotExist) as exc:
        raise Http404("网格不存在或无权查看") from exc
