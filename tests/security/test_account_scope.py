"""Issue 13 §6: account changes stay inside the manager's subtree; API edits carry `version`."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from xianfeng.accounts import services
from xianfeng.accounts.models import RoleGrant
from xianfeng.accounts.roles import Role
from xianfeng.core.errors import DomainError
from xianfeng.testing import make_user


@pytest.fixture
def shared(world):
    """An observer in the street admin's street who is also granted in another street."""
    user = make_user("two_streets", role=Role.OBSERVER, org=world.branch)
    RoleGrant.objects.create(user=user, organization=world.other_branch, role=Role.OBSERVER)
    return user


def test_street_admin_cannot_deactivate_an_account_granted_outside(world, shared, login):
    client = login(world.users["street_admin"])
    url = reverse("accounts:user_set_active", args=[shared.pk])
    client.post(url, {"active": "0"})
    shared.refresh_from_db()
    assert shared.is_active
    with pytest.raises(DomainError, match="管辖范围之外"):
        services.set_active(shared, False, actor=world.users["street_admin"])


def test_street_admin_cannot_add_roles_to_an_account_granted_outside(world, shared):
    with pytest.raises(DomainError, match="管辖范围之外"):
        services.grant_role(
            shared, Role.ORG_OFFICER, world.branch, actor=world.users["street_admin"]
        )


def test_the_admin_above_both_may_and_tokens_go(world, shared):
    token = Token.objects.create(user=shared)
    services.set_active(shared, False, actor=world.users["admin"])
    shared.refresh_from_db()
    assert not shared.is_active
    assert not Token.objects.filter(pk=token.pk).exists()


def test_street_admin_still_manages_accounts_wholly_inside(world):
    inside = make_user("inside_only", role=Role.OBSERVER, org=world.branch)
    services.set_active(inside, False, actor=world.users["street_admin"])
    inside.refresh_from_db()
    assert not inside.is_active


def test_api_update_without_version_is_refused(world, api):
    url = reverse("api:members-detail", args=[world.member.pk])
    response = api(world.users["branch_secretary"]).patch(url, {"employer": "甲"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()
    world.member.refresh_from_db()
    assert world.member.employer != "甲"
