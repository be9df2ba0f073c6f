"""Every list page shows 共 N 条 or a pager, and its next page works (issue 15 §2).

The pages come from the URL resolver through the page bench (bench.pages: a list page has no
parameter, or only its organization), so a new list page fails here until it is classified.
A small generated city fills them, and core.lists shrinks its page to 2 rows so that every
paged list with 3 rows or more has a second page to open (the member list's keyset pages
stay 50: the city's 600 members give it a second page too)."""

import html
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import pages
from xianfeng.core import lists

TOTAL = re.compile(r'data-testid="total">共 (\d+) 条')
PAGER = re.compile(r'class="pager\b')
NEXT = re.compile(r'<a [^>]*href="([^"]*)"[^>]*>\s*(?:下一页|较早)')

# The list pages that show 共 N 条 (core/pager.html) or a keyset pager (members).
PAGED = {
    "campaigns/",
    "campaigns/mine/",
    "accounts/users/",
    "orgs/terms/",
    "orgs/warnings/",
    "members/",
    "members/audit/",
    "development/",
    "dues/",
    "tasks/",
    "learning/",
    "learning/manage/",
    "service/",
    "service/check-ins/",
    "service/units/",
    "service/studios/",
    "service/alliances/",
    "service/volunteers/",
    "service/activities/",
    "archives/",
    "archives/org/<int:pk>/",
    "cadres/",
    "requests/",
    "transfers/",
    "standing/",
    "elections/",
    "instructors/",
    "instructors/windows/",
    "instructors/meetings/",
    "meetings/",
    "points/claims/",
    "enterprises/",
    "notices/",
    "accounts/tokens/",
    "tasks/brands/",
    "learning/bank/",
    "assessment/rectifications/",
    "assessment/org/<int:pk>/members/",
    "grid/",
    "grid/mine/",
    "transfers/mobile/",
    "instructors/supervision/",
    "meetings/mine/",
    "meetings/org/<int:pk>/reviews/",
    "points/",
    "enterprises/mine/",
    "venues/",
    "venues/activities/",
    "venues/bookings/",
}

# List-shaped URLs that render no list of rows: forms, dashboards and figures, one record or
# one printed sheet, rule tables, charts, htmx fragments, files, POST-only and redirects.
NOT_ROW_LISTS = {
    "/": "workbench",
    "healthz": "probe",
    "search/": "search (results capped per kind)",
    "search/suggest/": "htmx fragment",
    "accounts/login/": "form",
    "accounts/logout/": "POST only",
    "accounts/password/": "form",
    "accounts/password/done/": "message",
    "accounts/tokens/revoke/": "POST only",
    "accounts/users/new/": "form",
    "orgs/": "tree (children load on demand); its search results are paged",
    "orgs/<int:pk>/": "one organization",
    "orgs/<int:pk>/children/": "htmx fragment of the tree",
    "orgs/<int:pk>/new/": "form",
    "orgs/<int:pk>/edit/": "form",
    "orgs/<int:pk>/committee/new/": "form",
    "orgs/<int:pk>/move/": "form",
    "orgs/<int:pk>/merge/": "form",
    "orgs/<int:pk>/split/": "form",
    "orgs/<int:pk>/dissolve/": "form",
    "orgs/<int:pk>/size-exception/": "form",
    "members/count/": "htmx count",
    "screen/": "the big screen: figures and capped lists (TOP10, latest 8, 6 weak branches)",
    "members/new/": "form",
    "excel/": "import/export forms",
    "excel/export/members/": "file",
    "excel/export/orgs/": "file",
    "development/new/": "form",
    "development/plan/": "one year's plan sheet",
    "development/rules/": "rule table",
    "dues/org/<int:pk>/": "one branch's monthly sheet, printed whole",
    "dues/org/<int:pk>/bulk/": "POST only",
    "dues/org/<int:pk>/ledger/": "one branch's yearly ledger, printed whole",
    "dues/org/<int:pk>/ledger.xlsx": "file",
    "tasks/timeline/": "chart",
    "tasks/export/": "file",
    "tasks/new/": "form",
    "campaigns/new/": "form",
    "tasks/brands/new/": "form",
    "learning/bank/template.xlsx": "file",
    "learning/quizzes/new/": "POST only",
    "learning/figures/": "figures",
    "service/projects/new/": "form",
    "cadres/new/": "form",
    "cadres/export/": "file",
    "assessment/": "rounds overview",
    "assessment/standards/": "rule table",
    "assessment/standards/install/": "POST only",
    "assessment/org/<int:pk>/": "one organization's assessment",
    "assessment/org/<int:pk>/evaluate/": "POST only",
    "assessment/org/<int:pk>/publish/": "POST only",
    "assessment/org/<int:pk>/wall/": "one organization's wall",
    "assessment/org/<int:pk>/scorecard/": "one scorecard",
    "assessment/org/<int:pk>/review/": "POST only",
    "assessment/org/<int:pk>/plaque/": "one plaque",
    "assessment/org/<int:pk>/plan/": "POST only",
    "assessment/org/<int:pk>/members/evaluate/": "POST only",
    "assessment/org/<int:pk>/members/publish/": "POST only",
    "assessment/weights/": "rule table",
    "requests/new/": "form",
    "requests/figures/": "figures",
    "requests/calendar/": "calendar",
    "requests/calendar/import/": "form",
    "r/": "residents' form",
    "r/find/": "residents' lookup form",
    "grid/new/": "form",
    "grid/org/<int:pk>/figures/": "figures",
    "transfers/new/": "form",
    "transfers/inbound/": "form (registers one inbound letter)",
    "transfers/request/": "a member's own form",
    "transfers/batch/": "form",
    "transfers/mobile/new/": "form",
    "elections/overview/": "figures",
    "elections/org/<int:pk>/new/": "form",
    "elections/org/<int:pk>/reschedule/": "form",
    "instructors/new/": "form",
    "meetings/new/": "redirect to a form",
    "meetings/compliance/": "figures",
    "meetings/rules/": "rule table",
    "meetings/org/<int:pk>/ledger/": "one organization's yearly ledger, printed whole",
    "meetings/org/<int:pk>/ledger.xlsx": "file",
    "meetings/org/<int:pk>/plan/": "one year's plan",
    "meetings/org/<int:pk>/plan/copy/": "POST only",
    "points/rules/new/": "form",
    "points/org/<int:pk>/": "ranking (top N of the period)",
    "points/org/<int:pk>/board/": "ranking (top N of the period, printed board)",
    "points/org/<int:pk>/close/": "POST only",
    "points/me/": "one member's card",
    "points/me/claim/": "POST only",
    "points/me/card/": "one member's card",
    "enterprises/new/": "form",
    "enterprises/figures/": "figures",
    "notices/read/": "POST only",
    "notices/preferences/": "form",
    "i18n/setlang/": "POST only",
    "api/schema/": "file",
    "api/docs/": "API browser",
    "api/redoc/": "API browser",
    "venues/circle/": "map and one row per community (at most 50)",
    "m/": "the residents' portal: the communities to choose from (at most 300)",
    "m/text/": "redirect (large text switch)",
    "m/phone/": "form",
    "m/phone/out/": "POST only",
    "m/me/": "one resident's own (at most 50 of each)",
    "m/circle/": "venues within a walk (one community's)",
    "m/volunteer/": "form",
    "manifest.webmanifest": "the offline app's manifest (JSON)",
    "sw.js": "the offline app's service worker (a script)",
    "offline/": "the offline app's fallback page",
    "pwa/state/": "the offline app's sync state (JSON: the login and a CSRF token)",
}

# Lists of rows still without 共 N 条 or a pager; issue 15. None left.
NOT_YET: dict[str, str] = {}


def list_pages():
    return [p for p in pages.patterns() if p.kind == "page" and pages.is_list(p)]


def test_every_list_page_is_classified():
    routes = {p.label for p in list_pages()}
    classified = PAGED | set(NOT_ROW_LISTS) | set(NOT_YET)
    assert routes - classified == set(), "a new list page: page it (core.lists) or explain"
    assert PAGED - routes == set()
    assert not PAGED & set(NOT_ROW_LISTS)


@pytest.fixture
def city(db):
    call_command("gen_city", members=600, orgs=40, stdout=StringIO())
    from xianfeng.orgs.models import Organization

    world = pages.World.build(Organization.objects.get(code="GC0000001"))
    _rows_the_city_lacks(world)
    return world


def _rows_the_city_lacks(world):
    """A few rows for lists that gen_city leaves empty, so that their second page is opened."""
    from datetime import timedelta

    from django.utils import timezone

    from xianfeng.learning.models import Quiz
    from xianfeng.meetings.models import ReviewResult
    from xianfeng.tasks.models import BrandPlan
    from xianfeng.transfers.models import MobileMember, MobileReason

    today = timezone.localdate()
    for i in range(5):
        BrandPlan.objects.create(
            organization=world.street, name=f"品牌{i}", year=today.year - i, goals="目标"
        )
        Quiz.objects.create(
            organization=world.street,
            title=f"测试{i}",
            topic="党章",
            question_count=3,
            opens_on=today - timedelta(days=i),
            closes_on=today + timedelta(days=7),
        )
    # On PostgreSQL gen_city has made 1 in 50 members mobile already (one away at a time).
    members = world.branch.members.exclude(mobile_records__status="away").order_by("pk")
    for i, member in enumerate(members[:5]):
        ReviewResult.objects.create(
            member=member, organization=world.city, year=today.year, grade="qualified"
        )
        MobileMember.objects.create(
            member=member,
            place="深圳",
            since=today - timedelta(days=30 * i),
            reason=MobileReason.values[0],
            contact_phone=f"1380000000{i}",
        )


def test_every_list_page_shows_a_total_or_a_pager_and_its_next_page(city, client, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    client.force_login(city.users["city"])
    followed = []
    counts = {}
    for p in list_pages():
        if p.label not in PAGED:
            continue
        url = pages.build_url(p.route, pages.fill(p, city, "city"))
        client.get(url)  # warm the session and the per-login caches
        with CaptureQueriesContext(connection) as first:
            resp = client.get(url)
        assert resp.status_code == 200, url
        body = resp.content.decode()
        total = TOTAL.search(body)
        assert total or PAGER.search(body), f"{url}: neither 共 N 条 nor a pager"
        nxt = NEXT.search(body)
        if total and int(total.group(1)) > lists.PAGE_SIZE:
            assert nxt, f"{url}: {total.group(0)} on pages of {lists.PAGE_SIZE}, no next link"
        if nxt:
            with CaptureQueriesContext(connection) as then:
                second = client.get(url + html.unescape(nxt.group(1)))
            assert second.status_code == 200, url
            # The next page costs what the first did (no query per row, no growing count).
            assert len(then) <= len(first) + 1, f"{url}: {len(first)} then {len(then)} queries"
            # Twice the rows on a page cost no more queries (no query per row).
            monkeypatch.setattr(lists, "PAGE_SIZE", 4)
            with CaptureQueriesContext(connection) as bigger:
                client.get(url)
            monkeypatch.setattr(lists, "PAGE_SIZE", 2)
            counts[p.label] = (len(first), len(then), len(bigger))
            assert len(bigger) == len(first), f"{url}: {len(first)} → {len(bigger)} queries"
            body2 = second.content.decode()
            assert TOTAL.search(body2) or PAGER.search(body2), url
            assert "上一页" in body2 or "较新" in body2, f"{url}: page 2 cannot go back"
            followed.append(p.label)
    # The generated city has enough rows for these to have a second page at least.
    assert {
        "accounts/users/",
        "members/",
        "dues/",
        "archives/org/<int:pk>/",
        "assessment/org/<int:pk>/members/",
        "points/",
        "tasks/brands/",
        "learning/bank/",
        "meetings/org/<int:pk>/reviews/",
        "transfers/mobile/",
    } <= set(followed)
    print("queries on page 1, page 2, page of 4:", counts)
