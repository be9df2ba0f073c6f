"""Registry of rollups (docs/decisions/0004-dashboard-rollups.md).

Each app that keeps rollup rows registers a checker with `@rollup_checker(name)`:
`fn(org_paths, *, fix) -> [Drift]`, where `org_paths` is None (everything) or the
materialized paths of the subtrees to recompute from the source rows. `manage.py
check_rollups [--org CODE] [--fix]` (in `orgs`) runs every checker; core imports no app.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Drift:
    rollup: str
    organization_id: int
    key: tuple
    stored: object
    actual: object


Checker = Callable[..., list[Drift]]
CHECKERS: dict[str, Checker] = {}


def rollup_checker(name: str):
    def register(fn):
        CHECKERS[name] = fn
        return fn

    return register


def check_all(org_paths=None, *, fix=False, only=None) -> list[Drift]:
    found = []
    for name, fn in CHECKERS.items():
        if only and name not in only:
            continue
        found += fn(org_paths, fix=fix)
    return found


# Rollups re-counted per organization when its members change (members.services calls
# `members_changed` inside refresh_org_counts, under the organizations' row locks).
MEMBER_HOOKS: list[Callable] = []


def on_members_changed(fn):
    if fn not in MEMBER_HOOKS:
        MEMBER_HOOKS.append(fn)
    return fn


def members_changed(org_ids) -> None:
    for fn in MEMBER_HOOKS:
        fn(org_ids)


def register_member_rollup(name: str, *, drift: Callable, recount: Callable) -> None:
    """A rollup kept per organization from its members: `check_rollups` compares it with
    `drift(org_paths, fix=)` rows, and member writes re-count it under the row locks."""

    @rollup_checker(name)
    def check(org_paths, *, fix=False):
        return [Drift(name, *row) for row in drift(org_paths, fix=fix)]

    def recount_locked(org_ids):
        recount(org_ids, locked=True)

    recount_locked.rollup = name
    if not any(getattr(fn, "rollup", None) == name for fn in MEMBER_HOOKS):
        MEMBER_HOOKS.append(recount_locked)
