from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import can, granted_paths, scope_members, scope_orgs


def test_street_admin_sees_only_own_street(world):
    user = world.users["street_admin"]
    names = set(scope_orgs(user).values_list("name", flat=True))
    assert world.street.name in names and world.branch.name in names
    assert world.other_street.name not in names and world.district.name not in names
    assert not scope_members(user).filter(pk=world.other_member.pk).exists()


def test_member_sees_only_self(world):
    user = world.users["member"]
    assert list(scope_members(user)) == [world.member]
    assert not scope_orgs(user).exists()
    assert not scope_members(user, Perm.MEMBER_CHANGE).exists()


def test_nested_grants_collapse_to_outermost(world):
    from xianfeng.accounts.models import RoleGrant

    user = world.users["observer"]
    RoleGrant.objects.create(user=user, organization=world.branch, role="observer")
    user.refresh_from_db()
    assert granted_paths(user, Perm.ORG_VIEW) == (world.street.path,)


def test_outsider_cannot_touch_other_subtree(world):
    user = world.users["outsider"]
    assert not can(user, Perm.MEMBER_VIEW, world.branch)
    assert can(user, Perm.MEMBER_VIEW, world.other_branch)
    assert set(scope_members(user)) == {world.other_member}


def test_superuser_sees_everything(world):
    assert scope_orgs(world.users["admin"]).count() == 7
