from django.conf import settings
from django.urls import reverse


def test_simplified_chinese_whatever_the_browser_says(client, db):
    body = client.get(
        reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert 'lang="zh-hans"' in body and "登录" in body


def test_the_switch_wins(client, db):
    resp = client.post(reverse("set_language"), {"language": "zh-hant", "next": "/accounts/login/"})
    assert resp.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hant"
    body = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="zh-hant"' in body and "登錄" in body


def test_english_through_the_switch(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="en"' in body and "Log in" in body
