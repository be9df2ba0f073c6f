import pytest
from django.urls import reverse


def test_login_and_logout(client, world, password):
    resp = client.post(
        reverse("accounts:login"), {"username": "street_admin", "password": password}
    )
    assert resp.status_code == 302
    assert client.get(reverse("orgs:tree")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("orgs:tree")).status_code == 302


def test_wrong_password_is_chinese_and_locks_after_limit(client, world, password, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    url = reverse("accounts:login")
    for _ in range(3):
        resp = client.post(url, {"username": "street_admin", "password": "wrong-password-1"})
        assert "用户名或密码错误" in resp.content.decode()
    resp = client.post(url, {"username": "street_admin", "password": password})
    assert resp.status_code == 200
    assert "登录失败次数过多" in resp.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_page_sends_utf8_and_security_headers(client, db):
    resp = client.get(reverse("accounts:login"))
    body = resp.content.decode()
    assert '<meta charset="utf-8">' in body
    assert resp["X-Frame-Options"] == "DENY"
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert 'name="csrfmiddlewaretoken"' in body


def test_csrf_enforced_on_login(db, world, password):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    resp = client.post(
        reverse("accounts:login"), {"username": "street_admin", "password": password}
    )
    assert resp.status_code == 403


def test_weak_passwords_rejected():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["short1!", "abcdefghijkl", "1234567890123", "password123"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("hongqi-2026-piao")
