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
from xianfeng.excel.models import ImportJob, ImportKind
from xianfeng.orgs import services as org_services
from xianfeng.orgs.models import SeatPost
from xianfeng.points.tests.factories import matrix_objects
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
    "points:home": ("", "302 200 200 200 200 200 200 200 403 200"),
    "points:rule_create": ("", "302 200 200 403 403 403 403 403 403 403"),
    "points:rule": ("pk=rule", "302 200 200 200 200 200 200 200 403 200"),
    "points:rule_edit": ("pk=rule", "302 200 200 403 403 403 403 403 403 403"),
    "points:ranking": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "points:board": ("pk=branch", "302 200 200 200 200 200 200 200 403 404"),
    "points:close": ("pk=branch", "405 405 405 405 405 405 405 405 405 405"),
    "points:member": ("pk=member", "302 200 200 200 200 200 200 200 403 404"),
    "points:award": ("pk=member", "405 405 405 405 405 405 405 405 405 405"),
    "points:card": ("pk=member", "302 200 200 200 200 200 200 200 403 404"),
    "points:reverse": ("pk=event", "405 405 405 405 405 405 405 405 405 405"),
    "points:claims": ("", "302 200 200 200 200 200 403 403 403 200"),
    "points:claim_approve": ("pk=claim", "405 405 405 405 405 405 405 405 405 405"),
    "points:claim_reject": ("pk=claim", "405 405 405 405 405 405 405 405 405 405"),
    # The claim is 张三's own: he and the secretaries over him may open the evidence.
    "points:claim_evidence": ("pk=claim", "302 200 200 200 200 200 404 404 200 404"),
    "points:me": ("", "302 404 404 404 404 404 404 404 200 404"),
    "points:my_claim": ("", "405 405 405 405 405 405 405 405 405 405"),
    "points:my_card": ("", "302 404 404 404 404 404 404 404 200 404"),
    "points:scan": ("token=card", "302 200 200 200 200 200 403 403 403 404"),
    "api:points-ledger": ("pk=member", "401 200 200 200 200 200 200 200 403 404"),
    "api:points-rankings": ("", "401 400 400 400 400 400 400 400 403 400"),
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
    ("POST", "points:rule_create"): ("", "302 200 200 403 403 403 403 403 403 403"),
    ("POST", "points:rule_edit"): ("pk=rule", "302 200 200 403 403 403 403 403 403 403"),
    # Invalid bodies: the refusal is a message on the page the POST came from.
    ("POST", "points:close"): ("pk=branch", "302 302 302 403 403 403 403 403 403 403"),
    ("POST", "points:award"): ("pk=member", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "points:reverse"): ("pk=event", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "points:claim_approve"): ("pk=claim", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "points:claim_reject"): ("pk=claim", "302 302 302 302 302 302 403 403 403 404"),
    ("POST", "points:my_claim"): ("", "302 404 404 404 404 404 404 404 302 404"),
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
def objects(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
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
        **matrix_objects(world),
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
