"""`core` is the ground: it imports no other app of the project (docs/architecture.md)."""

import ast
from pathlib import Path

import xianfeng.core

CORE = Path(xianfeng.core.__file__).parent
DOMAIN_APPS = {p.parent.name for p in CORE.parent.glob("*/apps.py")} - {"core"}


def _names_domain_app(dotted):
    parts = dotted.split(".")
    return parts[0] == "xianfeng" and len(parts) > 1 and parts[1] in DOMAIN_APPS


def _imports(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_every_app_is_seen():
    assert {"accounts", "members", "points", "demo"} <= DOMAIN_APPS


def test_core_imports_no_domain_app():
    """Every import in core (module level or inside a function, tests excepted) stays in core."""
    offending = [
        f"{path.relative_to(CORE)}: {name}"
        for path in sorted(CORE.rglob("*.py"))
        if "tests" not in path.parts
        for name in _imports(path)
        if name.startswith("xianfeng.")
        and not name.startswith(("xianfeng.core", "xianfeng.settings"))
    ]
    assert offending == []


def test_core_urls_and_strings_name_no_domain_app():
    """`include("xianfeng.members.urls")` and friends are imports too (the project urls mount them)."""
    offending = [
        f"{path.relative_to(CORE)}: {node.value}"
        for path in sorted(CORE.rglob("*.py"))
        if "tests" not in path.parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and _names_domain_app(node.value)
    ]
    assert offending == []
