"""Issue 13 §5: API tokens expire, die with a password change or deactivation, and their owner
can list and revoke them."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from xianfeng.accounts import services

TOKEN = reverse("api:token")
OWN = reverse("api:own_tokens")
ORGS = reverse("api:orgs-list")


def obtain(password, username="street_admin"):
    response = APIClient().post(TOKEN, {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()


def using(key):
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_expires_after_the_configured_days(world, password, settings):
    settings.XIANFENG_TOKEN_TTL_DAYS = 30
    issued = obtain(password)
    assert "expires" in issued
    assert using(issued["token"]).get(ORGS).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        response = using(issued["token"]).get(ORGS)
        assert response.status_code == 401 and "过期" in response.json()["detail"]
        assert obtain(password)["token"] != issued["token"]


def test_default_lifetime_is_30_days():
    from django.conf import settings

    assert settings.XIANFENG_TOKEN_TTL_DAYS == 30


def test_password_change_revokes_tokens(world, password, login):
    key = obtain(password)["token"]
    client = login(world.users["street_admin"])
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "hong-qi-2026!",
            "new_password2": "hong-qi-2026!",
        },
    )
    assert response.status_code == 302
    assert using(key).get(ORGS).status_code == 401


def test_deactivation_revokes_tokens(world, password):
    user = world.users["observer"]
    key = obtain(password, "observer")["token"]
    services.set_active(user, False, actor=world.users["admin"])
    assert not Token.objects.filter(key=key).exists()


def test_owner_lists_and_revokes_own_tokens_through_the_api(world, password):
    key = obtain(password)["token"]
    listed = using(key).get(OWN).json()
    assert len(listed) == 1 and listed[0]["prefix"] == key[:6] + "…" and key not in str(listed)
    assert using(key).delete(OWN).status_code == 204
    assert using(key).get(ORGS).status_code == 401


def test_owner_lists_and_revokes_own_tokens_on_the_page(world, password, login):
    key = obtain(password)["token"]
    client = login(world.users["street_admin"])
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert key[:6] in page and key not in page
    client.post(reverse("accounts:tokens_revoke"))
    assert not Token.objects.filter(key=key).exists()


def test_a_hash_upgrade_on_login_keeps_the_tokens(world, password, settings, client):
    key = obtain(password)["token"]
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    client.post(reverse("accounts:login"), {"username": "street_admin", "password": password})
    assert Token.objects.filter(key=key).exists()
