"""Issue 13 §5: production settings refuse to run insecure."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from xianfeng.accounts.roles import Role
from xianfeng.accounts.services import create_user
from xianfeng.core.errors import DomainError

ROOT = Path(__file__).resolve().parents[2]


def _start(**env):
    """Import the settings in a fresh interpreter, as gunicorn or manage.py would."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "xianfeng.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_secret_key_and_debug_off_it_refuses_to_start():
    result = _start()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_with_debug_on_the_demo_still_starts_without_a_key():
    result = _start(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_with_a_key_production_starts():
    result = _start(SECRET_KEY="k" * 20 + "production-key-for-the-test-0123456789")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("password", ["qiye2qiye2", "2eyiq2eyiq!", "xQIYE2-2026"])
def test_password_containing_the_username_is_refused(world, password):
    with pytest.raises(DomainError) as exc:
        create_user(
            username="qiye2",
            password=password,
            role=Role.OBSERVER,
            organization=world.branch,
            actor=world.users["admin"],
        )
    assert "用户名" in exc.value.message
