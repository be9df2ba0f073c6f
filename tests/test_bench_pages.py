"""The page bench's URL filling (issue 19 §2): every URL pattern of the project has a filler,
the filled path resolves back to the same view, and the fillers find their rows in a small
generated city. A new URL without a filler fails here, so a new page is benched by default."""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import resolve

from bench import pages


def test_every_url_pattern_has_a_filler():
    missing = [p.route for p in pages.patterns() if pages.filler_for(p) is None]
    assert missing == []


def test_fillers_name_real_models_scoped_by_organization():
    for key, filler in pages.FILLERS.items():
        label = getattr(filler, "label", None)
        if label is None:
            continue
        model = apps.get_model(label)  # raises for a model that does not exist
        path = pages.org_path(model)
        if path is not None:
            # The lookup compiles: it is a real chain of foreign keys.
            str(model.objects.filter(**{f"{path}__path__startswith": "0001"}).query)
        assert key in {p.key for p in pages.patterns()}, f"{key}: no such route any more"


def _fake(route):
    """Values of the converters' own types, to check that the built path resolves back."""
    values = {}
    for m in pages.PARAM.finditer(route):
        conv, name, rname, regex = m.groups()
        if rname:
            words = regex.split("|")
            if re.fullmatch(r"[\w|]+", regex):
                values[rname] = words[0]
            else:
                values[rname] = "7" if regex == "[0-9]+" else "x1"
        else:
            values[name] = 7 if conv == "int" else "x1"
    return values


def bare(route):
    return route.replace("^", "").replace("$", "")


def test_built_paths_resolve_to_their_own_pattern():
    seen = 0
    for p in pages.patterns():
        if p.route.startswith("django-admin/") and "(?P<url>" in p.route:
            continue  # the admin's catch-all matches anything
        path = pages.build_url(p.route, _fake(p.route))
        match = resolve(path)
        assert bare(match.route) == bare(p.route), path
        seen += 1
    assert seen > 300


def test_list_pages_and_kinds():
    by_route = {p.route: p for p in pages.patterns()}
    assert pages.is_list(by_route["members/"])
    assert pages.is_list(by_route["dues/org/<int:pk>/"])
    assert not pages.is_list(by_route["members/<int:pk>/"])
    assert by_route["api/v1/^members/$"].kind == "api"
    assert by_route["members/"].kind == "page"


@pytest.mark.django_db
def test_fillers_find_rows_in_a_small_generated_city():
    call_command("gen_city", members=600, orgs=40, stdout=StringIO())
    from xianfeng.orgs.models import Organization

    city = Organization.objects.get(code="GC0000001")
    world = pages.World.build(city)
    assert world.branch.path.startswith(world.street.path)
    assert world.street.path.startswith(city.path)
    assert world.users["branch"].member.organization_id == world.branch.pk

    by_route = {p.route: p for p in pages.patterns()}
    for role in pages.ROLES:
        values = pages.fill(by_route["orgs/<int:pk>/"], world, role)
        assert values == {"pk": world.orgs[role].pk}
    member = pages.fill(by_route["members/<int:pk>/"], world, "branch")["pk"]
    assert (
        apps.get_model("members.Member")
        .objects.get(pk=member)
        .organization.path.startswith(world.branch.path)
    )
    if connection.vendor != "postgresql":
        return  # the modules are generated on PostgreSQL only
    generated = (
        "meetings/<int:pk>/",
        "requests/<int:pk>/",
        "grid/<int:pk>/",
        "grid/household/<int:pk>/",
        "transfers/<int:pk>/",
        "development/<int:pk>/",
        "tasks/<int:pk>/",
        "tasks/brands/<int:pk>/",
        "learning/courses/<int:pk>/",
        "archives/item/<int:pk>/review/",
        "points/event/<int:pk>/reverse/",
        "r/t/<str:code>/<str:secret>/",
        "meetings/signin/<str:token>/",
        # Filled since the first page bench (gen_city's later modules):
        "orgs/seats/<int:pk>/end/",
        "elections/<int:pk>/",
        "instructors/<int:pk>/",
        "cadres/<int:pk>/",
        "notices/<int:pk>/read/",
        "points/claims/<int:pk>/approve/",
        "points/rules/<int:pk>/",
        "learning/quizzes/<int:pk>/",
        "excel/jobs/<int:pk>/",
        "transfers/mobile/<int:pk>/",
        "grid/staff/<int:pk>/end/",
        "service/projects/<int:pk>/",
        "service/activities/<int:pk>/",
        "api/v1/^star-ratings/(?P<pk>[^/]+)/$",
        "api/v1/^member-assessments/(?P<pk>[^/]+)/$",
        "requests/<int:pk>/call-in/<int:call_pk>/link/",
        # The campaigns and venues modules (the resident portal under /m/):
        "campaigns/<int:pk>/",
        "campaigns/cases/<int:pk>/",
        "campaigns/assignments/<int:pk>/done/",
        "venues/<int:pk>/",
        "venues/bookings/<int:pk>/",
        "venues/activities/<int:pk>/",
        "m/c/<str:code>/",
        "m/v/<int:pk>/",
        "m/in/<str:token>/",
        "m/b/<str:token>/",
        "m/me/signups/<int:pk>/cancel/",
    )
    for route in generated:
        values = pages.fill(by_route[route], world, "branch")
        assert resolve(pages.build_url(route, values))


@pytest.mark.django_db
def test_the_admin_finds_an_organization():
    call_command("gen_city", members=50, orgs=12, bare=True, stdout=StringIO())
    from xianfeng.orgs.models import Organization

    world = pages.World.build(Organization.objects.get(code="GC0000001"))
    assert world.first("orgs.Organization") == world.branch.pk
