"""Issue 13 §5: `check --deploy` is clean with the documented production settings, and every
page carries a Content-Security-Policy that its own markup obeys (no inline handlers, inline
scripts only with the response's nonce). tests/browser/test_csp.py drives the pages."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "xianfeng").rglob("templates/**/*.html"))

INLINE_SCRIPT = r"<script(?![^>]*\bsrc=)[^>]*>"
PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "dangjian.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://dangjian.example.gov.cn",
    "SECURE_COOKIES": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_SSL_REDIRECT": "1",
    "XIANFENG_TRUSTED_PROXIES": "127.0.0.1",
}


def test_check_deploy_is_clean_with_the_documented_settings():
    # The browser tests allow sync ORM calls in their event loop; a deployment never does.
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**env, **PRODUCTION},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_documented_settings_are_the_ones_tested():
    operations = (ROOT / "docs" / "operations.md").read_text()
    for name, value in PRODUCTION.items():
        if name not in {"SECRET_KEY"}:
            assert f"{name}={value}" in operations, name


def test_pages_send_a_nonce_csp(login, world):
    response = login(world.users["admin"]).get(reverse("orgs:detail", args=[world.branch.pk]))
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    # django-csp does not keep the directives in a fixed order: find script-src by name.
    directives = {d.split()[0]: d for d in (part.strip() for part in policy.split(";")) if d}
    script_src = directives["script-src"]
    assert (
        script_src.startswith("script-src 'self' 'nonce-") and "'unsafe-inline'" not in script_src
    )
    body = response.content.decode()
    scripts = [t for t in re.findall(INLINE_SCRIPT, body) if "application/json" not in t]
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)


def test_no_template_has_inline_handlers_or_unnonced_scripts():
    offenders = []
    for path in TEMPLATES:
        text = path.read_text()
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text) or "javascript:" in text:
            offenders.append(f"{path}: inline handler")
        for tag in re.findall(INLINE_SCRIPT, text):
            if "csp_nonce" not in tag and "application/json" not in tag:
                offenders.append(f"{path}: {tag}")
    assert not offenders, offenders


def test_hsts_is_sent_when_configured(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("accounts:login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
