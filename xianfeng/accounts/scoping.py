"""The one mechanism that scopes every queryset to the subtrees a user is granted.

Organizations form a materialized-path tree, so "inside the grant" is a path prefix.
Lists start from `scope_orgs` / `scope_members`; single objects come from the
`get_*_for_user` lookups, which answer 404 for missing and forbidden alike.
"""

from django.db.models import Q
from django.http import Http404

from .roles import ROLE_PERMS, Perm

_CACHE_ATTR = "_xianfeng_grant_paths"


def _grants(user):
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from .models import RoleGrant

        cached = [
            (role, path)
            for role, path in RoleGrant.objects.filter(user_id=user.pk).values_list(
                "role", "organization__path"
            )
        ]
        setattr(user, _CACHE_ATTR, cached)
    return cached


_PATHS_ATTR = "_xianfeng_perm_paths"


def forget_grants(user):
    """Drop the per-request cache after grants change."""
    for attr in (_CACHE_ATTR, _PATHS_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def granted_paths(user, perm: Perm) -> tuple[str, ...]:
    """Tree paths under which `user` holds `perm`; ("",) means everywhere."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    if user.is_superuser:
        return ("",)
    # Once a request and a permission: the menu, the guards and the `can` checks of one page
    # ask the same questions dozens of times (issue 19 §4). Dropped with the grants.
    memo = getattr(user, _PATHS_ATTR, None)
    if memo is None or memo[0] is not getattr(user, _CACHE_ATTR, None):
        memo = (_grants(user), {})
        setattr(user, _PATHS_ATTR, memo)
    if perm not in memo[1]:
        paths = sorted({path for role, path in memo[0] if perm in ROLE_PERMS.get(role, ())})
        minimal = []
        for path in paths:
            if not any(path.startswith(kept) for kept in minimal):
                minimal.append(path)
        memo[1][perm] = tuple(minimal)
    return memo[1][perm]


def own_paths(user, perm: Perm) -> tuple[str, ...]:
    """Paths of the organizations `user` is granted `perm` on themselves (not the subtrees):
    "my level" for work waiting at an organization."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    return tuple(sorted({path for role, path in _grants(user) if perm in ROLE_PERMS.get(role, ())}))


def has_perm_anywhere(user, perm: Perm) -> bool:
    return bool(granted_paths(user, perm))


def path_q(field: str, paths) -> Q:
    """Q matching rows whose `field` (a tree path) lies under one of `paths`."""
    if "" in paths:
        return Q()
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def can(user, perm: Perm, org) -> bool:
    return any(org.path.startswith(p) for p in granted_paths(user, perm))


def can_for_member(user, perm: Perm, member) -> bool:
    if perm in (Perm.MEMBER_VIEW, Perm.MEMBER_SENSITIVE) and _is_self(user, member):
        return True
    return can(user, perm, member.organization)


def _is_self(user, member):
    return user.is_authenticated and user.member_id is not None and user.member_id == member.pk


def scope_orgs(user, perm: Perm = Perm.ORG_VIEW, qs=None):
    from xianfeng.orgs.models import Organization

    qs = Organization.objects.all() if qs is None else qs
    return qs.filter(path_q("path", granted_paths(user, perm)))


def scope_members(user, perm: Perm = Perm.MEMBER_VIEW, qs=None):
    from xianfeng.members.models import Member

    qs = Member.objects.all() if qs is None else qs
    q = path_q("organization__path", granted_paths(user, perm))
    if perm == Perm.MEMBER_VIEW and user.is_authenticated and user.member_id:
        q |= Q(pk=user.member_id)
    return qs.filter(q)


def get_org_for_user(user, pk, perm: Perm = Perm.ORG_VIEW):
    qs = scope_orgs(user, perm)
    try:
        return qs.get(pk=pk)
    except (ValueError, TypeError, qs.model.DoesNotExist) as exc:
        raise Http404("组织不存在或无权查看") from exc


def get_member_for_user(user, pk, perm: Perm = Perm.MEMBER_VIEW):
    qs = scope_members(user, perm).select_related("organization")
    try:
        return qs.get(pk=pk)
    except (ValueError, TypeError, qs.model.DoesNotExist) as exc:
        raise Http404("党员不存在或无权查看") from exc


def scope_users(user):
    """Logins a manager may see: those granted inside, or linked to a member inside, their subtrees."""
    from .models import User

    paths = granted_paths(user, Perm.USER_MANAGE)
    if "" in paths:
        return User.objects.all()
    if not paths:
        return User.objects.none()
    inside = path_q("grants__organization__path", paths) | path_q(
        "member__organization__path", paths
    )
    return User.objects.filter(inside, is_superuser=False).distinct()


def manages_whole_account(manager, user) -> bool:
    """True when every grant of `user`, and the member it is linked to, lie in the manager's
    USER_MANAGE subtrees: only then may he change the account as a whole (deactivate it, add
    roles). Seeing it needs just one grant inside (scope_users)."""
    paths = granted_paths(manager, Perm.USER_MANAGE)
    if "" in paths:
        return True
    held = [g.organization.path for g in user.grants.select_related("organization")]
    if user.member_id:
        held.append(user.member.organization.path)
    return all(any(path.startswith(root) for root in paths) for path in held)


def get_user_for_user(user, pk):
    qs = scope_users(user)
    try:
        return qs.get(pk=pk)
    except (ValueError, TypeError, qs.model.DoesNotExist) as exc:
        raise Http404("账号不存在或无权查看") from exc


def lineage_paths(org) -> list[str]:
    """Paths of `org` and every organization above it."""
    from xianfeng.orgs.models import Organization

    step = Organization.steplen
    return [org.path[:n] for n in range(step, len(org.path) + 1, step)]


def in_or_above_q(field: str, user, perm: Perm) -> Q:
    """Q for rows whose organization `field` lies in the user's subtrees or above them: what is
    published upward (a street's courses, offers, projects) reaches the branches below."""
    from xianfeng.orgs.models import Organization

    paths = granted_paths(user, perm)
    if "" in paths:
        return ~Q(pk__in=[])
    step = Organization.steplen
    above = {p[:n] for p in paths for n in range(step, len(p), step)}
    return path_q(f"{field}__path", paths) | Q(**{f"{field}__path__in": above})
