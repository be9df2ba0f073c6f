import pytest

from xianfeng.accounts import services
from xianfeng.accounts.models import RoleGrant
from xianfeng.accounts.roles import Perm, Role
from xianfeng.accounts.scoping import can
from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog


def test_street_admin_creates_user_with_grant_inside_street(world):
    actor = world.users["street_admin"]
    user = services.create_user(
        username="newsec",
        password="hongqi-2026-piao",
        role=Role.BRANCH_SECRETARY,
        organization=world.branch,
        actor=actor,
    )
    assert can(user, Perm.MEMBER_CHANGE, world.branch)
    assert not can(user, Perm.MEMBER_CHANGE, world.branch2)
    assert AuditLog.objects.filter(action="user.grant", target_id=str(user.pk)).exists()


def test_cannot_grant_outside_own_subtree(world):
    actor = world.users["street_admin"]
    user = world.users["grid_worker"]
    with pytest.raises(DomainError, match="无权"):
        services.grant_role(user, Role.OBSERVER, world.other_branch, actor=actor)
    assert not RoleGrant.objects.filter(user=user, organization=world.other_branch).exists()


def test_duplicate_grant_is_a_clear_error(world):
    actor = world.users["street_admin"]
    with pytest.raises(DomainError, match="已有这个角色"):
        services.grant_role(
            world.users["branch_secretary"], Role.BRANCH_SECRETARY, world.branch, actor=actor
        )


def test_weak_password_and_orphan_user_refused(world):
    actor = world.users["street_admin"]
    with pytest.raises(DomainError):
        services.create_user(
            username="x1",
            password="12345678901",
            role=Role.OBSERVER,
            organization=world.street,
            actor=actor,
        )
    with pytest.raises(DomainError, match="关联党员或授予"):
        services.create_user(username="x2", password="hongqi-2026-piao", actor=actor)


def test_revoke_and_deactivate(world):
    actor = world.users["street_admin"]
    target = world.users["grid_worker"]
    services.revoke_role(target.grants.get(), actor=actor)
    target.refresh_from_db()
    assert not can(target, Perm.MEMBER_VIEW, world.branch)
    services.set_active(target, False, actor=actor)
    target.refresh_from_db()
    assert not target.is_active
    with pytest.raises(DomainError):
        services.set_active(actor, False, actor=actor)
