"""API authentication: token login through the throttled backend, session + CSRF, docs assets."""

import re

import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from xianfeng.accounts.backends import LOCKED_MESSAGE

TOKEN = reverse("api:token")
ORGS = reverse("api:orgs-list")


def get_token(client, username, password):
    return client.post(TOKEN, {"username": username, "password": password})


def test_token_login_and_use(world, password):
    response = get_token(APIClient(), "street_admin", password)
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(key=token).user == world.users["street_admin"]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(ORGS).json()["count"] == 4


def test_wrong_password_is_a_chinese_400(world):
    response = get_token(APIClient(), "street_admin", "wrong-password-1")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["无法使用提供的认证信息登录。"]
    assert not Token.objects.exists()


def test_locked_account_is_a_clean_429_even_with_the_right_password(world, password):
    client = APIClient()
    with time_machine.travel("2026-12-01 09:00 +0800", tick=False) as clock:
        for _ in range(settings.LOGIN_FAILURE_LIMIT):
            assert get_token(client, "street_admin", "wrong-password-1").status_code == 400
            clock.shift(120)  # past the slow-down wait between failures
        response = get_token(client, "street_admin", password)
    assert response.status_code == 429
    assert response.json()["detail"] == LOCKED_MESSAGE
    assert not Token.objects.exists()


def test_token_endpoint_is_rate_limited(world):
    client = APIClient()
    codes = [get_token(client, f"nobody{i}", "x").status_code for i in range(11)]
    assert codes[:10] == [400] * 10 and codes[10] == 429


def test_bad_token_is_401(world):
    assert APIClient(HTTP_AUTHORIZATION="Token nonsense").get(ORGS).status_code == 401


def test_inactive_user_gets_no_token(world, password):
    user = world.users["street_admin"]
    user.is_active = False
    user.save()
    assert get_token(APIClient(), "street_admin", password).status_code == 400


def test_session_auth_enforces_csrf_on_writes(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["street_admin"])
    assert client.get(ORGS).status_code == 200
    payload = {"parent": world.street.pk, "code": "B9", "name": "新支部", "kind": "branch"}
    response = client.post(ORGS, payload, content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    csrf = "k" * 32  # a browser gets this secret from the csrftoken cookie of any page
    client.cookies[settings.CSRF_COOKIE_NAME] = csrf
    response = client.post(ORGS, payload, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201, response.content


def test_token_auth_needs_no_csrf(world):
    token = Token.objects.create(user=world.users["street_admin"])
    client = APIClient(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {token.key}")
    payload = {"parent": world.street.pk, "code": "B9", "name": "新支部", "kind": "branch"}
    assert client.post(ORGS, payload, format="json").status_code == 201


def test_schema_is_served(db):
    response = Client().get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/v1/orgs/",
        "/api/v1/orgs/{id}/stats/",
        "/api/v1/members/",
        "/api/v1/auth/token/",
    } <= set(paths)


def test_docs_assets_are_served_locally(db):
    html = Client().get(reverse("api-docs")).content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.startswith("/static/drf_spectacular_sidecar/swagger-ui-dist/") for a in assets)
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))]
    assert "cdn" not in html.lower()
