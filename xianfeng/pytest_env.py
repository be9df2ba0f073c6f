"""Loaded by pytest (`-p xianfeng.pytest_env` in pyproject.toml) before Django reads its settings.

The suite runs with DEBUG off, as production does, so it needs a SECRET_KEY of its own: settings
refuse to start without one.
"""

import os

os.environ.setdefault("SECRET_KEY", "xianfeng-test-suite-key-" + "x" * 40)
