"""Every URL × every role of the `world` fixture, allowed and denied, in one table.

The URL list comes from the resolver, so a new URL without a row fails
`test_every_url_has_a_row`. Statuses are written out per role, in ROLES order:

    302 = redirect to login (pages) · 401 = no credentials (API) · 403 = role lacks the
    permission everywhere · 404 = object outside the user's subtrees (or missing) ·
    405 = method not allowed · 400 = allowed, but the empty request body is invalid.

Objects: `branch` (北关社区党支部, in the street and in the branch grants), `member` (张三,
in that branch; the `member` login is linked to him), `committee`/`seat` on that branch,
`job` (an import job uploaded by street_admin), `user` (another observer login on the
branch, so deactivating it does not log out a role under test).
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from xianfeng.accounts.roles import Role
from xianfeng.development.tests.factories import start as start_development
from xianfeng.enterprise.testing import make_enterprise
from xianfeng.excel.models import ImportJob, ImportKind
from xianfeng.grid.testing import matrix_grid_objects
from xianfeng.orgs import services as org_services
from xianfeng.orgs.models import SeatPost
from xianfeng.testing import make_user

ROLES = (
    "anonymous",
    "admin",
    "street_admin",
    "committee_secretary",
    "branch_secretary",
    "org_officer",
    "grid_worker",
    "observer",
    "member",
    "outsider",
)

# Deliberately outside the matrix: Django's own admin (staff only, its own permission
# system), static/media file serving, and i18n's language switch (no data, no scope).
EXCLUDED_PREFIXES = ("django-admin/", "static/", "media/")
EXCLUDED_NAMES = {"set_language"}

# url name: (kwargs, statuses for GET)
#                                            anon adm st  cs  bs  oo  gw  ob  mem out
GET = {
    "core:home": ("", "302 302 302 302 302 302 302 302 302 302"),
    "core:healthz": ("", "200 200 200 200 200 200 200 200 200 200"),
    "accounts:login": ("", "200 200 200 200 200 200 200 200 200 200"),
    "accounts:logout": ("", "405 405 405 405 405 405 405 405 405 405"),
    "accounts:password_change": ("", "302 200 200 200 200 200 200 200 200 200"),
    "accounts:password_changed": ("", "302 200 200 200 200 200 200 200 200 200"),
    "accounts:user_list": ("", "302 200 200 403 403 403 403 403 403 403"),
    "accounts:user_create": ("", "302 200 200 403 403 403 403 403 403 403"),
    "accounts:user_detail": ("pk=user", "302 200 200 403 403 403 403 403 403 403"),
    "accounts:grant_revoke": ("pk=user", "405 405 405 405 405 405 405 405 405 405"),
    "accounts:user_set_active": ("pk=user", "405 405 405 405 405 405 405 405 405 405"),
    "orgs:tree": ("", "302 200 200 200 200 200 200 200 403 200"),
    "orgs:terms": ("", "302 200 200 200 200 200 200 200 403 200"),
    "orgs:warnings": ("", "302 200 200 200 200 200 200 200 403 200"),
    "orgs:detail": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "orgs:children": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "orgs:create": ("pk=branch", "302 200 200 200 200 200 403 403 403 404"),
    "orgs:edit": ("pk=branch", "302 200 200 200 200 200 403 403 403 404"),
    "orgs:committee_start": ("pk=branch", "302 200 200 200 200 200 403 403 403 404"),
    "orgs:move": ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    "orgs:merge": ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    "orgs:split": ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    "orgs:dissolve": ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    "orgs:seat_add": ("pk=committee", "302 200 200 200 200 200 403 403 403 404"),
    "orgs:seat_end": ("pk=seat", "302 200 200 200 200 200 403 403 403 404"),
    "members:list": ("", "302 200 200 200 200 200 200 200 200 200"),
    "members:count": ("", "302 200 200 200 200 200 200 200 200 200"),
    "members:create": ("", "302 200 200 200 200 200 403 403 403 200"),
    "members:audit": ("", "302 200 200 200 403 403 403 403 403 403"),
    "members:detail": ("pk=member", "302 200 200 200 200 200 200 200 200 404"),
    "members:edit": ("pk=member", "302 200 200 200 200 200 403 403 403 404"),
    "members:reveal": ("pk=member", "405 405 405 405 405 405 405 405 405 405"),
    "members:status": ("pk=member", "302 200 200 200 200 200 403 403 403 404"),
    "members:confirm": ("pk=member", "302 200 200 200 200 200 403 403 403 404"),
    "members:tags": ("pk=member", "302 200 200 200 200 200 403 403 403 404"),
    "excel:home": ("", "302 200 200 200 403 200 403 403 403 403"),
    "excel:template": ("kind=members", "302 200 200 200 403 200 403 403 403 403"),
    "excel:upload": ("kind=members", "405 405 405 405 405 405 405 405 405 405"),
    "excel:job": ("pk=job", "302 200 200 404 403 404 403 403 403 403"),
    "excel:job_status": ("pk=job", "302 200 200 404 403 404 403 403 403 403"),
    "excel:export_members": ("", "302 200 200 200 200 200 403 200 403 200"),
    "excel:export_orgs": ("", "302 200 200 200 200 200 403 200 403 200"),
    "development:list": ("", "302 200 200 200 200 200 200 200 403 200"),
    "development:start": ("", "302 200 200 200 200 200 403 403 403 200"),
    "development:plan": ("", "302 200 200 200 200 200 200 200 403 200"),
    "development:rules": ("", "302 200 200 200 200 200 200 200 403 200"),
    "development:detail": ("pk=development", "302 200 200 200 200 200 200 200 403 404"),
    "development:record": ("pk=development", "302 302 302 302 302 302 403 403 403 404"),
    "development:report": ("pk=development", "405 405 405 405 405 405 405 405 405 405"),
    "dues:home": ("", "302 200 200 200 200 200 200 200 403 200"),
    "dues:sheet": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "dues:bulk": ("pk=branch", "405 405 405 405 405 405 405 405 405 405"),
    "dues:ledger": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "dues:ledger_xlsx": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "dues:member": ("pk=member", "302 200 200 200 200 200 200 200 200 404"),
    "dues:basis": ("pk=member", "405 405 405 405 405 405 405 405 405 405"),
    "dues:pay": ("pk=member", "405 405 405 405 405 405 405 405 405 405"),
    "dues:voluntary": ("pk=member", "405 405 405 405 405 405 405 405 405 405"),
    "requests:list": ("", "302 200 200 200 200 403 200 200 200 200"),
    "requests:create": ("", "302 200 200 200 200 403 200 403 403 200"),
    "requests:figures": ("", "302 200 200 200 200 403 200 200 403 200"),
    "requests:inbox": ("", "302 200 200 200 200 403 200 200 200 200"),
    "requests:inbox_read": ("", "405 405 405 405 405 405 405 405 405 405"),
    "requests:detail": ("pk=request", "302 200 200 200 200 403 200 200 404 404"),
    "requests:accept": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:ask": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:escalate": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:reject": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:arbitrate": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:call_in": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:call_in_done": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:solve": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:close": ("pk=request", "405 405 405 405 405 405 405 405 405 405"),
    "requests:public_intake": ("", "200 200 200 200 200 200 200 200 200 200"),
    "requests:public_grid": ("grid_code=board", "200 200 200 200 200 200 200 200 200 200"),
    "requests:track": ("code=code,secret=secret", "200 200 200 200 200 200 200 200 200 200"),
    "requests:reply": ("code=code,secret=secret", "405 405 405 405 405 405 405 405 405 405"),
    "requests:rate": ("code=code,secret=secret", "405 405 405 405 405 405 405 405 405 405"),
    "requests:reopen": ("code=code,secret=secret", "405 405 405 405 405 405 405 405 405 405"),
    "open311:discovery": ("fmt=json", "200 200 200 200 200 200 200 200 200 200"),
    "open311:services": ("fmt=xml", "200 200 200 200 200 200 200 200 200 200"),
    "open311:service": ("fmt=json,code=service", "200 200 200 200 200 200 200 200 200 200"),
    "open311:requests": ("fmt=json", "200 200 200 200 200 200 200 200 200 200"),
    "open311:request": ("fmt=xml,request_id=code", "200 200 200 200 200 200 200 200 200 200"),
    "open311:token": ("fmt=json,token=code", "200 200 200 200 200 200 200 200 200 200"),
    "grid:home": ("", "302 200 200 200 200 200 200 200 403 200"),
    "grid:create_root": ("", "302 200 200 200 200 200 403 403 403 200"),
    "grid:org_figures": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "grid:detail": ("pk=grid", "302 200 200 200 200 200 200 200 403 404"),
    "grid:children": ("pk=grid", "302 200 200 200 200 200 200 200 403 404"),
    "grid:board": ("pk=grid", "302 200 200 200 200 200 200 200 403 404"),
    "grid:plates": ("pk=grid", "302 200 200 200 200 200 200 200 403 404"),
    "grid:figures": ("pk=grid", "302 200 200 200 200 200 200 200 403 404"),
    "grid:activities": ("pk=grid", "302 200 200 200 200 200 200 200 403 404"),
    "grid:create": ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    "grid:edit": ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    "grid:staff_add": ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    "grid:central_add": ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    "grid:zone_add": ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    "grid:household_add": ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    "grid:activity_add": ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    "grid:staff_end": ("pk=grid_staff", "302 200 200 200 200 200 200 403 403 404"),
    "grid:central_end": ("pk=central", "405 405 405 405 405 405 405 405 405 405"),
    "grid:household": ("pk=household", "302 200 200 200 200 200 200 200 403 404"),
    "grid:household_edit": ("pk=household", "302 200 200 200 200 200 200 403 403 404"),
    "grid:visit_add": ("pk=household", "405 405 405 405 405 405 405 405 405 405"),
    "api:grids-list": ("", "401 200 200 200 200 200 200 200 403 200"),
    "api:grids-detail": ("pk=grid", "401 200 200 200 200 200 200 200 403 404"),
    "api:grids-children": ("pk=grid", "401 200 200 200 200 200 200 200 403 404"),
    "api:grids-chain": ("pk=grid", "401 200 200 200 200 200 200 200 403 404"),
    "enterprise:list": ("", "302 200 200 200 200 403 200 200 403 200"),
    "enterprise:mine": ("", "302 200 200 200 200 200 200 200 200 200"),
    "enterprise:figures": ("", "302 200 200 200 200 403 200 200 403 200"),
    "enterprise:create": ("", "302 200 200 200 200 403 200 403 403 200"),
    "enterprise:detail": ("pk=enterprise", "302 200 200 200 200 403 200 200 403 404"),
    "enterprise:edit": ("pk=enterprise", "302 200 200 200 200 403 200 403 403 404"),
    "enterprise:intake": ("pk=enterprise", "302 200 200 200 200 403 200 403 403 404"),
    "api:token": ("", "405 405 405 405 405 405 405 405 405 405"),
    "api:orgs-list": ("", "401 200 200 200 200 200 200 200 403 200"),
    "api:orgs-detail": ("pk=branch", "401 200 200 200 200 200 200 200 403 404"),
    "api:orgs-children": ("pk=branch", "401 200 200 200 200 200 200 200 403 404"),
    "api:orgs-stats": ("pk=branch", "401 200 200 200 200 200 200 200 403 404"),
    "api:members-list": ("", "401 200 200 200 200 200 200 200 200 200"),
    "api:members-detail": ("pk=member", "401 200 200 200 200 200 200 200 200 404"),
    "api:members-reveal": ("pk=member", "401 405 405 405 405 405 405 405 403 405"),
    "api-schema": ("", "200 200 200 200 200 200 200 200 200 200"),
    "api-docs": ("", "200 200 200 200 200 200 200 200 200 200"),
    "api-redoc": ("", "200 200 200 200 200 200 200 200 200 200"),
}

# Writes, each with an empty body: what matters is who gets past the permission check.
#                                                       anon adm st  cs  bs  oo  gw  ob  mem out
WRITE = {
    ("POST", "accounts:login"): ("", "200 200 200 200 200 200 200 200 200 200"),
    ("POST", "accounts:logout"): ("", "302 302 302 302 302 302 302 302 302 302"),
    ("POST", "accounts:password_change"): ("", "302 200 200 200 200 200 200 200 200 200"),
    ("POST", "accounts:user_create"): ("", "302 200 200 403 403 403 403 403 403 403"),
    # No `grant` in the body: the grant lookup answers 404 once the permission check passed.
    ("POST", "accounts:grant_revoke"): ("pk=user", "302 404 404 403 403 403 403 403 403 403"),
    ("POST", "accounts:user_set_active"): ("pk=user", "302 302 302 403 403 403 403 403 403 403"),
    ("POST", "orgs:create"): ("pk=branch", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "orgs:edit"): ("pk=branch", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "orgs:committee_start"): ("pk=branch", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "orgs:move"): ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    ("POST", "orgs:merge"): ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    ("POST", "orgs:split"): ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    ("POST", "orgs:dissolve"): ("pk=branch", "302 200 200 403 403 200 403 403 403 403"),
    ("POST", "orgs:seat_add"): ("pk=committee", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "orgs:seat_end"): ("pk=seat", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "members:create"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "members:edit"): ("pk=member", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "members:reveal"): ("pk=member", "302 200 200 200 200 200 403 403 200 404"),
    ("POST", "members:status"): ("pk=member", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "members:confirm"): ("pk=member", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "members:tags"): ("pk=member", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "excel:upload"): ("kind=members", "302 302 302 302 403 302 403 403 403 403"),
    ("POST", "development:start"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "development:plan"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "development:record"): ("pk=development", "302 200 200 200 200 200 403 403 403 404"),
    ("POST", "development:report"): ("pk=development", "302 200 200 200 200 200 403 403 403 404"),
    # Invalid body: the form error is shown on the page the POST came from.
    ("POST", "dues:bulk"): ("pk=branch", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "dues:basis"): ("pk=member", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "dues:pay"): ("pk=member", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "dues:voluntary"): ("pk=member", "302 302 302 302 302 302 403 403 403 404"),
    # Requests: an empty body is refused with a message on the request page (302); the first
    # allowed role's accept succeeds, later ones are told it is taken — both redirect.
    ("POST", "requests:create"): ("", "302 200 200 200 200 403 200 403 403 200"),
    ("POST", "requests:inbox_read"): ("", "302 302 302 302 302 403 302 302 302 302"),
    ("POST", "requests:accept"): ("pk=request", "302 302 302 302 302 403 302 302 404 404"),
    ("POST", "requests:ask"): ("pk=request", "302 302 302 302 302 403 302 302 404 404"),
    ("POST", "requests:escalate"): ("pk=request", "302 302 302 302 302 403 302 302 404 404"),
    ("POST", "requests:reject"): ("pk=request", "302 302 302 302 302 403 302 302 404 404"),
    ("POST", "requests:solve"): ("pk=request", "302 302 302 302 302 403 302 302 404 404"),
    ("POST", "requests:close"): ("pk=request", "302 302 302 302 302 403 302 302 404 404"),
    ("POST", "requests:call_in_done"): ("pk=request", "302 302 302 302 302 403 302 302 404 404"),
    ("POST", "requests:arbitrate"): ("pk=request", "302 302 302 302 403 403 403 403 403 403"),
    ("POST", "requests:call_in"): ("pk=request", "302 302 302 302 403 403 403 403 403 403"),
    ("POST", "requests:public_intake"): ("", "200 200 200 200 200 200 200 200 200 200"),
    ("POST", "requests:public_grid"): (
        "grid_code=board",
        "200 200 200 200 200 200 200 200 200 200",
    ),
    ("POST", "requests:reply"): (
        "code=code,secret=secret",
        "302 302 302 302 302 302 302 302 302 302",
    ),
    ("POST", "requests:rate"): (
        "code=code,secret=secret",
        "302 302 302 302 302 302 302 302 302 302",
    ),
    ("POST", "requests:reopen"): (
        "code=code,secret=secret",
        "302 302 302 302 302 302 302 302 302 302",
    ),
    # Open311: creating a request needs an api_key (403 without one), whoever is logged in.
    ("POST", "open311:requests"): ("fmt=json", "403 403 403 403 403 403 403 403 403 403"),
    # Grid forms: an empty body re-renders the form with its errors (200).
    ("POST", "grid:create_root"): ("", "302 200 200 200 200 200 403 403 403 200"),
    ("POST", "grid:create"): ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:edit"): ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:staff_add"): ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:central_add"): ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:zone_add"): ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:household_add"): ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:activity_add"): ("pk=grid", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:staff_end"): ("pk=grid_staff", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:household_edit"): ("pk=household", "302 200 200 200 200 200 200 403 403 404"),
    ("POST", "grid:central_end"): ("pk=central", "302 302 302 302 302 302 302 403 403 404"),
    ("POST", "grid:visit_add"): ("pk=household", "302 302 302 302 302 302 302 403 403 404"),
    # Enterprise forms: an empty body re-renders the form with its errors (200).
    ("POST", "enterprise:create"): ("", "302 200 200 200 200 403 200 403 403 200"),
    ("POST", "enterprise:edit"): ("pk=enterprise", "302 200 200 200 200 403 200 403 403 404"),
    ("POST", "enterprise:intake"): ("pk=enterprise", "302 200 200 200 200 403 200 403 403 404"),
    ("POST", "api:token"): ("", "400 400 400 400 400 400 400 400 400 400"),
    ("POST", "api:orgs-list"): ("", "401 400 400 400 400 400 403 403 403 400"),
    ("PATCH", "api:orgs-detail"): ("pk=branch", "401 200 200 200 200 200 403 403 403 404"),
    ("POST", "api:members-list"): ("", "401 400 400 400 400 400 403 403 403 400"),
    ("PATCH", "api:members-detail"): ("pk=member", "401 200 200 200 200 200 403 403 403 404"),
    ("POST", "api:members-reveal"): ("pk=member", "401 200 200 200 200 200 403 403 200 404"),
}


def url_names(patterns=None, prefix="", namespace=""):
    """Every URL pattern of the project as (qualified name or route, route)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from url_names(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name])) if entry.name else route
            yield name, route


def project_urls():
    return sorted(
        {
            name
            for name, route in url_names()
            if not route.startswith(EXCLUDED_PREFIXES) and name not in EXCLUDED_NAMES
        }
    )


def expected(statuses):
    codes = [int(code) for code in statuses.split()]
    assert len(codes) == len(ROLES), statuses
    return dict(zip(ROLES, codes, strict=True))


def test_every_url_has_a_row():
    missing = [name for name in project_urls() if name not in GET]
    assert not missing, f"URLs without a row in the permission matrix: {missing}"


def test_every_row_is_a_url():
    stale = set(GET) - set(project_urls()) | {name for _, name in WRITE} - set(GET)
    assert not stale, f"rows for URLs that no longer exist: {sorted(stale)}"


@pytest.fixture
def objects(world):
    branch = world.branch
    committee = org_services.start_committee(
        branch, elected_on=timezone.localdate(), actor=world.users["admin"]
    )
    seat = org_services.assign_seat(
        committee,
        world.member,
        SeatPost.SECRETARY,
        started_on=timezone.localdate(),
        actor=world.users["admin"],
    )
    job = ImportJob.objects.create(
        kind=ImportKind.MEMBERS, file="imports/x.xlsx", created_by=world.users["street_admin"]
    )
    return {
        "branch": branch.pk,
        "member": world.member.pk,
        "committee": committee.pk,
        "seat": seat.pk,
        "job": job.pk,
        "development": start_development(world).pk,
        "user": make_user("target", role=Role.OBSERVER, org=branch).pk,
        "members": "members",
        **matrix_grid_objects(world),
        **_request_objects(world),
        "enterprise": make_enterprise(world.branch).pk,
    }


def _request_objects(world):
    from xianfeng.grid.testing import make_grid
    from xianfeng.resident_requests.testing import make_category, make_request

    board = make_grid("北关社区", kind="community", code="BOARD1", organization=world.branch)
    req = make_request(organization=world.branch, category=make_category(code="lamp"))
    return {
        "request": req.pk,
        "code": req.tracking_code,
        "secret": req.secret,
        "board": board.code,
        "service": "lamp",
        "json": "json",
        "xml": "xml",
    }


def resolve(name, spec, objects):
    kwargs = {}
    for item in filter(None, spec.split(",")):
        key, ref = item.split("=")
        kwargs[key] = objects[ref]
    return reverse(name, kwargs=kwargs)


def status_as(world, role, method, url, name):
    cache.clear()  # login throttling counters
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    if method == "GET":
        return client.get(url).status_code
    api = name.startswith("api:")
    content_type = "application/json" if api else "application/x-www-form-urlencoded"
    return client.generic(method, url, "", content_type=content_type).status_code


CASES = [("GET", name) for name in sorted(GET)] + sorted(WRITE)


@pytest.mark.parametrize(("method", "name"), CASES)
def test_matrix(world, objects, method, name):
    """One URL as every role; all mismatches reported together."""
    spec, statuses = GET[name] if method == "GET" else WRITE[(method, name)]
    url = resolve(name, spec, objects)
    actual = {role: status_as(world, role, method, url, name) for role in ROLES}
    wrong = {r: f"{actual[r]} (want {w})" for r, w in expected(statuses).items() if actual[r] != w}
    assert not wrong, f"{method} {url}: {wrong}"
